/**
 * A conflict comes back from GitHub as a bare 409. Reads explain it: the files the fix touches that differ
 * between the fix's base and the target (changed on either side since they diverged), named as they are on
 * the target, the earlier changes to those files on the default branch that the target never received, and
 * the commands to finish by hand.
 */
import type { GitHubPort } from "../github/port.js";
import type { BranchHead, CommitSummary } from "../github/types.js";
import { cherryPickedFrom, type Pick, type PickPlan } from "./picks.js";
import type { MissingChange } from "./types.js";

/** At most this many conflicting files are searched for earlier changes (each costs two paged reads). */
const MAX_FILES_SEARCHED = 5;
/** Commits read per file and side (three pages of 100). */
const HISTORY = 300;
const MAX_MISSING = 10;

export interface ConflictReport {
  files: string[];
  commands: string[];
  missing: MissingChange[];
}

const titleOf = (message: string) => message.split("\n", 1)[0]?.trim() ?? "";
const pullOf = (title: string) => {
  const match = /\(#(\d+)\)\s*$/.exec(title) ?? /^Merge pull request #(\d+)/.exec(title);
  return match ? Number(match[1]) : null;
};

export function finishCommands(options: { plan: PickPlan; target: string; branch: string; defaultBranch: string }): string[] {
  const { plan, target, branch, defaultBranch } = options;
  const mainline = plan.method === "merge" ? "-m 1 " : "";
  return [
    `git fetch origin ${target} ${defaultBranch}`,
    `git switch -c ${branch} origin/${target}`,
    `git cherry-pick -x ${mainline}${plan.picks.map((p) => p.sha).join(" ")}`,
    "# resolve the conflicts, `git add` the files, then: git cherry-pick --continue",
    `git push origin ${branch}`,
  ];
}

/**
 * The conflict's files and the earlier changes to them that the line never got, from each file's own history
 * on both sides since they diverged (paginated, at most HISTORY commits a side), not from the comparison's
 * commit and file lists, which GitHub caps (250 commits, oldest first; 300 files) and which a merge of an
 * old history into the default branch fills on its own. A file renamed on the default branch since the fork
 * is named, and searched on the line, by its name there. Reads: two, then per file (at most
 * MAX_FILES_SEARCHED) two paged lists, and for a file the line does not have under its name, one commit and
 * one more paged list.
 */
export async function diagnoseConflict(port: GitHubPort, options: { at: Pick; onto: BranchHead }): Promise<Omit<ConflictReport, "commands">> {
  const { at, onto } = options;
  const [fixFiles, sourceSide] = await Promise.all([port.getCommitFiles(at.sha), port.compare(onto.sha, at.parent)]);
  const since = sourceSide.mergeBase.date;
  const renames = sourceSide.renames ?? {};
  const onLine = (file: string) => renames[file] ?? file;
  // The fix's own paths on the default branch; a renamed file's old name (a pick reports both) is its line name.
  const renamedFrom = new Set(Object.values(renames));
  const paths = fixFiles.filter((f) => !(renamedFrom.has(f) && fixFiles.some((g) => renames[g] === f)));
  const searched = await Promise.all(paths.slice(0, MAX_FILES_SEARCHED).map(async (file) => {
    const sourceCommits = await port.listCommits({ sha: at.parent, path: file, since, max: HISTORY });
    let lineName = onLine(file);
    let targetCommits = await port.listCommits({ sha: onto.sha, path: lineName, since, max: HISTORY });
    // Not under this name on the line and not in the comparison's renames (GitHub lists 300 files, and a move
    // across years of edits is not detected as one): the commit that brought the file in, on the default
    // branch since the fork, says what it was called before.
    const oldest = sourceCommits.at(-1);
    if (lineName === file && targetCommits.length === 0 && oldest && sourceCommits.length < HISTORY) {
      const before = (await port.getCommitRenames(oldest.sha))[file];
      if (before) {
        lineName = before;
        targetCommits = await port.listCommits({ sha: onto.sha, path: before, since, max: HISTORY });
      }
    }
    return { file, lineName, sourceCommits, targetCommits };
  }));
  // Changed on either side since the fork: the files that conflict.
  const diverged = searched.filter((s) => s.sourceCommits.some((c) => c.sha !== sourceSide.mergeBase.sha) || s.targetCommits.some((c) => c.sha !== sourceSide.mergeBase.sha));
  const files = diverged.length > 0 ? diverged.map((s) => s.lineName) : paths.map(onLine);
  // `rank`: the position in the history GitHub lists newest first, which orders commits dated the same second.
  const missing = new Map<string, MissingChange & { date: string; rank: number }>();
  for (const { sourceCommits, targetCommits } of diverged) {
    const onTarget = new Set(targetCommits.map((c) => c.sha));
    const received = receivedBy(targetCommits);
    const picked = (sha: string) => [...received.shas].some((s) => sha.startsWith(s));
    sourceCommits.forEach((commit, rank) => {
      const title = titleOf(commit.message);
      if (commit.sha === sourceSide.mergeBase.sha || onTarget.has(commit.sha) || picked(commit.sha) || received.titles.has(title)) return;
      missing.set(commit.sha, { sha: commit.sha, title, pull: pullOf(title), date: commit.date, rank });
    });
  }
  // Newest last, and the newest always kept.
  const ordered = [...missing.values()].sort((a, b) => a.date.localeCompare(b.date) || b.rank - a.rank).slice(-MAX_MISSING);
  return { files, missing: ordered.map(({ sha, title, pull }) => ({ sha, title, pull })) };
}

/** What the target already has: commits cherry-picked from the default branch (by sha) and their titles. */
function receivedBy(commits: CommitSummary[]): { shas: Set<string>; titles: Set<string> } {
  const shas = new Set<string>();
  const titles = new Set<string>();
  for (const commit of commits) {
    for (const sha of cherryPickedFrom(commit.message)) shas.add(sha);
    titles.add(titleOf(commit.message));
  }
  return { shas, titles };
}

/**
 * A conflict comes back from GitHub as a bare 409. Reads explain it: the files the fix touches that differ
 * between the fix's base and the target (changed on either side since they diverged), the earlier changes
 * to those files on the default branch that the target never received, and the commands to finish by hand.
 */
import type { GitHubPort } from "../github/port.js";
import type { BranchHead, CommitSummary } from "../github/types.js";
import { cherryPickedFrom, type Pick, type PickPlan } from "./picks.js";
import type { MissingChange } from "./types.js";

/** At most this many conflicting files are searched for earlier changes (each costs two reads). */
const MAX_FILES_SEARCHED = 5;
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

export async function diagnoseConflict(port: GitHubPort, options: { at: Pick; onto: BranchHead }): Promise<Omit<ConflictReport, "commands">> {
  const { at, onto } = options;
  const [fixFiles, sourceSide, targetSide] = await Promise.all([
    port.getCommitFiles(at.sha),
    port.compare(onto.sha, at.parent),
    port.compare(at.parent, onto.sha),
  ]);
  const diverged = new Set([...sourceSide.files, ...targetSide.files]);
  const touched = fixFiles.filter((f) => diverged.has(f));
  const files = touched.length > 0 ? touched : fixFiles;
  const since = sourceSide.mergeBase.date;
  const notOnTarget = new Set(sourceSide.commits.map((c) => c.sha));
  const missing = new Map<string, MissingChange & { date: string }>();
  for (const file of files.slice(0, MAX_FILES_SEARCHED)) {
    const [sourceCommits, targetCommits] = await Promise.all([
      port.listCommits({ sha: at.parent, path: file, since, max: 50 }),
      port.listCommits({ sha: onto.sha, path: file, since, max: 50 }),
    ]);
    const received = receivedBy(targetCommits);
    const picked = (sha: string) => [...received.shas].some((s) => sha.startsWith(s));
    for (const commit of sourceCommits) {
      const title = titleOf(commit.message);
      if (!notOnTarget.has(commit.sha) || picked(commit.sha) || received.titles.has(title)) continue;
      missing.set(commit.sha, { sha: commit.sha, title, pull: pullOf(title), date: commit.date });
    }
  }
  const ordered = [...missing.values()].sort((a, b) => a.date.localeCompare(b.date)).slice(-MAX_MISSING);
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

/**
 * Which commits a merged PR brought to the default branch, and so which ones a backport picks:
 * a squash merge → its one commit; a rebase merge → the rebased commits, in order; a merge commit → the
 * merge commit, picked relative to its first parent (`git cherry-pick -m 1`).
 */
import type { GitHubPort } from "../github/port.js";
import type { GitCommit, GitUser, PullRequest } from "../github/types.js";

export type MergeMethod = "squash" | "rebase" | "merge";

export interface Pick {
  sha: string;
  /** The commit the pick is relative to: its (first) parent. */
  parent: string;
  message: string;
  author: GitUser;
  /** Authors credited with `Co-authored-by` on the picked commit. */
  coAuthors: GitUser[];
}

export interface PickPlan {
  method: MergeMethod;
  picks: Pick[];
}

const sameMessage = (a: string, b: string) => a.trim() === b.trim();

function distinctAuthors(commits: GitCommit[]): GitUser[] {
  const byEmail = new Map<string, GitUser>();
  for (const c of commits) if (!byEmail.has(c.author.email.toLowerCase())) byEmail.set(c.author.email.toLowerCase(), c.author);
  return [...byEmail.values()];
}

const toPick = (commit: GitCommit, coAuthors: GitUser[], message = commit.message): Pick => ({
  sha: commit.sha,
  parent: commit.parents[0] ?? "",
  message,
  author: commit.author,
  coAuthors,
});

/** Reads the merge result and the PR's commits and decides what to pick. Costs 2 reads, plus one per rebased commit. */
export async function planPicks(port: GitHubPort, pull: PullRequest): Promise<PickPlan> {
  if (!pull.mergeCommitSha) throw new Error(`#${pull.number} has no merge commit`);
  const [merged, prCommits] = await Promise.all([port.getCommit(pull.mergeCommitSha), port.listPullCommits(pull.number)]);
  const authors = distinctAuthors(prCommits.length > 0 ? prCommits : [merged]);
  if (merged.parents.length > 1) {
    const message = `${pull.title} (#${pull.number})\n`;
    return { method: "merge", picks: [toPick(merged, authors, message)] };
  }
  if (prCommits.length <= 1) return { method: "squash", picks: [toPick(merged, authors)] };
  // A rebase merge puts copies of the PR's commits on the base, last one = merge_commit_sha, same messages.
  const rebased: GitCommit[] = [];
  let current: GitCommit = merged;
  for (let i = prCommits.length - 1; i >= 0; i--) {
    const original = prCommits[i];
    if (!original || !sameMessage(current.message, original.message) || current.parents.length !== 1) {
      return { method: "squash", picks: [toPick(merged, authors)] };
    }
    rebased.unshift(current);
    if (i > 0) current = await port.getCommit(current.parents[0] ?? "");
  }
  return { method: "rebase", picks: rebased.map((c) => toPick(c, [c.author])) };
}

/** The backport commit's message: the original, `(cherry picked from commit …)` as `git cherry-pick -x` writes it, and co-author credit. */
export function pickedMessage(pick: Pick): string {
  const original = pick.message.trimEnd();
  const credits = pick.coAuthors
    .map((a) => `Co-authored-by: ${a.name} <${a.email}>`)
    .filter((line) => !original.toLowerCase().includes(line.toLowerCase()));
  return [original, `(cherry picked from commit ${pick.sha})`, ...(credits.length ? [credits.join("\n")] : [])].join("\n\n") + "\n";
}

const CHERRY_PICKED = /\(cherry picked from commit ([0-9a-f]{7,40})\)/g;

/** The source commits a commit message says it was cherry-picked from. */
export function cherryPickedFrom(message: string): string[] {
  return [...message.matchAll(CHERRY_PICKED)].map((m) => m[1] ?? "");
}

/** Pull requests as GitHub shows them: an open PR follows its head branch; a closed one keeps its last head. */
import { notFound } from "../http/types.js";
import { pullJson, pullSimpleJson } from "../shapes/index.js";
import { liveShas } from "../state/records.js";
import type { IssueRecord, PullRecord, RepoRecord } from "../state/types.js";
import { gitOf, need, type RouteContext } from "./context.js";

export interface PullView {
  repo: RepoRecord;
  issue: IssueRecord;
  pull: PullRecord;
  headSha: string;
  baseSha: string;
}

export function pullRecords(repo: RepoRecord, number: number): { issue: IssueRecord; pull: PullRecord } {
  const issue = repo.issues.get(number);
  const pull = repo.pulls.get(number);
  if (!issue || !pull) throw notFound();
  return { issue, pull };
}

export async function viewOf(ctx: RouteContext, { repo, issue, pull }: { repo: RepoRecord; issue: IssueRecord; pull: PullRecord }): Promise<PullView> {
  return { repo, issue, pull, ...(await liveShas(gitOf(ctx, repo), { issue, pull })) };
}

/** The full `pull-request` object, with the counts GitHub computes from git. */
export async function fullPullJson(ctx: RouteContext, view: PullView) {
  const git = gitOf(ctx, view.repo);
  const commits = await commitsOf(ctx, view);
  const mergeBase = (await git.mergeBase(view.baseSha, view.headSha)) ?? view.baseSha;
  const files = need(await git.diffFiles({ from: mergeBase, to: view.headSha }), "commit");
  let mergeable: boolean | null = null;
  if (view.issue.state === "open") mergeable = (await git.mergeTrees({ ours: view.baseSha, theirs: view.headSha }))?.clean ?? null;
  return pullJson(ctx.shape, {
    ...view,
    stats: {
      commits: commits.length,
      additions: files.reduce((sum, f) => sum + f.additions, 0),
      deletions: files.reduce((sum, f) => sum + f.deletions, 0),
      changedFiles: files.length,
      mergeable,
    },
  });
}

export function simplePullJson(ctx: RouteContext, view: PullView) {
  return pullSimpleJson(ctx.shape, view);
}

/** The PR's commits, oldest first: fixed at merge, otherwise what the head has that the base has not. */
export async function commitsOf(ctx: RouteContext, view: PullView): Promise<string[]> {
  if (view.pull.commits) return view.pull.commits;
  return need(await gitOf(ctx, view.repo).revList({ include: [view.headSha], exclude: [view.baseSha], reverse: true }), "commit");
}

/** PRs that contain a commit, or were merged as it (GitHub's "pull requests associated with a commit"). */
export function pullsForCommit(ctx: RouteContext, repo: RepoRecord, sha: string): unknown[] {
  const found: unknown[] = [];
  for (const pull of repo.pulls.values()) {
    const issue = repo.issues.get(pull.number);
    if (!issue) continue;
    if (pull.mergeCommitSha === sha || pull.headSha === sha || pull.commits?.includes(sha)) {
      found.push(pullSimpleJson(ctx.shape, { repo, issue, pull, headSha: pull.headSha, baseSha: pull.baseSha }));
    }
  }
  return found;
}

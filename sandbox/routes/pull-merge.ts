/**
 * Merging a pull request the three ways GitHub offers, producing the commits GitHub would: a merge commit
 * (base, head), one squashed commit on the base, or the PR's commits replayed one by one onto the base.
 */
import type { BareRepo } from "../git/bare-repo.js";
import { HttpError } from "../http/types.js";
import { gitIdentity, type GitIdentity } from "../state/identity.js";
import type { UserRecord } from "../state/types.js";
import type { PullView } from "./pull-json.js";

export type MergeMethod = "merge" | "squash" | "rebase";


export interface MergeInput {
  git: BareRepo;
  view: PullView;
  commits: string[];
  method: MergeMethod;
  title?: string;
  message?: string;
  merger: UserRecord;
  now: string;
}

/** GitHub's own committer identity for commits it writes on the web ("web-flow"). */
const webFlow = (date: string): GitIdentity => ({ name: "GitHub", email: "noreply@github.com", date });


/** Returns the sha the base branch now points to (GitHub's `merge_commit_sha`). */
export async function mergePull(input: MergeInput): Promise<string> {
  const { git, view } = input;
  const tip = await pickTip(input);
  const ref = `refs/heads/${view.pull.baseRef}`;
  if ((await git.updateRef({ ref, sha: tip, expectedOld: view.baseSha })) !== "ok") {
    throw new HttpError(409, "Base branch was modified. Review and try the merge again.");
  }
  return tip;
}

async function pickTip(input: MergeInput): Promise<string> {
  const { git, view, method, now } = input;
  const number = view.pull.number;
  if (method === "rebase") return replay(input);
  const merged = await git.mergeTrees({ ours: view.baseSha, theirs: view.headSha });
  if (!merged?.clean) throw new HttpError(405, "Pull Request is not mergeable");
  if (method === "merge") {
    const title = input.title ?? `Merge pull request #${number} from ${view.repo.owner.login}/${view.pull.headRef}`;
    const message = `${title}\n\n${input.message ?? view.issue.title}`;
    const identity = gitIdentity(input.merger, now);
    return created(git.createCommit({ tree: merged.tree, parents: [view.baseSha, view.headSha], message, author: identity, committer: webFlow(now) }));
  }
  const messages = await Promise.all(input.commits.map(async (sha) => (await git.readCommit(sha))?.message.trim() ?? ""));
  const title = input.title ?? `${view.issue.title} (#${number})`;
  const body = input.message ?? messages.map((m) => `* ${m}`).join("\n\n");
  // A squash commit is credited to the PR's author, committed by GitHub.
  return created(git.createCommit({
    tree: merged.tree,
    parents: [view.baseSha],
    message: `${title}\n\n${body}`,
    author: gitIdentity(view.issue.user, now),
    committer: webFlow(now),
  }));
}

/** Rebase merge: each commit is applied onto the moving tip with a three-way merge against its parent. */
async function replay({ git, view, commits, now }: MergeInput): Promise<string> {
  let tip = view.baseSha;
  for (const sha of commits) {
    const commit = await git.readCommit(sha);
    const parent = commit?.parents[0];
    if (!commit || !parent) throw new HttpError(405, "Pull Request is not mergeable");
    const tipTree = (await git.readCommit(tip))?.tree;
    if (!tipTree) throw new HttpError(500, "base commit vanished");
    // The sibling shares the picked commit's parent, so the merge below uses that parent as its base.
    const sibling = await created(git.createCommit({ tree: tipTree, parents: [parent], message: "sibling", author: webFlow(now), committer: webFlow(now) }));
    const merged = await git.mergeTrees({ ours: sibling, theirs: sha });
    if (!merged?.clean) throw new HttpError(405, "Pull Request is not mergeable");
    tip = await created(git.createCommit({ tree: merged.tree, parents: [tip], message: commit.message, author: commit.author, committer: webFlow(now) }));
  }
  return tip;
}

async function created(sha: Promise<string | null>): Promise<string> {
  const value = await sha;
  if (!value) throw new HttpError(500, "could not write the commit");
  return value;
}

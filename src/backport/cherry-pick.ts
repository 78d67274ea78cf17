/**
 * Cherry-picks commits onto a target branch through the API, without a clone (DESIGN.md §5): for each pick,
 * a "sibling" commit (the target's tree, the pick's parent as parent) is put on the backport branch and
 * GitHub merges the pick into it; the merged tree becomes a real commit on top of the target. The branch
 * is forced onto the result at the end, or deleted when a pick conflicts or nothing changed, so no
 * half-made branch is left behind.
 */
import { isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import type { BranchHead } from "../github/types.js";
import { pickedMessage, type Pick } from "./picks.js";
import type { PickedCommit } from "./types.js";

export type CherryPickResult =
  | { status: "picked"; head: string; commits: PickedCommit[] }
  /** Every pick's changes are already on the target. */
  | { status: "empty" }
  | { status: "conflict"; at: Pick };

const titleOf = (message: string) => message.split("\n", 1)[0]?.trim() ?? "";

async function placeBranch(port: GitHubPort, options: { branch: string; sha: string; created: boolean }): Promise<void> {
  if (options.created) return port.updateBranch({ branch: options.branch, sha: options.sha, force: true });
  try {
    await port.createBranch({ branch: options.branch, sha: options.sha });
  } catch (error) {
    // Left over from an attempt that died, or made by a replica working on the same delivery: take it over.
    if (!isGitHubError(error, "already-exists")) throw error;
    try {
      await port.updateBranch({ branch: options.branch, sha: options.sha, force: true });
    } catch (updateError) {
      // Deleted again in between (the other attempt cleaned up): create it after all.
      if (!isGitHubError(updateError, "invalid") && !isGitHubError(updateError, "not-found")) throw updateError;
      await port.createBranch({ branch: options.branch, sha: options.sha });
    }
  }
}

/** The tree of the merge of `pick` into the sibling now on `branch`, or null on conflict. */
async function mergeTree(port: GitHubPort, options: { branch: string; pick: Pick; sibling: string }): Promise<string | null> {
  try {
    const result = await port.merge({ base: options.branch, head: options.pick.sha, message: `lts-steward: pick ${options.pick.sha}` });
    if (result.status === "merged") return result.commit.tree;
    // "Nothing to merge": an earlier attempt's merge landed but its answer was lost; the branch has it.
    const head = await port.getBranch(options.branch);
    if (!head || head.sha === options.sibling) throw new Error(`the merge of ${options.pick.sha} into ${options.branch} did nothing`);
    return head.tree;
  } catch (error) {
    if (isGitHubError(error, "conflict")) return null;
    throw error;
  }
}

export async function cherryPick(port: GitHubPort, options: { branch: string; onto: BranchHead; picks: Pick[] }): Promise<CherryPickResult> {
  const { branch } = options;
  let head = options.onto.sha;
  let tree = options.onto.tree;
  let created = false;
  const commits: PickedCommit[] = [];
  try {
    for (const pick of options.picks) {
      const sibling = await port.createCommit({ message: `lts-steward: temporary base for ${pick.sha}`, tree, parents: [pick.parent] });
      await placeBranch(port, { branch, sha: sibling.sha, created });
      created = true;
      const merged = await mergeTree(port, { branch, pick, sibling: sibling.sha });
      if (merged === null) {
        await port.deleteBranch(branch);
        return { status: "conflict", at: pick };
      }
      if (merged === tree) continue; // already on the target
      const commit = await port.createCommit({ message: pickedMessage(pick), tree: merged, parents: [head] });
      commits.push({ source: pick.sha, picked: commit.sha, title: titleOf(pick.message) });
      head = commit.sha;
      tree = merged;
    }
    if (commits.length === 0) {
      if (created) await port.deleteBranch(branch);
      return { status: "empty" };
    }
    await port.updateBranch({ branch, sha: head, force: true });
    return { status: "picked", head, commits };
  } catch (error) {
    if (created) await port.deleteBranch(branch).catch(() => undefined);
    throw error;
  }
}

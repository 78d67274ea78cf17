/**
 * Cherry-picks commits onto a target branch through the API, without a clone (DESIGN.md §5): for each pick,
 * a "sibling" commit (the target's tree, the pick's parent as parent) is put on the backport branch and
 * GitHub merges the pick into it; the merged tree becomes a real commit on top of the target. The branch
 * is forced onto the result at the end, or deleted when a pick conflicts or nothing changed, so no
 * half-made branch is left behind.
 *
 * Replicas (docs/STATE.md): creating the backport branch is the claim on the target, and GitHub's ref
 * creation is atomic. A branch that already exists belongs to another attempt: it is left alone ("busy")
 * unless it has not moved for `staleMs` (its head commit's date, judged by GitHub's clock through the commit
 * this attempt just made), and then it is taken over. Every later move, and the clean-up, first checks that
 * the branch is still where this attempt put it; a conflict or an empty result is reported only when the
 * merge ran on this attempt's own base. Otherwise the result is "busy", which is never settled.
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
  /**
   * `at` conflicts. With `onConflict`, `kept` is what the branch holds instead of nothing: the picks that
   * applied (`commits`), the commit the hook made on top of them (`head`), and the picks after `at` (`left`).
   */
  | { status: "conflict"; at: Pick; kept?: { head: string; commits: PickedCommit[]; left: Pick[] } }
  /** Another attempt owns the branch (or moved it under this one): nothing settled, nothing touched. */
  | { status: "busy"; head: string; age: number };

const titleOf = (message: string) => message.split("\n", 1)[0]?.trim() ?? "";

class Interfered extends Error {
  constructor(readonly head: string, readonly age = 0) {
    super("another attempt moved the backport branch");
  }
}

/** The branch's head now, or null when it is gone. */
const headOf = async (port: GitHubPort, branch: string) => (await port.getBranch(branch))?.sha ?? null;

/**
 * Claims the branch for this attempt by creating it at `sha` (this attempt's first sibling, made at `now`
 * by GitHub's clock). An existing branch whose head has not moved for `staleMs` is taken over.
 */
async function claim(port: GitHubPort, options: { branch: string; sha: string; now: string; staleMs: number }, tries = 3): Promise<void> {
  const { branch, sha } = options;
  try {
    await port.createBranch({ branch, sha });
    return;
  } catch (error) {
    if (!isGitHubError(error, "already-exists")) throw error;
  }
  const head = await headOf(port, branch);
  if (head === sha) return; // this attempt's own create, whose answer was lost
  if (head === null) {
    // Its owner just cleaned up: claim it, unless attempts keep racing for it.
    if (tries > 1) return claim(port, options, tries - 1);
    throw new Interfered("");
  }
  // staleMs 0: the caller has watched the branch stand still long enough and takes it over.
  if (options.staleMs > 0) {
    const age = Date.parse(options.now) - Date.parse((await port.getCommit(head)).author.date);
    if (!(age >= options.staleMs)) throw new Interfered(head, Number.isFinite(age) && age > 0 ? age : 0);
  }
  // Stale: left by an attempt that died. Re-checked right before the move, so a live owner's step is not lost.
  if ((await headOf(port, branch)) !== head) throw new Interfered(head);
  await port.updateBranch({ branch, sha, force: true });
}

/** Moves the branch from `from` (where this attempt left it) to `to`; refuses when someone else moved it. */
async function move(port: GitHubPort, options: { branch: string; from: string; to: string }): Promise<void> {
  const head = await headOf(port, options.branch);
  if (head !== options.from) throw new Interfered(head ?? "");
  await port.updateBranch({ branch: options.branch, sha: options.to, force: true });
}

/** Deletes the branch only while it is still this attempt's. */
async function release(port: GitHubPort, options: { branch: string; owned: string }): Promise<boolean> {
  if ((await headOf(port, options.branch)) !== options.owned) return false;
  await port.deleteBranch(options.branch);
  return true;
}

/** The tree of the merge of `pick` into the sibling now on `branch` and the branch's new head, or null on conflict. */
async function mergeTree(port: GitHubPort, options: { branch: string; pick: Pick; sibling: string }): Promise<{ tree: string; head: string } | null> {
  try {
    const result = await port.merge({ base: options.branch, head: options.pick.sha, message: `lts-steward: pick ${options.pick.sha}` });
    if (result.status === "merged") {
      if (result.commit.parents[0] !== options.sibling) throw new Interfered(result.commit.sha);
      return { tree: result.commit.tree, head: result.commit.sha };
    }
    // "Nothing to merge": an earlier attempt's merge landed but its answer was lost; the branch has it.
    const head = await port.getBranch(options.branch);
    if (!head || head.sha === options.sibling) throw new Error(`the merge of ${options.pick.sha} into ${options.branch} did nothing`);
    const commit = await port.getCommit(head.sha);
    if (commit.parents[0] !== options.sibling) throw new Interfered(head.sha);
    return { tree: head.tree, head: head.sha };
  } catch (error) {
    if (!isGitHubError(error, "conflict")) throw error;
    // A conflict counts only when the merge ran on this attempt's sibling.
    const head = await headOf(port, options.branch);
    if (head !== options.sibling) throw new Interfered(head ?? "");
    return null;
  }
}

/**
 * Called while this attempt still holds the branch, when `at` conflicts on top of `head` (the picks that
 * applied so far, or the target): the commit to leave on the branch, or null to leave nothing (the default).
 */
export type OnConflict = (state: { at: Pick; head: string; tree: string; commits: PickedCommit[]; left: Pick[] }) => Promise<string | null>;

export async function cherryPick(
  port: GitHubPort,
  options: { branch: string; onto: BranchHead; picks: Pick[]; staleMs: number; onConflict?: OnConflict },
): Promise<CherryPickResult> {
  const result = await cherryPickSeries(port, { ...options, groups: [options.picks] });
  if (result.status === "busy") return result;
  if (result.status === "kept") return { status: "conflict", at: result.at, kept: result.kept };
  const [group] = result.groups;
  if (group?.status === "conflict") return { status: "conflict", at: group.at };
  if (result.status === "empty") return { status: "empty" };
  return { status: "picked", head: result.head, commits: result.commits };
}

/** One group's result in a series: its commits, nothing new, or the pick that conflicted (the group is left out). */
export type GroupResult = { status: "picked"; commits: PickedCommit[] } | { status: "empty" } | { status: "conflict"; at: Pick };

export type SeriesResult =
  | { status: "picked"; head: string; tree: string; commits: PickedCommit[]; groups: GroupResult[] }
  /** No group added anything (each was empty or conflicted); the branch is gone. */
  | { status: "empty"; groups: GroupResult[] }
  /** A pick conflicted and `onConflict` left a commit on the branch: the series stops there. */
  | { status: "kept"; at: Pick; kept: { head: string; commits: PickedCommit[]; left: Pick[] } }
  | { status: "busy"; head: string; age: number };

/**
 * Picks several groups of commits (one group per fix) onto `onto`, one after another, holding `branch` as the
 * claim throughout. A group that conflicts is left out whole (its earlier picks are dropped) and the next one
 * goes on from where the one before it ended, as `git cherry-pick -x` of the groups that apply would. With
 * commits, the branch ends on the last one; with none, it is deleted.
 */
export async function cherryPickSeries(
  port: GitHubPort,
  options: { branch: string; onto: BranchHead; groups: Pick[][]; staleMs: number; onConflict?: OnConflict },
): Promise<SeriesResult> {
  const { branch, staleMs } = options;
  let head = options.onto.sha;
  let tree = options.onto.tree;
  /** Where this attempt last put the branch; null before it holds the claim. */
  let owned: string | null = null;
  const commits: PickedCommit[] = [];
  const groups: GroupResult[] = [];
  /** Whether the branch was just seen at `owned` (a conflict's merge checks it): then it is deleted without asking again. */
  let seen = false;
  try {
    for (const picks of options.groups) {
      const start = { head, tree, count: commits.length };
      let conflict: Pick | null = null;
      for (const [index, pick] of picks.entries()) {
        const sibling = await port.createCommit({ message: `lts-steward: temporary base for ${pick.sha}`, tree, parents: [pick.parent] });
        if (owned === null) await claim(port, { branch, sha: sibling.sha, now: sibling.author.date, staleMs });
        else await move(port, { branch, from: owned, to: sibling.sha });
        owned = sibling.sha;
        seen = false;
        const merged = await mergeTree(port, { branch, pick, sibling: sibling.sha });
        if (merged === null) {
          const done = commits.slice(start.count);
          const left = picks.slice(index + 1);
          const kept = options.onConflict ? await options.onConflict({ at: pick, head, tree, commits: done, left }) : null;
          if (kept !== null) {
            await move(port, { branch, from: owned, to: kept });
            return { status: "kept", at: pick, kept: { head: kept, commits: done, left } };
          }
          conflict = pick;
          seen = true;
          break;
        }
        owned = merged.head;
        if (merged.tree === tree) continue; // already on the target
        const commit = await port.createCommit({ message: pickedMessage(pick), tree: merged.tree, parents: [head] });
        commits.push({ source: pick.sha, picked: commit.sha, title: titleOf(pick.message) });
        head = commit.sha;
        tree = merged.tree;
      }
      if (conflict) {
        // The group stays out whole: back to where it started.
        ({ head, tree } = start);
        commits.length = start.count;
        groups.push({ status: "conflict", at: conflict });
      } else groups.push(commits.length > start.count ? { status: "picked", commits: commits.slice(start.count) } : { status: "empty" });
    }
    if (commits.length === 0) {
      if (owned !== null && seen) await port.deleteBranch(branch);
      else if (owned !== null && !(await release(port, { branch, owned }))) return { status: "busy", head: "", age: 0 };
      return { status: "empty", groups };
    }
    await move(port, { branch, from: owned!, to: head });
    return { status: "picked", head, tree, commits, groups };
  } catch (error) {
    if (owned !== null) await release(port, { branch, owned }).catch(() => undefined);
    if (error instanceof Interfered) return { status: "busy", head: error.head, age: error.age };
    throw error;
  }
}

/** Deletes a backport branch only while it is where this attempt left it (`owned`). */
export const releaseBranch = release;

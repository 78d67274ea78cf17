/**
 * Acceptance, end to end (issue 16, item 3): with `backport.conflicts: draft-pr`, a backport whose cherry-pick
 * conflicts becomes a draft PR whose branch holds exactly what `git cherry-pick -x` leaves in a clone: every
 * file compared byte for byte (the worktree, conflicted files included, written as a tree with `git add -A`),
 * for several hunks with one conflict among clean ones, adjacent changes, a file changed cleanly beside the
 * conflicting one, an added and a removed file, a modify/delete conflict and a binary file, a rebase-merged PR
 * whose second commit conflicts, and a merge commit picked with `-m 1`. Then the draft is marked ready with
 * its markers left (told once) and resolved by a push: it becomes the decorated backport PR.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConflictDraft } from "../../src/backport/render-conflict-draft.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { PullRecord, RepoRecord } from "../../sandbox/state/types.js";
import { git } from "../sandbox/git-cli.js";
import { SLOW, startHarness, type Harness } from "./harness.js";

const people = WASMTIME_PEOPLE;
const TARGET = "release-39.0.0";
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-21" });
  repo = h.repo;
  await h.sandbox.scenario.commit({ repo, branch: "main", message: "Draft PRs for conflicts\n", files: { ".github/lts-steward.yml": "preset: wasmtime\nbackport:\n  conflicts: draft-pr\n" }, author: people.maintainer });
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

/** Code-like lines: statements, blank lines and braces, as a Rust function body has them. */
const code = (name: string, n: number) => [`pub fn ${name}(ctx: &mut Ctx) -> Result<()> {`, ...Array.from({ length: n }, (_, i) => (i % 7 === 6 ? "" : `    step_${i}(ctx)?;`)), "    Ok(())", "}", ""];
const withLines = (lines: string[], changes: Record<number, string>) => lines.map((l, i) => (i in changes ? changes[i]! : l)).join("\n");

/** The same files on main and on the target line, so that the line starts where the fix's parent is. */
async function onBoth(files: Record<string, string | null>, message: string) {
  for (const branch of ["main", TARGET]) await h.sandbox.scenario.commit({ repo, branch, message, files, author: people.maintainer });
}

/** What `git cherry-pick -x` leaves in a clone of the target: the work tree as a tree, and the tree of HEAD. */
function gitLeaves(options: { shas: string[]; mainline?: boolean }): { worktree: string; head: string; diff: (tree: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), "lts-steward-draft-"));
  const scratch = join(dir, "work");
  try {
    git(tmpdir(), ["clone", "-q", h.gitDir(), scratch]);
    git(scratch, ["checkout", "-q", "-B", "pick", `origin/${TARGET}`]);
    let stopped = false;
    try {
      git(scratch, ["cherry-pick", "-x", ...(options.mainline ? ["-m", "1"] : []), ...options.shas]);
    } catch {
      stopped = true;
    }
    if (!stopped) throw new Error("git cherry-pick applied cleanly: the test expects a conflict");
    git(scratch, ["add", "-A"]);
    const worktree = git(scratch, ["write-tree"]);
    const head = git(scratch, ["rev-parse", "HEAD^{tree}"]);
    git(scratch, ["fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*"]);
    const diffs = new Map<string, string>();
    for (const ref of git(scratch, ["for-each-ref", "--format=%(objectname)", "refs/remotes/origin/lts-steward/"]).split("\n").filter(Boolean)) {
      const tree = git(scratch, ["rev-parse", `${ref}^{tree}`]);
      diffs.set(tree, git(scratch, ["diff", worktree, tree]));
    }
    return { worktree, head, diff: (tree) => diffs.get(tree) ?? "(not fetched)" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function mergeAndDeliver(input: { branch: string; title: string; commits: { message: string; files: Record<string, string | null> }[]; method: "squash" | "rebase" | "merge" }) {
  for (const c of input.commits) await h.sandbox.scenario.commit({ repo, branch: input.branch, message: c.message, files: c.files, author: people.committer });
  const { issue } = await h.sandbox.scenario.openPull({ repo, head: input.branch, title: input.title, author: people.committer });
  h.sandbox.scenario.label({ repo, number: issue.number, label: "backport:current" });
  const sha = await h.sandbox.scenario.merge({ repo, number: issue.number, method: input.method, by: people.maintainer });
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  return { number: issue.number, sha };
}

async function theDraft(number: number): Promise<{ pull: PullRecord; head: string; tree: string; parentTree: string }> {
  const pulls = h.backportPulls(number);
  expect(pulls.map((p) => [p.baseRef, p.draft])).toEqual([[TARGET, true]]);
  const pull = pulls[0]!;
  const head = (await h.git().readRef(`refs/heads/${pull.headRef}`))!;
  const commit = (await h.git().readCommit(head))!;
  return { pull, head, tree: commit.tree, parentTree: (await h.git().readCommit(commit.parents[0]!))!.tree };
}

const fileAt = async (sha: string, path: string) => {
  const found = await h.git().readPath({ commit: sha, path });
  return found?.kind === "file" ? found.content.toString("latin1") : null;
};

const A = code("table_ops", 40);
const B = code("memory_ops", 12);

let storyOne: { number: number; pull: PullRecord; head: string } | null = null;

test("several hunks, one conflict among clean ones, adjacent changes, a clean file beside it, a file added and one removed: the draft holds git's work tree, byte for byte", async () => {
  await onBoth({ "crates/draft/src/a.rs": A.join("\n"), "crates/draft/src/b.rs": B.join("\n"), "crates/draft/src/d.rs": "// going away\n" }, "Add the draft crate");
  // The line changed step 10 and step 30 since.
  await h.sandbox.scenario.commit({ repo, branch: TARGET, message: "Legacy mode on 39\n", files: { "crates/draft/src/a.rs": withLines(A, { 11: "    step_10(ctx, Mode::Legacy)?;", 31: "    step_30_legacy(ctx)?;" }) }, author: people.maintainer });
  const fixedA = withLines(A, { 4: "    step_3(ctx).context(\"three\")?;", 11: "    step_10(ctx, Mode::Checked)?;", 21: "    step_19(ctx)?; // checked", 32: "    step_31(ctx, Mode::Checked)?;" });
  const { number, sha } = await mergeAndDeliver({
    branch: "fix-draft-1", title: "Check every step", method: "squash",
    commits: [{ message: "Check every step", files: { "crates/draft/src/a.rs": fixedA, "crates/draft/src/b.rs": withLines(B, { 2: "    step_1(ctx).context(\"one\")?;" }), "crates/draft/src/c.rs": "// new\n", "crates/draft/src/d.rs": null } }],
  });
  const draft = await theDraft(number);
  const leaves = gitLeaves({ shas: [sha] });
  expect(leaves.diff(draft.tree)).toBe("");
  expect(draft.tree).toBe(leaves.worktree);
  expect(draft.parentTree).toBe(leaves.head);
  const a = (await fileAt(draft.head, "crates/draft/src/a.rs"))!;
  expect(a.match(/^<<<<<<< HEAD$/gm)).toHaveLength(2);
  expect(a).toContain(`>>>>>>> ${sha.slice(0, 7)} (Check every step (#${number}))\n`);
  expect(a).toContain("step_3(ctx).context(\"three\")?;");
  // The summary links the draft; no conflict issue; the draft says how to finish.
  const [row] = h.summaryRows(number);
  expect(row?.outcome).toMatchObject({ kind: "conflict", files: ["crates/draft/src/a.rs"], issue: null, pull: { number: draft.pull.number } });
  expect([...repo.issues.values()].filter((i) => i.body?.includes(`lts-steward:conflict pr-${number}/`))).toEqual([]);
  const body = repo.issues.get(draft.pull.number)!.body!;
  expect(readConflictDraft(body)?.draft.marked).toEqual(["crates/draft/src/a.rs"]);
  expect(body).toContain(`git switch -C ${draft.pull.headRef} origin/${draft.pull.headRef}`);
  storyOne = { number, pull: draft.pull, head: draft.head };
}, SLOW);

test("a rebase-merged PR whose second commit conflicts: the draft holds the first, picked, and the second with its markers; the third is left, and said so", async () => {
  const C = code("fuel_ops", 20);
  await onBoth({ "crates/draft/src/fuel.rs": C.join("\n") }, "Add fuel ops");
  await h.sandbox.scenario.commit({ repo, branch: TARGET, message: "Fuel on 39\n", files: { "crates/draft/src/fuel.rs": withLines(C, { 9: "    step_8_legacy(ctx)?;" }) }, author: people.maintainer });
  const { number } = await mergeAndDeliver({
    branch: "fix-draft-rebase", title: "Fuel checks", method: "rebase",
    commits: [
      { message: "Fuel: check step 2\n", files: { "crates/draft/src/fuel.rs": withLines(C, { 3: "    step_2(ctx).fuel()?;" }) } },
      { message: "Fuel: check step 8\n", files: { "crates/draft/src/fuel.rs": withLines(C, { 3: "    step_2(ctx).fuel()?;", 9: "    step_8(ctx).fuel()?;" }) } },
      { message: "Fuel: document\n", files: { "docs/fuel-checks.md": "Fuel is checked.\n" } },
    ],
  });
  const main = (await h.git().readRef("refs/heads/main"))!;
  const rebased = (await h.git().revList({ include: [main], max: 3, reverse: true }))!;
  const draft = await theDraft(number);
  const leaves = gitLeaves({ shas: rebased });
  expect(leaves.diff(draft.tree)).toBe("");
  expect([draft.tree, draft.parentTree]).toEqual([leaves.worktree, leaves.head]);
  const body = repo.issues.get(draft.pull.number)!.body!;
  expect(body).toContain("Not picked yet");
  expect(body).toContain("Fuel: document");
  expect(body).toContain(`git cherry-pick -x ${rebased[2]}`);
}, SLOW);

test("a merge commit picked with -m 1, and a modify/delete conflict and a binary file beside it: git's work tree, and notes for the files without markers", async () => {
  const binary = (tail: number) => Buffer.from([0, 1, 2, tail]).toString("latin1");
  await onBoth({ "crates/draft/src/gone.rs": "fn gone() {}\n", "assets/logo.bin": binary(0), "crates/draft/src/m.rs": B.join("\n") }, "Add files to merge");
  await h.sandbox.scenario.commit({ repo, branch: TARGET, message: "Drop gone.rs on 39\n", files: { "crates/draft/src/gone.rs": null, "assets/logo.bin": binary(39), "crates/draft/src/m.rs": withLines(B, { 5: "    step_4_legacy(ctx)?;" }) }, author: people.maintainer });
  const { number, sha } = await mergeAndDeliver({
    branch: "fix-draft-merge", title: "Merge-commit fix", method: "merge",
    commits: [{ message: "Touch everything\n", files: { "crates/draft/src/gone.rs": "fn gone() { fixed() }\n", "assets/logo.bin": binary(40), "crates/draft/src/m.rs": withLines(B, { 5: "    step_4(ctx).checked()?;" }) } }],
  });
  expect((await h.git().readCommit(sha))!.parents).toHaveLength(2);
  const draft = await theDraft(number);
  const leaves = gitLeaves({ shas: [sha], mainline: true });
  expect(leaves.diff(draft.tree)).toBe("");
  expect(draft.tree).toBe(leaves.worktree);
  const body = repo.issues.get(draft.pull.number)!.body!;
  expect(body).toContain("`crates/draft/src/gone.rs`: changed by the fix and removed on the line");
  expect(body).toContain("`assets/logo.bin`: binary");
}, SLOW);

test("marked ready with markers left: told once; resolved by a push: decorated, the summary's backport, an ordinary body", async () => {
  if (!storyOne) throw new Error("the first story did not run");
  const { number, pull } = storyOne;
  h.sandbox.scenario.setDraft({ repo, number: pull.number, draft: false });
  await h.deliver(await h.driver.pullRequest({ repo, number: pull.number, action: "ready_for_review", sender: people.committer }));
  await h.deliver(await h.driver.pullRequest({ repo, number: pull.number, action: "ready_for_review", sender: people.committer }));
  const told = h.botComments(pull.number);
  expect(told).toHaveLength(1);
  expect(told[0]!.body).toContain("conflict markers are still in");
  expect(repo.issues.get(pull.number)!.labels).toEqual([]);

  const before = (await h.git().readRef(`refs/heads/${pull.headRef}`))!;
  const resolved = (await fileAt(before, "crates/draft/src/a.rs"))!.replace(/^<<<<<<< HEAD\n([\s\S]*?)=======\n[\s\S]*?>>>>>>> [^\n]*\n/gm, "$1");
  await h.sandbox.scenario.commit({ repo, branch: pull.headRef, message: "Resolve the conflicts\n", files: { "crates/draft/src/a.rs": resolved }, author: people.committer });
  await h.deliver(await h.driver.pullRequest({ repo, number: pull.number, action: "synchronize", before, sender: people.committer }));

  const issue = repo.issues.get(pull.number)!;
  expect(issue.labels).toContain("backport");
  expect(pull.requestedReviewers).toEqual([people.committer, people.maintainer].filter((p, i, all) => all.indexOf(p) === i && p !== issue.user.login));
  expect(readConflictDraft(issue.body)).toBeNull();
  expect(issue.body).toContain("lts-steward cherry-picked these through the GitHub API");
  const [row] = h.summaryRows(number);
  expect(row?.outcome).toMatchObject({ kind: "opened", pull: { number: pull.number } });
  expect(h.botComments(pull.number)).toHaveLength(1);
}, SLOW);

/**
 * End to end, on 2025-11-21 (targets 39, 38, 36, 24): what a backport reports beyond the happy path — a
 * conflict explained with the change the old lines never got, a merge commit picked against its first
 * parent, a pick that is already on the target, an earlier backport PR found in any state, tracking issues
 * per line, and a config that does not validate.
 */
import { readTracking } from "../../src/backport/render.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { WasmtimeLike } from "../../sandbox/seed/wasmtime-like.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { cherryPickTree, SLOW, startHarness, type Harness } from "./harness.js";

const people = WASMTIME_PEOPLE;
let h: Harness;
let repo: RepoRecord;
let history: WasmtimeLike;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-21" });
  repo = h.repo;
  history = (await import("../../sandbox/seed/wasmtime-like.js")).wasmtimeLikeScript({ through: "2025-11-21" });
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

const issuesWith = (text: string) => [...repo.issues.values()].filter((i) => !repo.pulls.has(i.number) && i.body?.includes(text));

async function mergeAndDeliver(input: { branch: string; title: string; files: Record<string, string>; labels: string[]; method?: "squash" | "merge" | "rebase" }) {
  const { issue } = await h.sandbox.scenario.proposeFix({ repo, branch: input.branch, title: input.title, files: input.files, author: people.committer, labels: input.labels });
  const sha = await h.sandbox.scenario.merge({ repo, number: issue.number, method: input.method ?? "squash", by: people.maintainer });
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  return { number: issue.number, sha };
}

test("a conflict names the file, the commands, and the earlier change the old lines never got; each conflict gets an issue", async () => {
  const fix = history.fixes.conflictsOnOld;
  const { number, sha } = await mergeAndDeliver({ branch: "fix-memory-grow", title: fix.message.split("\n")[0]!, files: fix.files, labels: ["backport:lts"] });
  expect(h.backportPulls(number)).toEqual([]);
  const rows = h.summaryRows(number);
  expect(rows.map((r) => [r.branch, r.outcome.kind])).toEqual([["release-36.0.0", "conflict"], ["release-24.0.0", "conflict"]]);
  for (const row of rows) {
    if (row.outcome.kind !== "conflict") throw new Error("expected a conflict");
    expect(row.outcome.files).toEqual(["crates/runtime/src/memory.rs"]);
    expect(row.outcome.missing.map((m) => m.title)).toContainEqual(expect.stringContaining("Refactor linear memories"));
    expect(row.outcome.commands).toEqual([
      `git fetch origin ${row.branch} main`,
      `git switch -c lts-steward/backport/${row.branch}/pr-${number} origin/${row.branch}`,
      `git cherry-pick -x ${sha}`,
      expect.stringContaining("git cherry-pick --continue"),
      `git push origin lts-steward/backport/${row.branch}/pr-${number}`,
    ]);
    expect(await h.git().readRef(`refs/heads/lts-steward/backport/${row.branch}/pr-${number}`)).toBeNull();
    const [conflictIssue] = issuesWith(`lts-steward:conflict pr-${number}/${row.branch}`);
    expect(conflictIssue?.assignees).toEqual([people.committer]);
    expect(row.outcome.issue?.number).toBe(conflictIssue?.number);
  }
  // Not a security fix: no tracking issue.
  expect(issuesWith(`lts-steward:tracking pr-${number}`)).toEqual([]);
  expect(h.botComments(number)[0]!.body).toContain("Refactor linear memories");
}, SLOW);

test("a merge commit is picked relative to its first parent", async () => {
  const branch = "fix-two-commits";
  await h.sandbox.scenario.commit({ repo, branch, message: "Add a fuel check\n", files: { "docs/fuel-a.md": "a\n" }, author: people.committer });
  await h.sandbox.scenario.commit({ repo, branch, message: "Test the fuel check\n", files: { "docs/fuel-b.md": "b\n" }, author: people.committer });
  const { issue } = await h.sandbox.scenario.openPull({ repo, head: branch, title: "Check fuel on calls", author: people.committer });
  h.sandbox.scenario.label({ repo, number: issue.number, label: "backport:current" });
  const sha = await h.sandbox.scenario.merge({ repo, number: issue.number, method: "merge", by: people.maintainer });
  expect((await h.git().readCommit(sha))!.parents).toHaveLength(2);
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  const [pull] = h.backportPulls(issue.number);
  expect(pull?.baseRef).toBe("release-39.0.0");
  const head = (await h.git().readCommit((await h.git().readRef(`refs/heads/${pull!.headRef}`))!))!;
  expect(head.message.split("\n")[0]).toBe(`Check fuel on calls (#${issue.number})`);
  expect(head.message).toContain(`(cherry picked from commit ${sha})`);
  expect(head.tree).toBe(cherryPickTree({ gitDir: h.gitDir(), branch: "release-39.0.0", shas: [sha], mainline: true }));
}, SLOW);

test("a fix already on the target is reported as such, with no PR and no branch left behind", async () => {
  const files = { "docs/already.md": "already there\n" };
  await h.sandbox.scenario.commit({ repo, branch: "release-39.0.0", message: "Add the note on 39 first\n", files, author: people.maintainer });
  const { number } = await mergeAndDeliver({ branch: "fix-already", title: "Add the note", files, labels: ["backport:current"] });
  expect(h.summaryRows(number).map((r) => [r.branch, r.outcome.kind])).toEqual([["release-39.0.0", "empty"]]);
  expect(h.backportPulls(number)).toEqual([]);
  expect(await h.git().readRef(`refs/heads/lts-steward/backport/release-39.0.0/pr-${number}`)).toBeNull();
  expect(h.botComments(number)[0]!.body).toMatch(/already/i);
}, SLOW);

test("an earlier backport PR, even closed, means already done: nothing is created", async () => {
  const { number } = await mergeAndDeliver({ branch: "fix-closed-backport", title: "Fix the closed case", files: { "docs/closed.md": "x\n" }, labels: ["backport:current"] });
  const [pull] = h.backportPulls(number);
  const maintainer = await h.sandbox.client({ login: people.maintainer });
  await maintainer.pulls.update({ owner: repo.owner.login, repo: repo.name, pull_number: pull!.number, state: "closed" });
  // The summary is lost (say, deleted by hand): the App must find the PR again instead of opening another.
  for (const c of h.botComments(number)) repo.comments.delete(c.id);
  const pullsBefore = repo.pulls.size;
  await h.deliver(await h.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer }));
  expect(repo.pulls.size).toBe(pullsBefore);
  const rows = h.summaryRows(number);
  expect(rows.map((r) => r.outcome)).toEqual([{ kind: "exists", pull: { number: pull!.number, url: expect.any(String) }, state: "closed" }]);
}, SLOW);

test("tracking per line: one issue per target line, with a row per fix; backport PRs get the configured milestone", async () => {
  const config = "preset: wasmtime\ntracking:\n  mode: line\n  for: all\nbackport:\n  milestone: \"{nextPatch}\"\n";
  await h.sandbox.scenario.commit({ repo, branch: "main", message: "Track backports per line\n", files: { ".github/lts-steward.yml": config }, author: people.maintainer });
  repo.milestones.push({ id: 90_001, number: 7, title: "36.0.4", state: "open" });
  const first = await mergeAndDeliver({ branch: "fix-line-1", title: "First line fix", files: { "docs/line-1.md": "1\n" }, labels: ["backport:lts"] });
  const second = await mergeAndDeliver({ branch: "fix-line-2", title: "Second line fix", files: { "docs/line-2.md": "2\n" }, labels: ["backport:lts"] });
  for (const branch of ["release-36.0.0", "release-24.0.0"]) {
    const issues = [...repo.issues.values()].filter((i) => i.title.startsWith(`Backports to ${branch}`));
    expect(issues).toHaveLength(1);
    expect(readTracking(issues[0]!.body)!.rows.map((r) => [r.source.number, r.status])).toEqual([[first.number, "open"], [second.number, "open"]]);
  }
  // 36's next patch is 36.0.4, which has a milestone; 24's (24.0.x) has none, so its PRs get none.
  const milestones = h.backportPulls(first.number).map((p) => [p.baseRef, repo.issues.get(p.number)!.milestone]);
  expect(milestones.sort()).toEqual([["release-24.0.0", null], ["release-36.0.0", 7]]);
}, SLOW);

test("a config that does not validate: /backport gets the problems, by path", async () => {
  await h.sandbox.scenario.commit({ repo, branch: "main", message: "Break the config\n", files: { ".github/lts-steward.yml": "preset: wasmtime\nbackprot:\n  label: x\n" }, author: people.maintainer });
  const { issue } = await h.sandbox.scenario.proposeFix({ repo, branch: "fix-bad-config", title: "Anything", files: { "docs/bad.md": "x\n" }, author: people.committer });
  const comment = h.sandbox.scenario.comment({ repo, number: issue.number, body: "/backport lts", author: people.maintainer });
  await h.deliver(h.driver.issueComment({ repo, comment }));
  const replies = h.botComments(issue.number);
  expect(replies).toHaveLength(1);
  expect(replies[0]!.body).toContain("backprot");
  expect(replies[0]!.body).toMatch(/unknown key/);
}, SLOW);

test("one target failing does not stop the others; its row says why, and the next delivery finishes it", async () => {
  await h.sandbox.scenario.commit({ repo, branch: "main", message: "Restore the config\n", files: { ".github/lts-steward.yml": "preset: wasmtime\n" }, author: people.maintainer });
  const { issue } = await h.sandbox.scenario.proposeFix({ repo, branch: "fix-flaky", title: "Fix under a flaky GitHub", files: { "docs/flaky.md": "x\n" }, author: people.committer, labels: ["backport:lts"] });
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  // The first PR creation keeps failing (more 500s than the App retries); the first branch is said to be "already
  // there" although it is not (as when another attempt deleted it in between).
  h.sandbox.faults.add({ kind: "500", match: "pulls/create", times: 9 });
  h.sandbox.faults.add({ kind: "ref-exists", match: "git/create-ref", times: 1 });
  const event = await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer });
  await h.deliver(event);
  h.sandbox.faults.clear();
  expect(h.summaryRows(issue.number).map((r) => [r.branch, r.outcome.kind, r.outcome.kind === "failed" ? r.outcome.reason : ""])).toEqual([["release-36.0.0", "failed", expect.any(String)], ["release-24.0.0", "opened", ""]]);
  const failed = h.summaryRows(issue.number)[0]!.outcome;
  expect(failed.kind === "failed" && failed.reason).toMatch(/kept failing \(500\)/);
  expect(h.botComments(issue.number)[0]!.body).toContain("kept failing");
  await h.deliver(event);
  expect(h.summaryRows(issue.number).map((r) => [r.branch, r.outcome.kind])).toEqual([["release-36.0.0", "opened"], ["release-24.0.0", "opened"]]);
  expect(h.backportPulls(issue.number).map((p) => p.baseRef).sort()).toEqual(["release-24.0.0", "release-36.0.0"]);
  expect(h.botComments(issue.number)).toHaveLength(1);
}, SLOW);

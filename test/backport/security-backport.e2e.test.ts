/**
 * Acceptance, end to end: the real App against the sandbox's Wasmtime-like history on 2025-11-21, when the
 * policy gives a security fix four targets (39, 38, 36 and 24; docs' worked example). The fix applies on
 * three and conflicts on release-24.0.0, which changed the same line on its own.
 */
import { readTracking } from "../../src/backport/render.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { cherryPickTree, SLOW, startHarness, type Harness } from "./harness.js";

const people = WASMTIME_PEOPLE;
const FILE = "crates/runtime/src/table.rs";
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-21" });
  repo = h.repo;
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());


/** A line of table.rs that every target branch has, changed by the fix on main and differently on release-24.0.0 alone. */
async function conflictingFix(branch: string): Promise<{ number: number; sha: string }> {
  const read = async (ref: string): Promise<string> => {
    const found = await h.git().readPath({ commit: (await h.git().resolveCommit(ref))!, path: FILE });
    if (found?.kind !== "file") throw new Error(`no ${FILE} on ${ref}`);
    return found.content.toString("utf8");
  };
  const texts = await Promise.all(["main", "release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"].map(read));
  const line = texts[0]!.split("\n").find((l) => l.trim().length > 20 && texts.every((t) => t.split("\n").filter((x) => x === l).length === 1))!;
  expect(line).toBeDefined();
  const edit = (text: string, suffix: string) => text.replace(line, `${line} // ${suffix}`);
  await h.sandbox.scenario.commit({ repo, branch: "release-24.0.0", message: "Tweak table bounds on 24 only\n", files: { [FILE]: edit(texts[4]!, "24 only") }, author: people.maintainer });
  const { issue } = await h.sandbox.scenario.proposeFix({
    repo, branch, title: "Check table bounds before filling", files: { [FILE]: edit(texts[0]!, "checked") }, author: people.committer, labels: ["backport:security"],
  });
  const sha = await h.sandbox.scenario.merge({ repo, number: issue.number, method: "squash", by: people.maintainer });
  return { number: issue.number, sha };
}

let fix: { number: number; sha: string };

test("a squash-merged security fix: three backport PRs equal to git cherry-pick -x, one conflict row, one summary, one tracking issue", async () => {
  fix = await conflictingFix("fix-table-bounds");
  const status = await h.deliver(await h.driver.pullRequest({ repo, number: fix.number, action: "closed", sender: people.maintainer }));
  expect(status).toBe(200);

  const pulls = h.backportPulls(fix.number);
  expect(pulls.map((p) => p.baseRef).sort()).toEqual(["release-36.0.0", "release-38.0.0", "release-39.0.0"]);
  for (const pull of pulls) {
    expect(pull.headRef).toBe(`lts-steward/backport/${pull.baseRef}/pr-${fix.number}`);
    const issue = repo.issues.get(pull.number)!;
    expect(issue.title).toBe(`[${pull.baseRef}] Check table bounds before filling (#${fix.number})`);
    expect(issue.labels).toContain("backport");
    expect(issue.labels).not.toContain("backport:security");
    const head = (await h.git().readRef(`refs/heads/${pull.headRef}`))!;
    const commit = (await h.git().readCommit(head))!;
    expect(commit.tree).toBe(cherryPickTree({ gitDir: h.gitDir(), branch: pull.baseRef, shas: [fix.sha] }));
    expect(commit.parents).toEqual([await h.git().readRef(`refs/heads/${pull.baseRef}`)]);
    expect(commit.message).toContain(`(cherry picked from commit ${fix.sha})`);
    expect(commit.message).toMatch(/Co-authored-by: .+ <.+>/);
    expect(pull.requestedReviewers ?? []).toEqual(expect.arrayContaining([people.committer, people.maintainer]));
  }
  expect(cherryPickTree({ gitDir: h.gitDir(), branch: "release-24.0.0", shas: [fix.sha] })).toBe("conflict");
  expect(await h.git().readRef(`refs/heads/lts-steward/backport/release-24.0.0/pr-${fix.number}`)).toBeNull();

  const summaries = h.botComments(fix.number);
  expect(summaries).toHaveLength(1);
  const rows = h.summaryRows(fix.number);
  expect(rows.map((r) => [r.branch, r.outcome.kind])).toEqual([
    ["release-39.0.0", "opened"], ["release-38.0.0", "opened"], ["release-36.0.0", "opened"], ["release-24.0.0", "conflict"],
  ]);
  const conflict = rows[3]!.outcome;
  expect(conflict.kind === "conflict" && conflict.files).toEqual([FILE]);
  expect(conflict.kind === "conflict" && conflict.commands.join("\n")).toContain(`git cherry-pick -x ${fix.sha}`);
  expect(summaries[0]!.body).toContain(FILE);

  const issues = [...repo.issues.values()].filter((i) => !repo.pulls.has(i.number) && i.labels.includes("backport-tracking"));
  const tracking = issues.filter((i) => i.body?.includes(`lts-steward:tracking pr-${fix.number}`));
  expect(tracking).toHaveLength(1);
  expect(readTracking(tracking[0]!.body)!.rows.map((r) => [r.branch, r.status])).toEqual([
    ["release-39.0.0", "open"], ["release-38.0.0", "open"], ["release-36.0.0", "open"], ["release-24.0.0", "conflict"],
  ]);
  const conflictIssues = issues.filter((i) => i.body?.includes(`lts-steward:conflict pr-${fix.number}/release-24.0.0`));
  expect(conflictIssues).toHaveLength(1);
  expect(conflictIssues[0]!.assignees).toEqual([people.committer]);
}, SLOW);

test("the same webhook delivered again, or again under a new delivery id, creates nothing", async () => {
  const before = { pulls: repo.pulls.size, issues: repo.issues.size, comments: repo.comments.size };
  const event = await h.driver.pullRequest({ repo, number: fix.number, action: "closed", sender: people.maintainer });
  const mark = h.sandbox.log.mark();
  await h.deliver(event, { deliveryId: "same-delivery" });
  await h.deliver(event, { deliveryId: "same-delivery" });
  await h.deliver(event);
  expect(h.sandbox.log.writes(mark).filter((c) => c.operationId !== "apps/create-installation-access-token")).toEqual([]);
  expect({ pulls: repo.pulls.size, issues: repo.issues.size, comments: repo.comments.size }).toEqual(before);
}, SLOW);

test("two deliveries at once produce one set of branches, PRs, one summary and one tracking issue", async () => {
  const { issue } = await h.sandbox.scenario.proposeFix({
    repo, branch: "fix-docs-race", title: "Clarify the table docs", files: { "docs/table.md": "Tables are bounds-checked.\n" }, author: people.committer, labels: ["backport:security"],
  });
  await h.sandbox.scenario.merge({ repo, number: issue.number, method: "squash", by: people.maintainer });
  const event = await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer });
  await Promise.all([h.driver.send(event), h.driver.send(event), h.driver.send(event, { deliveryId: "race-1" }), h.driver.send(event, { deliveryId: "race-1" })]);
  await h.queue.idle();
  expect(h.backportPulls(issue.number).map((p) => p.baseRef).sort()).toEqual(["release-24.0.0", "release-36.0.0", "release-38.0.0", "release-39.0.0"]);
  expect(h.botComments(issue.number)).toHaveLength(1);
  const tracking = [...repo.issues.values()].filter((i) => i.body?.includes(`lts-steward:tracking pr-${issue.number}`));
  expect(tracking).toHaveLength(1);
  const branches = (await h.git().listRefs("refs/heads/lts-steward/")).map((r) => r.ref);
  expect(branches.filter((b) => b.endsWith(`/pr-${issue.number}`))).toHaveLength(4);
}, SLOW);

test("a backport PR merged updates its tracking row; the last one closes the tracking issue", async () => {
  const pulls = h.backportPulls(fix.number).sort((a, b) => a.baseRef.localeCompare(b.baseRef));
  for (const pull of pulls) {
    await h.sandbox.scenario.merge({ repo, number: pull.number, method: "squash", by: people.maintainer });
    await h.deliver(await h.driver.pullRequest({ repo, number: pull.number, action: "closed", sender: people.maintainer }));
  }
  const tracking = [...repo.issues.values()].find((i) => i.body?.includes(`lts-steward:tracking pr-${fix.number}`))!;
  const rows = readTracking(tracking.body)!.rows;
  expect(rows.filter((r) => r.status === "merged").map((r) => r.branch).sort()).toEqual(["release-36.0.0", "release-38.0.0", "release-39.0.0"]);
  // The conflict on 24 still needs a person, so the issue stays open.
  expect(tracking.state).toBe("open");
}, SLOW);

test("a conflict finished by hand on the App's branch closes its conflict issue and the tracking issue", async () => {
  const branch = `lts-steward/backport/release-24.0.0/pr-${fix.number}`;
  const current = await h.git().readPath({ commit: (await h.git().resolveCommit("release-24.0.0"))!, path: FILE });
  if (current?.kind !== "file") throw new Error("no table.rs on 24");
  const resolved = current.content.toString("utf8").replace("// 24 only", "// 24 only, checked");
  await h.sandbox.scenario.commit({ repo, branch, from: "release-24.0.0", message: `Check table bounds before filling\n\n(cherry picked from commit ${fix.sha})\n`, files: { [FILE]: resolved }, author: people.committer });
  const { issue } = await h.sandbox.scenario.openPull({ repo, head: branch, base: "release-24.0.0", title: "[release-24.0.0] Check table bounds before filling", author: people.committer });
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  const tracking = [...repo.issues.values()].find((i) => i.body?.includes(`lts-steward:tracking pr-${fix.number}`))!;
  expect(readTracking(tracking.body)!.rows.map((r) => [r.branch, r.status])).toEqual([
    ["release-39.0.0", "merged"], ["release-38.0.0", "merged"], ["release-36.0.0", "merged"], ["release-24.0.0", "merged"],
  ]);
  expect(tracking.state).toBe("closed");
  const conflictIssue = [...repo.issues.values()].find((i) => i.body?.includes(`lts-steward:conflict pr-${fix.number}/release-24.0.0`))!;
  expect(conflictIssue.state).toBe("closed");
}, SLOW);

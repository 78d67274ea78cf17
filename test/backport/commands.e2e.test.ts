/**
 * Acceptance, end to end: `/backport` comments, a rebase merge, and faults, on the Wasmtime-like history
 * on 2026-03-10 (LTS lines 24 and 36 supported; 40 ended on 2026-02-20; 41 and 42 supported; 43 upcoming).
 */
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { cherryPickTree, SLOW, startHarness, type Harness } from "./harness.js";

const people = WASMTIME_PEOPLE;
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2026-03-10" });
  repo = h.repo;
}, SLOW);
afterAll(() => h.stop());
afterEach(() => {
  h.sandbox.faults.clear();
  h.sandbox.assertNoViolations();
}, SLOW);

const writesSince = (mark: number) => h.sandbox.log.writes(mark).filter((c) => c.operationId !== "apps/create-installation-access-token");

let counter = 0;
async function openFix(title: string) {
  counter++;
  return (await h.sandbox.scenario.proposeFix({ repo, branch: `fix-${counter}`, title, files: { [`docs/fix-${counter}.md`]: `${title}\n` }, author: people.committer })).issue;
}

async function comment(number: number, body: string, author: string) {
  const record = h.sandbox.scenario.comment({ repo, number, body, author });
  await h.deliver(h.driver.issueComment({ repo, comment: record }));
  return record;
}

test("/backport lts from a read-only user: one refusal reply and no other write", async () => {
  const issue = await openFix("Fix a typo in the docs");
  const mark = h.sandbox.log.mark();
  await comment(issue.number, "/backport lts", people.outsider);
  const writes = writesSince(mark);
  expect(writes.map((c) => c.operationId)).toEqual(["issues/create-comment"]);
  const replies = h.botComments(issue.number);
  expect(replies).toHaveLength(1);
  expect(replies[0]!.body).toContain(`@${people.outsider}`);
  expect(replies[0]!.body).toMatch(/write/);
  expect(replies[0]!.body).toMatch(/read/);
}, SLOW);

test("/backport release-40.0.0 for a line at end of support: a reply with the reason; nothing created", async () => {
  const issue = await openFix("Fix the fuel accounting");
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  const pullsBefore = repo.pulls.size;
  const mark = h.sandbox.log.mark();
  await comment(issue.number, "/backport release-40.0.0", people.maintainer);
  const replies = h.botComments(issue.number);
  expect(replies).toHaveLength(1);
  expect(replies[0]!.body).toContain("release-40.0.0");
  expect(replies[0]!.body).toContain("end of support 2026-02-20");
  expect(replies[0]!.body).toContain("`lts`");
  expect(repo.pulls.size).toBe(pullsBefore);
  expect(writesSince(mark).map((c) => c.operationId).sort()).toEqual(["issues/create-comment", "reactions/create-for-issue-comment"]);
}, SLOW);

test("/backport lts before merge is acknowledged, then honoured once at merge", async () => {
  const issue = await openFix("Fix the epoch interruption check");
  await comment(issue.number, "/backport lts", people.committer);
  const ack = h.botComments(issue.number);
  expect(ack).toHaveLength(1);
  expect(ack[0]!.body).toMatch(/once this PR is merged/i);
  expect(ack[0]!.body).toContain("release-36.0.0");
  expect(ack[0]!.body).toContain("release-24.0.0");
  expect(h.backportPulls(issue.number)).toEqual([]);

  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  const closed = await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer });
  await h.deliver(closed);
  await h.deliver(closed);
  expect(h.backportPulls(issue.number).map((p) => p.baseRef).sort()).toEqual(["release-24.0.0", "release-36.0.0"]);
  expect(h.botComments(issue.number)).toHaveLength(2); // the acknowledgement and one summary
  expect(h.summaryRows(issue.number).map((r) => r.outcome.kind)).toEqual(["opened", "opened"]);
}, SLOW);

test("a label added after merge backports to the lines it adds", async () => {
  const issue = await openFix("Fix the component model lifting");
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  const label = h.sandbox.scenario.label({ repo, number: issue.number, label: "backport:current" });
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "labeled", label, sender: people.maintainer }));
  expect(h.backportPulls(issue.number).map((p) => p.baseRef)).toEqual(["release-42.0.0"]);
}, SLOW);

test("a rebase-merged PR with three commits is picked commit by commit, in order", async () => {
  const branch = "fix-three-steps";
  const titles = ["Add a limit to the pooling allocator", "Enforce the pooling limit", "Document the pooling limit"];
  for (const [i, title] of titles.entries()) {
    await h.sandbox.scenario.commit({ repo, branch, message: `${title}\n`, files: { [`docs/pooling-${i}.md`]: `${title}\n` }, author: people.committer });
  }
  const { issue } = await h.sandbox.scenario.openPull({ repo, head: branch, title: "Pooling limits", author: people.committer });
  h.sandbox.scenario.label({ repo, number: issue.number, label: "backport:lts" });
  await h.sandbox.scenario.merge({ repo, number: issue.number, method: "rebase", by: people.maintainer });
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));

  const mainShas = (await h.git().revList({ include: [(await h.git().readRef("refs/heads/main"))!], max: 3, reverse: true }))!;
  for (const pull of h.backportPulls(issue.number)) {
    const head = (await h.git().readRef(`refs/heads/${pull.headRef}`))!;
    const picked = (await h.git().revList({ include: [head], exclude: [(await h.git().readRef(`refs/heads/${pull.baseRef}`))!], reverse: true }))!;
    const messages = await Promise.all(picked.map(async (sha) => (await h.git().readCommit(sha))!.message));
    expect(messages.map((m) => m.split("\n")[0])).toEqual(titles);
    expect(messages.map((m) => /cherry picked from commit (\w+)/.exec(m)?.[1])).toEqual(mainShas);
    expect((await h.git().readCommit(head))!.tree).toBe(cherryPickTree({ gitDir: h.gitDir(), branch: pull.baseRef, shas: mainShas }));
  }
  expect(h.backportPulls(issue.number)).toHaveLength(2);
}, SLOW);

test("with a 502 on a third of calls and a secondary rate limit, every target still ends correct, with no duplicates", async () => {
  const issue = await openFix("Fix the trap handler on macOS");
  h.sandbox.scenario.label({ repo, number: issue.number, label: "backport:security" });
  const sha = await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  h.sandbox.faults.add({ kind: "secondary-rate-limit", match: "pulls/create", times: 1 });
  h.sandbox.faults.add({ kind: "502", fraction: 1 / 3, seed: 7 });
  const event = await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer });
  await h.deliver(event);
  const expected = ["release-24.0.0", "release-36.0.0", "release-41.0.0", "release-42.0.0", "release-43.0.0"];
  expect(h.sandbox.log.since(0).filter((c) => c.status === 502).length).toBeGreaterThan(5);
  expect(h.backportPulls(issue.number).map((p) => p.baseRef).sort()).toEqual(expected);
  h.sandbox.faults.clear();
  await h.deliver(event); // delivered again: nothing new
  expect(h.backportPulls(issue.number).map((p) => p.baseRef).sort()).toEqual(expected);
  for (const pull of h.backportPulls(issue.number)) {
    const head = (await h.git().readRef(`refs/heads/${pull.headRef}`))!;
    expect((await h.git().readCommit(head))!.tree).toBe(cherryPickTree({ gitDir: h.gitDir(), branch: pull.baseRef, shas: [sha] }));
  }
  expect(h.botComments(issue.number)).toHaveLength(1);
  expect(h.summaryRows(issue.number).map((r) => r.outcome.kind)).toEqual(expected.map(() => "opened"));
  expect([...repo.issues.values()].filter((i) => i.body?.includes(`lts-steward:tracking pr-${issue.number}`))).toHaveLength(1);
}, SLOW);

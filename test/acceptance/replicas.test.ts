/**
 * Two replicas of the real App in front of one sandbox, with no Redis and no coordinator (issue 13, item 3):
 * given the same deliveries, `closed` and `labeled` for the same PRs at once, or half each, they build every
 * security backport once. No backport PR loses its head branch, no clean fix is recorded as a conflict, no
 * record exists twice, and every summary matches the PRs. The claim is the backport branch itself
 * (`src/backport/cherry-pick.ts`); twins of a record are settled right after creation (`src/state/records.ts`).
 */
import { runApp, type RunningApp } from "../../sandbox/run-app.js";
import type { Sandbox } from "../../sandbox/sandbox.js";
import { startSandboxOn } from "./story.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { readSummary } from "../../src/backport/render.js";

const people = WASMTIME_PEOPLE;
const DAY = "2025-11-21";

let sandbox: Sandbox;
let repo: RepoRecord;
let replicas: [RunningApp, RunningApp];

beforeAll(async () => {
  ({ sandbox, repo } = await startSandboxOn(DAY));
  replicas = (await Promise.all([0, 1].map(() => runApp(sandbox, { today: DAY })))) as [RunningApp, RunningApp];
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await sandbox.stop();
});

let fixes = 0;
/** A security fix, merged; its webhooks are sent by the test. */
async function mergedFix(labelled: boolean): Promise<number> {
  const n = ++fixes;
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: `fix-replica-race-${n}`, title: `Bound the table index (${n})`, files: { [`docs/security/race-${n}.md`]: `fix ${n}\n` },
    author: people.committer, labels: labelled ? ["backport:security"] : [],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

const idle = () => Promise.all(replicas.map((r) => r.queue.idle()));
const backportPulls = (number: number) => [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`));
const appComments = (number: number, kind: string) => [...repo.comments.values()].filter((c) => c.issueNumber === number && c.body.includes(`lts-steward:${kind}`));
const conflictIssues = () => [...repo.issues.values()].filter((i) => !i.isPull && /lts-steward:conflict/.test(i.body ?? ""));

/** One open backport PR per target line, the summary's rows naming exactly those PRs, nothing twice, nothing lost. */
function expectBuiltOnce(number: number) {
  const pulls = backportPulls(number).map((p) => ({ base: p.baseRef, number: p.number, state: repo.issues.get(p.number)!.state }));
  const summaries = appComments(number, "summary");
  expect({ number, summaries: summaries.length }).toEqual({ number, summaries: 1 });
  const rows = readSummary(summaries[0]!.body)?.rows ?? [];
  expect(rows.length).toBeGreaterThanOrEqual(3);
  // Every row is a PR (never a conflict, an empty pick or a failure), and every PR is a row.
  expect(rows.map((r) => ({ branch: r.branch, kind: r.outcome.kind, pull: "pull" in r.outcome ? (r.outcome.pull?.number ?? null) : null })).sort((a, b) => a.branch.localeCompare(b.branch)))
    .toEqual(pulls.map((p) => ({ branch: p.base, kind: expect.stringMatching(/^(opened|exists)$/), pull: p.number })).sort((a, b) => a.branch.localeCompare(b.branch)));
  expect(new Set(pulls.map((p) => p.base)).size).toBe(pulls.length);
  // No PR was closed by its head branch being deleted or moved away.
  expect(pulls.filter((p) => p.state !== "open")).toEqual([]);
}

test("the same deliveries to both replicas, closed and labeled at once, and half each: every backport once, no head deleted, no false conflict, no twin", async () => {
  const [r0, r1] = replicas;
  // Same delivery to both (GitHub redelivering to another replica), for two fixes.
  const same = [await mergedFix(true), await mergedFix(true)];
  // closed to one replica and labeled (after merge) to the other, at once.
  const mixed = await mergedFix(false);
  const halves = [await mergedFix(true), await mergedFix(true)];
  // A maintainer labels the merged PR: its `closed` reaches one replica as the `labeled` reaches the other.
  const label = sandbox.scenario.label({ repo, number: mixed, label: "backport:security", by: people.maintainer });
  const closed = (number: number) => r0.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
  const sends = [
    ...(await Promise.all(same.map(closed))).flatMap((event, i) => [r0.driver.send(event, { deliveryId: `same-${i}` }), r1.driver.send(event, { deliveryId: `same-${i}` })]),
    r0.driver.send(await closed(mixed)),
    r1.driver.send(await r1.driver.pullRequest({ repo, number: mixed, action: "labeled", label, sender: people.maintainer })),
    r0.driver.send(await closed(halves[0]!)),
    r1.driver.send(await closed(halves[1]!)),
  ];
  await Promise.all(sends);
  await idle();

  for (const number of [...same, mixed, ...halves]) expectBuiltOnce(number);
  expect(conflictIssues()).toEqual([]);
  // Both replicas did work (the race was real), and a second delivery to either writes nothing.
  for (const replica of replicas) expect(replica.logs.some((l) => l.msg === "backport PR opened")).toBe(true);
  const mark = sandbox.log.mark();
  await Promise.all([r0.driver.send(await closed(same[0]!)), r1.driver.send(await closed(same[0]!))]);
  await idle();
  expect(sandbox.log.since(mark).filter((call) => call.write && call.operationId !== "apps/create-installation-access-token")).toEqual([]);
  sandbox.assertNoViolations();
});

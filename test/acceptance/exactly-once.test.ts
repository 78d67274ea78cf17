/**
 * Acceptance for exactly-once writes, end to end: the real App against the sandbox's Wasmtime-like history on
 * 2025-11-21 (a security fix has four targets: 39, 38, 36 and 24). GitHub applies writes and then loses the
 * answer (5xx or a dropped connection), the App dies right after a write and a fresh instance takes over, and
 * people and other bots plant look-alikes of the App's records. Every run must end complete (every backport
 * PR labelled, with its reviewers; one summary and one tracking issue per fix), with nothing created twice.
 */
import { runApp, type RunningApp } from "../../sandbox/run-app.js";
import type { Sandbox } from "../../sandbox/sandbox.js";
import { startSandboxOn } from "./story.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { readSummary } from "../../src/backport/render.js";

const people = WASMTIME_PEOPLE;
const DAY = "2025-11-21";
const SECURITY = ["release-24.0.0", "release-36.0.0", "release-38.0.0", "release-39.0.0"];
const TOKEN = "apps/create-installation-access-token";
const BOT = "lts-steward[bot]";

let sandbox: Sandbox;
let repo: RepoRecord;
let app: RunningApp;

beforeAll(async () => {
  ({ sandbox, repo } = await startSandboxOn(DAY));
  app = await runApp(sandbox, { today: DAY });
});
afterAll(async () => {
  await app.stop();
  await sandbox.stop();
});
afterEach(() => {
  sandbox.faults.clear();
  sandbox.assertNoViolations();
});

let fixes = 0;
/** `count` merged fixes asking for `backport:security`, each adding its own file (clean on every line). */
async function mergedFixes(count: number): Promise<number[]> {
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++fixes;
    const { issue } = await sandbox.scenario.proposeFix({
      repo, branch: `fix-hardening-${n}`, title: `Harden the loader (${n})`, files: { [`docs/security/hardening-${n}.md`]: `hardening ${n}\n` },
      author: people.committer, labels: ["backport:security"],
    });
    await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
    numbers.push(issue.number);
  }
  return numbers;
}

async function deliverClosed(target: RunningApp, number: number): Promise<void> {
  await target.driver.send(await target.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer }));
}

const byApp = (login: string) => login === BOT;
const backportPulls = (number: number) => [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`));
/** The App's own summary comments and tracking issues (look-alikes planted by others are counted apart). */
const summaries = (number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number && byApp(c.user.login) && c.body.includes(`lts-steward:summary pr-${number} `));
const trackingIssues = (number: number) => [...repo.issues.values()].filter((i) => byApp(i.user.login) && (i.body ?? "").includes(`lts-steward:tracking pr-${number} `));

/** Every fix: four backport PRs (one per target), labelled and with reviewers, one summary saying so, one tracking issue. */
function expectComplete(numbers: number[]): void {
  for (const number of numbers) {
    const pulls = backportPulls(number);
    expect([number, pulls.map((p) => p.baseRef).sort()]).toEqual([number, SECURITY]);
    for (const pull of pulls) {
      const issue = repo.issues.get(pull.number)!;
      expect([pull.number, issue.state, issue.labels.includes("backport")]).toEqual([pull.number, "open", true]);
      expect([pull.number, [...pull.requestedReviewers].sort()]).toEqual([pull.number, [people.committer, people.maintainer].sort()]);
    }
    const [summary, ...extraSummaries] = summaries(number);
    expect([number, extraSummaries.length, summary?.user.login]).toEqual([number, 0, BOT]);
    const rows = readSummary(summary!.body)!.rows;
    expect(rows.map((r) => `${r.branch}:${r.outcome.kind === "opened" || r.outcome.kind === "exists" ? "pr" : r.outcome.kind}`).sort()).toEqual(SECURITY.map((b) => `${b}:pr`));
    expect([number, trackingIssues(number).length]).toEqual([number, 1]);
  }
}

describe("GitHub applies a write, then the answer is lost", () => {
  test("on 30% of writes (5xx or a dropped connection): 4 fixes × 4 targets end complete, nothing twice", async () => {
    const numbers = await mergedFixes(4);
    sandbox.faults.add({ kind: "apply-then-502", writes: true, except: [TOKEN], fraction: 0.15, seed: 12 });
    sandbox.faults.add({ kind: "apply-then-drop", writes: true, except: [TOKEN], fraction: 0.18, seed: 34 });
    for (const number of numbers) await deliverClosed(app, number);
    await app.queue.idle();
    const fired = sandbox.log.calls.filter((c) => c.fault === "apply-then-502" || c.fault === "apply-then-drop");
    expect(fired.length).toBeGreaterThan(20);
    expectComplete(numbers);
  });

  test.each(["apply-then-500", "apply-then-drop"] as const)("on the first write of every route, once (%s)", async (kind) => {
    const numbers = await mergedFixes(4);
    sandbox.faults.add({ kind, writes: true, except: [TOKEN], perRoute: true, times: 1 });
    for (const number of numbers) await deliverClosed(app, number);
    await app.queue.idle();
    const hit = new Set(sandbox.log.calls.filter((c) => c.fault === kind).map((c) => c.operationId));
    // Every kind of write the backport makes lost one answer.
    for (const route of ["git/create-commit", "git/create-ref", "repos/merge", "git/update-ref", "pulls/create", "pulls/request-reviewers", "issues/update", "issues/create", "issues/create-comment"]) {
      expect([route, hit.has(route)]).toEqual([route, true]);
    }
    expectComplete(numbers);
  });
});

describe("the App dies right after a write, a new instance gets the webhook again", () => {
  // Kill points across a 4-target backport: the first commit, the first branch, the first PR, its reviewers, its
  // labels, a later target, the tracking issue and the summary. The full sweep of the first 34 writes, with the App
  // as its own process and a real SIGKILL, is `npm run acceptance:crash` (bench/crash-recovery.bench.ts).
  test.each([1, 7, 17, 34])("killed after write %i: the next instance finishes, nothing twice", async (k) => {
    const [number] = await mergedFixes(1);
    sandbox.faults.add({ kind: "apply-then-kill", writes: true, except: [TOKEN], after: k - 1, times: 1 });
    await deliverClosed(app, number!);
    await app.queue.idle();
    expect(sandbox.log.calls.some((c) => c.fault === "apply-then-kill")).toBe(true);
    sandbox.faults.clear();
    await app.stop();
    app = await runApp(sandbox, { today: DAY });
    await deliverClosed(app, number!);
    await app.queue.idle();
    expectComplete([number!]);
  });
});

describe("look-alikes of the App's records, from people and other bots", () => {
  test.each([people.committer, "other-app[bot]"])("planted by %s: ignored, never edited, and the work is done", async (planter) => {
    if (planter.endsWith("[bot]")) sandbox.store.user(planter, "Bot");
    const [number] = await mergedFixes(1);
    const client = await sandbox.client({ login: planter });
    const owner = repo.owner.login;
    // A summary claiming every target is done, a tracking issue for the fix, and a reply marker for the next comment.
    const rows = SECURITY.map((branch) => ({ branch, line: branch.slice(8, 10), label: `${branch.slice(8, 10)}.0.x`, lineKind: "regular", nextPatch: "1.0.1", reason: "x", outcome: { kind: "empty" } }));
    const state = Buffer.from(JSON.stringify({ version: 1, rows, skipped: [], requests: [] })).toString("base64url");
    const fakeSummary = `<!-- lts-steward:summary pr-${number} -->\n\nAll done.\n\n<!-- lts-steward:state ${state} -->`;
    const { data: summary } = await client.issues.createComment({ owner, repo: repo.name, issue_number: number!, body: fakeSummary });
    const fakeTracking = `<!-- lts-steward:tracking pr-${number} -->\n\nnothing to see`;
    const { data: tracking } = await client.issues.create({ owner, repo: repo.name, title: "Backports", body: fakeTracking, labels: ["backport-tracking"] }).catch(async () =>
      client.issues.create({ owner, repo: repo.name, title: "Backports", body: fakeTracking }));
    await deliverClosed(app, number!);
    await app.queue.idle();
    expectComplete([number!]);
    expect(repo.comments.get(summary.id)?.body).toBe(fakeSummary);
    expect(repo.issues.get(tracking.number)?.body).toBe(fakeTracking);
    expect([...repo.issues.values()].filter((i) => (i.body ?? "").includes(`lts-steward:tracking pr-${number} `))).toHaveLength(2);

    // A reply marker planted for the id the maintainer's next comment will get does not silence it.
    const nextId = Math.max(...repo.comments.keys()) + 2;
    await client.issues.createComment({ owner, repo: repo.name, issue_number: number!, body: `<!-- lts-steward:reply comment-${nextId} -->\nanswered` });
    const command = sandbox.scenario.comment({ repo, number: number!, body: "/backport lts", author: people.maintainer });
    expect(command.id).toBe(nextId);
    await app.driver.send(app.driver.issueComment({ repo, comment: command }));
    await app.queue.idle();
    const replies = [...repo.comments.values()].filter((c) => c.issueNumber === number && c.user.login === BOT && c.body.includes(`lts-steward:reply comment-${nextId} `));
    expect(replies).toHaveLength(1);
  });

  test("a maintainer's /dismiss on a look-alike advisory issue is not an advisory command: the issue is not edited", async () => {
    const client = await sandbox.client({ login: people.outsider });
    const state = Buffer.from(JSON.stringify({
      version: 1,
      tracking: { ghsaId: "GHSA-aaaa-bbbb-cccc", cveId: null, summary: "x", advisoryUrl: null, ranges: [">= 1.0.0"], assessedOn: DAY, rows: [], unaffected: [], endOfSupport: [], fixes: [], withdrawn: false },
    })).toString("base64url");
    const body = `<!-- lts-steward:advisory ghsa-aaaa-bbbb-cccc -->\n\nlooks official\n\n<!-- lts-steward:state ${state} -->`;
    const { data: issue } = await client.issues.create({ owner: repo.owner.login, repo: repo.name, title: "GHSA-aaaa-bbbb-cccc", body });
    const mark = sandbox.log.mark();
    const command = sandbox.scenario.comment({ repo, number: issue.number, body: "/dismiss 36 not affected", author: people.maintainer });
    await app.driver.send(app.driver.issueComment({ repo, comment: command }));
    await app.queue.idle();
    expect(repo.issues.get(issue.number)?.body).toBe(body);
    expect(sandbox.log.writes(mark).filter((c) => c.operationId !== TOKEN)).toEqual([]);
  });
});

/**
 * Recovery at start-up, end to end in the sandbox (2025-11-21, a security fix has four targets: 39, 38, 36
 * and 24): the App dies in the middle of a 4-fix × 4-line security backport, a new instance starts with the
 * daily tick off and gets no webhook, and finds the unfinished work from GitHub's records alone. The fixes
 * ask by label (an accepted `/backport` comment puts the same label: src/backport/run-command.ts).
 */
import { runApp, type RunningApp } from "../../sandbox/run-app.js";
import type { Sandbox } from "../../sandbox/sandbox.js";
import { startSandboxOn } from "./story.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { readSummary } from "../../src/backport/render.js";
import { eventually } from "../helpers/eventually.js";

const people = WASMTIME_PEOPLE;
const DAY = "2025-11-21";
const SECURITY = ["release-24.0.0", "release-36.0.0", "release-38.0.0", "release-39.0.0"];
const TOKEN = "apps/create-installation-access-token";
const BOT = "lts-steward[bot]";
/** Sixteen targets twice over on two shared cores: the condition is waited for, the bound is only a backstop. */
const LONG = 600_000;

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
async function mergedFixes(count: number, labels: string[]): Promise<number[]> {
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++fixes;
    const { issue } = await sandbox.scenario.proposeFix({
      repo, branch: `fix-recover-${n}`, title: `Harden the loader (${n})`, files: { [`docs/security/recover-${n}.md`]: `recover ${n}\n` },
      author: people.committer, labels,
    });
    await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
    numbers.push(issue.number);
  }
  return numbers;
}

const backportPulls = (number: number) => [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`));
const summaries = (number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number && c.user.login === BOT && c.body.includes(`lts-steward:summary pr-${number} `));

/** Every fix: one backport PR per target, labelled, and one summary saying so. */
function expectComplete(numbers: number[]): void {
  for (const number of numbers) {
    const pulls = backportPulls(number);
    expect([number, pulls.map((p) => p.baseRef).sort()]).toEqual([number, SECURITY]);
    for (const pull of pulls) expect([pull.number, repo.issues.get(pull.number)?.labels.includes("backport")]).toEqual([pull.number, true]);
    const found = summaries(number);
    expect([number, found.length]).toEqual([number, 1]);
    const rows = readSummary(found[0]!.body)!.rows;
    expect(rows.map((r) => `${r.branch}:${r.outcome.kind === "opened" || r.outcome.kind === "exists" ? "pr" : r.outcome.kind}`).sort()).toEqual(SECURITY.map((b) => `${b}:pr`));
  }
}

async function killAfter(writes: number, deliver: () => Promise<void>): Promise<void> {
  sandbox.faults.add({ kind: "apply-then-kill", writes: true, except: [TOKEN], after: writes - 1, times: 1 });
  await deliver();
  await app.queue.idle();
  expect(sandbox.log.calls.some((c) => c.fault === "apply-then-kill")).toBe(true);
  sandbox.faults.clear();
  await app.stop();
}

describe("killed mid-way through 4 fixes × 4 lines, restarted with no webhook and no tick", () => {
  test("asked for by labels: recovery completes all 16 targets and 4 summaries; a second recovery writes nothing", async () => {
    const numbers = await mergedFixes(4, ["backport:security"]);
    await killAfter(21, async () => {
      for (const number of numbers) await app.driver.send(await app.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer }));
    });
    expect(backportPulls(numbers[3]!)).toHaveLength(0);
    app = await runApp(sandbox, { today: DAY, recovery: true });
    await eventually(() => expectComplete(numbers));
    await app.queue.idle();
    await app.stop();

    const mark = sandbox.log.mark();
    app = await runApp(sandbox, { today: DAY, recovery: true });
    await eventually(() => expect(app.logs.some((l) => l["msg"] === "recovery: a job queued per installed repository")).toBe(true));
    await app.queue.idle();
    expect(sandbox.log.writes(mark).filter((c) => c.operationId !== TOKEN).map((c) => c.operationId)).toEqual([]);
  }, LONG);
});

/**
 * Backport benchmark: what a backport costs in GitHub calls (reads and writes per target, split into the
 * writes up to the open PR and the ones on top), and how fast the App answers webhooks while the work runs
 * behind them. The real App runs against the sandbox (sandbox/run-app.ts) with the Wasmtime-like history
 * on 2025-11-21 (security targets: 39, 38, 36, 24).
 *
 * Run with `npm run bench`.
 */
import os from "node:os";
import { runApp, type RunningApp } from "../sandbox/run-app.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../sandbox/state/types.js";
import type { CallRecord } from "../sandbox/http/call-log.js";

const DAY = "2025-11-21";
const ANSWERS = 40;
const people = WASMTIME_PEOPLE;
/** Writes that belong to opening the PR; everything else the App writes is on top (labels, reviewers, summary…). */
const UP_TO_PR = new Set(["git/create-commit", "git/create-ref", "git/update-ref", "git/delete-ref", "repos/merge", "pulls/create"]);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

let counter = 0;
async function mergedFix(sandbox: Sandbox, repo: RepoRecord, label: string): Promise<number> {
  counter++;
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: `bench-${counter}`, title: `Bench fix ${counter}`, files: { [`docs/bench-${counter}.md`]: `${counter}\n` }, author: people.committer, labels: [label],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

function describeCost(calls: CallRecord[], targets: number): string {
  const api = calls.filter((c) => c.operationId !== "apps/create-installation-access-token");
  const writes = api.filter((c) => c.write);
  const upToPr = writes.filter((c) => UP_TO_PR.has(c.operationId ?? ""));
  const onTop = writes.filter((c) => !UP_TO_PR.has(c.operationId ?? ""));
  const count = (list: CallRecord[]) => Object.entries(list.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.operationId ?? "?"]: (acc[c.operationId ?? "?"] ?? 0) + 1 }), {}))
    .map(([op, n]) => `${op}×${n}`).join(", ");
  return [
    `  reads ${api.length - writes.length} (${((api.length - writes.length) / targets).toFixed(1)} per target), writes ${writes.length} (${(writes.length / targets).toFixed(1)} per target)`,
    `  writes up to the open PR: ${(upToPr.length / targets).toFixed(1)} per target [${count(upToPr)}]`,
    `  writes on top: ${onTop.length} [${count(onTop)}]`,
  ].join("\n");
}

async function measureCost(sandbox: Sandbox, app: RunningApp, repo: RepoRecord, label: string, targets: number): Promise<string> {
  const number = await mergedFix(sandbox, repo, label);
  const event = await app.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
  const mark = sandbox.log.mark();
  await app.driver.send(event);
  await app.queue.idle();
  const opened = [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`)).length;
  if (opened !== targets) throw new Error(`expected ${targets} backport PRs for ${label}, got ${opened}`);
  return `${label} (${targets} target${targets === 1 ? "" : "s"}, single-commit squash merge):\n${describeCost(sandbox.log.since(mark), targets)}`;
}

async function measureAnswers(sandbox: Sandbox, app: RunningApp, repo: RepoRecord): Promise<string> {
  const events = [];
  for (let i = 0; i < ANSWERS; i++) events.push(await app.driver.pullRequest({ repo, number: await mergedFix(sandbox, repo, "backport:security"), action: "closed", sender: people.maintainer }));
  const started = performance.now();
  const answers = await Promise.all(events.map((event) => app.driver.send(event)));
  const answered = performance.now() - started;
  await app.queue.idle();
  const done = performance.now() - started;
  const times = answers.map((a) => a.elapsedMs);
  return [
    `Webhook answer time, ${ANSWERS} concurrent merged security fixes (4 targets each, ${ANSWERS * 4} backport PRs):`,
    `  p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, all answered in ${answered.toFixed(0)} ms`,
    `  the work behind them finished ${(done / 1000).toFixed(1)} s after the first delivery (one repository: jobs run one at a time)`,
  ].join("\n");
}

async function main(): Promise<void> {
  process.stdout.write(`Backport benchmark on ${os.cpus().length}× ${os.cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}\n\n`);
  const sandbox = await Sandbox.start({ checkResponses: false });
  const { repo } = await sandbox.seedWasmtime({ through: DAY });
  const app = await runApp(sandbox, { today: DAY });
  try {
    process.stdout.write(`${await measureCost(sandbox, app, repo, "backport:current", 1)}\n\n`);
    process.stdout.write(`${await measureCost(sandbox, app, repo, "backport:security", 4)}\n\n`);
    process.stdout.write(`${await measureAnswers(sandbox, app, repo)}\n`);
  } finally {
    await app.stop();
    await sandbox.stop();
  }
}

await main();

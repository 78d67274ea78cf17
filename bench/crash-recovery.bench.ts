/**
 * Crash recovery with the App as its own process (`npm run acceptance:crash`, also part of `npm run bench`):
 * a merged `backport:security` fix on 2025-11-21 has four targets. For each of the first N writes of that
 * backport (N = 34 by default, or `CRASH_POINTS`), the App is killed with SIGKILL right after GitHub applied
 * that write, a new App process starts, and the webhook is delivered again. Every run must end complete:
 * four backport PRs, each labelled and with its reviewers, one summary comment and one tracking issue, with
 * nothing created twice. The sandbox drops (unapplied) anything the killed process still sends between the
 * write and the signal, as GitHub would never see it.
 *
 * Exits non-zero when any kill point ends incomplete or duplicated.
 */
import { readSummary } from "../src/backport/render.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { WASMTIME_PEOPLE as people } from "../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../sandbox/state/types.js";
import { startAppProcess, type AppProcess } from "../scripts/demo/app-process.js";
import { emit, headline, markdownTable, seconds, textTable } from "./report.js";

const DAY = "2025-11-21";
const SECURITY = ["release-24.0.0", "release-36.0.0", "release-38.0.0", "release-39.0.0"];
const TOKEN = "apps/create-installation-access-token";
const BOT = "lts-steward[bot]";
const POINTS = Number(process.env.CRASH_POINTS ?? 34);

const sandbox = await Sandbox.start({ now: () => new Date(`${DAY}T${new Date().toISOString().slice(11)}`) });
const { repo } = await sandbox.seedWasmtime({ through: DAY });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let fixes = 0;
async function mergedFix(): Promise<number> {
  const n = ++fixes;
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: `fix-crash-${n}`, title: `Harden the loader (${n})`, files: { [`docs/security/crash-${n}.md`]: `fix ${n}\n` }, author: people.committer, labels: ["backport:security"],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

async function deliver(app: AppProcess, number: number): Promise<void> {
  const record = await sandbox.webhooks(app.webhookUrl).send(await sandbox.webhooks(app.webhookUrl).pullRequest({ repo, number, action: "closed", sender: people.maintainer }));
  if (record.status !== 200) throw new Error(`the App answered ${record.status}`);
}

/** What is wrong with the fix's records, or an empty list. */
function problems(r: RepoRecord, number: number): string[] {
  const found: string[] = [];
  const pulls = [...r.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`));
  const bases = pulls.map((p) => p.baseRef).sort();
  if (JSON.stringify(bases) !== JSON.stringify(SECURITY)) found.push(`backport PRs into ${bases.join(", ") || "nothing"}`);
  for (const pull of pulls) {
    const issue = r.issues.get(pull.number);
    if (!issue?.labels.includes("backport")) found.push(`#${pull.number} not labelled`);
    if ([...pull.requestedReviewers].sort().join() !== [people.committer, people.maintainer].sort().join()) found.push(`#${pull.number} reviewers: ${pull.requestedReviewers.join(", ") || "none"}`);
  }
  const summaries = [...r.comments.values()].filter((c) => c.issueNumber === number && c.user.login === BOT && c.body.includes(`lts-steward:summary pr-${number} `));
  if (summaries.length !== 1) found.push(`${summaries.length} summaries`);
  const rows = readSummary(summaries[0]?.body ?? null)?.rows ?? [];
  if (rows.some((row) => row.outcome.kind !== "opened" && row.outcome.kind !== "exists")) found.push(`summary rows: ${rows.map((row) => row.outcome.kind).join(", ")}`);
  const tracking = [...r.issues.values()].filter((i) => i.user.login === BOT && (i.body ?? "").includes(`lts-steward:tracking pr-${number} `));
  if (tracking.length !== 1) found.push(`${tracking.length} tracking issues`);
  return found;
}

const writesSince = (mark: number) => sandbox.log.since(mark).filter((c) => c.write && c.operationId !== TOKEN);

let app = await startAppProcess(sandbox, { today: DAY });
const results: { point: number; operation: string; ms: number; problems: string[] }[] = [];
try {
  // A clean run first: how many writes a 4-target backport makes, in order.
  const clean = await mergedFix();
  const mark = sandbox.log.mark();
  await deliver(app, clean);
  await app.settled();
  const cleanWrites = writesSince(mark).map((c) => c.operationId ?? c.route);
  const cleanProblems = problems(repo, clean);
  if (cleanProblems.length > 0) throw new Error(`the clean run is incomplete: ${cleanProblems.join("; ")}`);
  const points = Math.min(POINTS, cleanWrites.length);
  process.stdout.write(`A clean 4-target backport makes ${cleanWrites.length} writes; killing after each of the first ${points}.\n`);

  for (let point = 1; point <= points; point++) {
    const started = performance.now();
    const number = await mergedFix();
    const before = sandbox.log.mark();
    const remove = sandbox.faults.add({ kind: "apply-then-kill", writes: true, except: [TOKEN], after: point - 1, times: 1 });
    await deliver(app, number);
    // Wait until the write was applied and the App's tokens revoked, then kill the process for real.
    while (!sandbox.log.since(before).some((c) => c.fault === "apply-then-kill")) await sleep(20);
    await app.kill();
    remove();
    const killedAt = sandbox.log.since(before).find((c) => c.fault === "apply-then-kill")?.operationId ?? "?";
    app = await startAppProcess(sandbox, { today: DAY });
    await deliver(app, number);
    await app.settled();
    results.push({ point, operation: killedAt, ms: performance.now() - started, problems: problems(repo, number) });
    const last = results.at(-1)!;
    process.stdout.write(`kill after write ${String(point).padStart(2)} (${killedAt}): ${last.problems.length === 0 ? "complete, nothing twice" : last.problems.join("; ")}\n`);
  }
} finally {
  await app.stop();
  await sandbox.stop();
}

const failed = results.filter((r) => r.problems.length > 0);
const rows = results.map((r) => [String(r.point), r.operation, r.problems.length === 0 ? "complete, nothing twice" : r.problems.join("; "), seconds(r.ms)]);
process.stdout.write(`\n${textTable(["write", "killed after", "after restart and re-delivery", "s"], rows)}\n`);
emit(`## Crash recovery (SIGKILL after each write)

The App as its own process, killed with SIGKILL right after each of the first ${results.length} writes of a 4-target
security backport, then a new process and the same webhook again (\`npm run acceptance:crash\`).

${markdownTable(["write", "killed after", "after restart and re-delivery", "s"], rows)}`);
headline(`Crash recovery: ${results.length - failed.length} of ${results.length} kill points end complete with nothing twice`);
if (failed.length > 0) process.exitCode = 1;

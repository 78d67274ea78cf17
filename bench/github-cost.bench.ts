/**
 * GitHub cost: the REST calls the real App makes, counted by the sandbox (sandbox/run-app.ts, the
 * Wasmtime-like history on 2025-11-21, security targets 39, 38, 36, 24):
 * - a single-commit backport to one target (`backport:current`) and a 4-target security backport
 *   (`backport:security`), from the merged PR's `closed` webhook to the queue being idle; writes are split
 *   into those up to the open backport PR and those on top (labels, reviewers, tracking, summary);
 * - the App's daily tick for the repository (the job the App queues for it, config read included): a first
 *   tick of the day (it creates the schedule issue and the month's check-in…), then a second tick the same
 *   day, when nothing changed: it must write nothing, and its reads are listed by operation.
 * Installation tokens (POST …/access_tokens, cached by Probot for an hour) are counted apart from the API calls.
 *
 * Run with `npm run bench` (all benches, writes docs/benchmarks.md) or `npx tsx bench/github-cost.bench.ts`.
 */
import type { Log } from "../src/log.js";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot } from "probot";
import { AppOctokit } from "../src/github/app-octokit.js";
import { WritePacer } from "../src/github/pacer.js";
import { fanOutTick } from "../src/runtime/daily-tick.js";
import { createRepoEnqueue } from "../src/runtime/jobs.js";
import { JobQueue, RecentDeliveries } from "../src/runtime/job-queue.js";
import type { CallRecord } from "../sandbox/http/call-log.js";
import { runApp, type RunningApp } from "../sandbox/run-app.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../sandbox/state/types.js";
import { byOperation, describeMachine, emit, headline, markdownTable } from "./report.js";

const DAY = "2025-11-21";
const people = WASMTIME_PEOPLE;
const TOKEN = "apps/create-installation-access-token";
/** Writes that belong to opening the PR; everything else the App writes is on top (labels, reviewers, summary…). */
const UP_TO_PR = new Set(["git/create-commit", "git/create-ref", "git/update-ref", "git/delete-ref", "repos/merge", "pulls/create"]);
/** Calls the tick makes once per day for all repositories (finding them), not per repository. */
const FAN_OUT = new Set(["apps/list-installations", "apps/list-repos-accessible-to-installation"]);

interface Cost {
  reads: CallRecord[];
  writes: CallRecord[];
  tokens: number;
}

function costOf(calls: CallRecord[]): Cost {
  const api = calls.filter((c) => c.operationId !== TOKEN);
  return { reads: api.filter((c) => !c.write), writes: api.filter((c) => c.write), tokens: calls.length - api.length };
}

const ops = (calls: CallRecord[]) => byOperation(calls.map((c) => c.operationId));

let counter = 0;
async function mergedFix(sandbox: Sandbox, repo: RepoRecord, label: string): Promise<number> {
  counter++;
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: `bench-${counter}`, title: `Bench fix ${counter}`, files: { [`docs/bench-${counter}.md`]: `${counter}\n` }, author: people.committer, labels: [label],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

interface BackportCost extends Cost {
  label: string;
  targets: number;
  upToPr: CallRecord[];
  onTop: CallRecord[];
}

async function backportCost(sandbox: Sandbox, app: RunningApp, repo: RepoRecord, label: string, targets: number): Promise<BackportCost> {
  const number = await mergedFix(sandbox, repo, label);
  const event = await app.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
  const mark = sandbox.log.mark();
  await app.driver.send(event);
  await app.queue.idle();
  const opened = [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`)).length;
  if (opened !== targets) throw new Error(`expected ${targets} backport PRs for ${label}, got ${opened}`);
  const cost = costOf(sandbox.log.since(mark));
  return {
    ...cost, label, targets,
    upToPr: cost.writes.filter((c) => UP_TO_PR.has(c.operationId ?? "")),
    onTop: cost.writes.filter((c) => !UP_TO_PR.has(c.operationId ?? "")),
  };
}

function describeBackport(c: BackportCost): string {
  const per = (n: number) => (n / c.targets).toFixed(1);
  return [
    `${c.label} (${c.targets} target${c.targets === 1 ? "" : "s"}, single-commit squash merge):`,
    `  reads ${c.reads.length} (${per(c.reads.length)} per target), writes ${c.writes.length} (${per(c.writes.length)} per target), installation tokens ${c.tokens}`,
    `  writes up to the open PR: ${per(c.upToPr.length)} per target [${ops(c.upToPr)}]`,
    `  writes on top: ${c.onTop.length} [${ops(c.onTop)}]`,
    `  reads: [${ops(c.reads)}]`,
  ].join("\n");
}

interface TickCost {
  /** Reads that find the installed repositories (once a day for all of them). */
  fanOut: CallRecord[];
  repository: Cost;
  tokens: number;
  wallMs: number;
}

/**
 * The App's daily tick as its scheduler runs it: find the installed repositories, queue a job per
 * repository (config, then runTick). A fresh enqueue (and so a fresh memory of deliveries) per tick,
 * as a second replica of the App, or a restarted one, would have.
 */
async function tick(sandbox: Sandbox, probot: Probot, queue: JobQueue, log: Log): Promise<TickCost> {
  const enqueueRepo = createRepoEnqueue({
    queue, deliveries: new RecentDeliveries(), pacer: new WritePacer({ intervalMs: 0 }), retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 }, today: () => DAY, botLogin: async () => "lts-steward[bot]",
  });
  const mark = sandbox.log.mark();
  const started = performance.now();
  const repositories = await fanOutTick(probot, enqueueRepo, DAY, log);
  await queue.idle();
  const wallMs = performance.now() - started;
  if (repositories !== 1) throw new Error(`the tick found ${repositories} repositories, expected 1`);
  const calls = sandbox.log.since(mark);
  const repository = costOf(calls.filter((c) => !FAN_OUT.has(c.operationId ?? "")));
  return { fanOut: calls.filter((c) => FAN_OUT.has(c.operationId ?? "")), repository: { ...repository, tokens: 0 }, tokens: repository.tokens, wallMs };
}

async function tickCosts(): Promise<{ first: TickCost; second: TickCost; issues: string[] }> {
  const sandbox = await Sandbox.start({ checkResponses: false });
  try {
    const { repo } = await sandbox.seedWasmtime({ through: DAY });
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as { level: number; msg: string });
        done();
      },
    });
    const log = pino({ level: "warn" }, sink);
    const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
    const probot = new Probot({ appId, privateKey, secret: webhookSecret, baseUrl, Octokit: AppOctokit, log });
    const queue = new JobQueue(log);
    const jobLog = log as unknown as Log;
    const first = await tick(sandbox, probot, queue, jobLog);
    const issuesAfterFirst = repo.issues.size;
    const second = await tick(sandbox, probot, queue, jobLog);
    if (lines.length > 0) throw new Error(`the ticks logged warnings or errors:\n  ${lines.map((l) => l.msg).join("\n  ")}`);
    if (first.repository.writes.length === 0) throw new Error("the first tick of the day wrote nothing: the bench does not measure what it says");
    if (second.repository.writes.length > 0 || repo.issues.size !== issuesAfterFirst) {
      throw new Error(`the second tick the same day wrote: ${ops(second.repository.writes)}`);
    }
    const issues = [...repo.issues.values()].filter((i) => !i.isPull && i.user.login.endsWith("[bot]")).map((i) => i.title);
    return { first, second, issues };
  } finally {
    await sandbox.stop();
  }
}

function describeTick(name: string, t: TickCost): string {
  return [
    `${name}: repository job ${t.repository.reads.length} reads + ${t.repository.writes.length} writes, ` +
      `finding repositories ${t.fanOut.length} reads, installation tokens ${t.tokens}, ${t.wallMs.toFixed(0)} ms against the sandbox`,
    `  reads: [${ops(t.repository.reads)}]`,
    `  writes: [${ops(t.repository.writes)}]`,
    `  finding repositories: [${ops(t.fanOut)}]`,
  ].join("\n");
}

async function main(): Promise<void> {
  process.stdout.write(`GitHub cost benchmark on ${describeMachine()}\n\n`);
  const sandbox = await Sandbox.start({ checkResponses: false });
  const { repo } = await sandbox.seedWasmtime({ through: DAY });
  const app = await runApp(sandbox, { today: DAY });
  let backports: BackportCost[];
  try {
    backports = [await backportCost(sandbox, app, repo, "backport:current", 1), await backportCost(sandbox, app, repo, "backport:security", 4)];
  } finally {
    await app.stop();
    await sandbox.stop();
  }
  for (const c of backports) process.stdout.write(`${describeBackport(c)}\n\n`);

  const ticks = await tickCosts();
  process.stdout.write(`Daily tick on ${DAY} (seeded through ${DAY}; bot issues afterwards: ${ticks.issues.join("; ")}):\n`);
  process.stdout.write(`${describeTick("first tick of the day", ticks.first)}\n${describeTick("second tick, nothing changed", ticks.second)}\n`);

  const per = (c: BackportCost, n: number) => (n / c.targets).toFixed(1);
  const row = (c: BackportCost) => [
    `\`${c.label}\`: ${c.targets === 1 ? "single-commit target" : `${c.targets}-target security backport`}`,
    `${c.reads.length} (${per(c, c.reads.length)}/target)`,
    `${c.writes.length} (${per(c, c.writes.length)}/target)`,
    `${per(c, c.upToPr.length)}/target`,
    String(c.onTop.length),
    String(c.tokens),
  ];
  const tickRow = (name: string, t: TickCost) => [
    name,
    `${t.repository.reads.length} (+${t.fanOut.length} to find repositories)`,
    String(t.repository.writes.length),
    "",
    "",
    String(t.tokens),
  ];
  const [single, security] = backports as [BackportCost, BackportCost];
  headline(
    `GitHub cost: a single-commit target ${single.reads.length} reads + ${single.writes.length} writes; ` +
      `a 4-target security backport ${security.reads.length} reads + ${security.writes.length} writes; ` +
      `a daily tick when nothing changed **${ticks.second.repository.reads.length} reads** (+${ticks.second.fanOut.length} a day to find the repositories) and **${ticks.second.repository.writes.length} writes**`,
  );
  emit([
    "## GitHub cost",
    "",
    `REST calls the App made, counted by the sandbox; the Wasmtime-like history on ${DAY} (security targets: 39, 38, 36, 24). ` +
      "Installation tokens are counted apart: Probot caches one per installation for an hour.",
    "",
    markdownTable(
      ["what", "reads", "writes", "writes up to the open PR", "writes on top", "installation tokens"],
      [...backports.map(row), tickRow("daily tick, first of the day", ticks.first), tickRow("**daily tick, nothing changed**", ticks.second)],
    ),
    "",
    ...backports.map((c) => `- \`${c.label}\` writes up to the PR: ${ops(c.upToPr)}; on top: ${ops(c.onTop)}; reads: ${ops(c.reads)}.`),
    `- First tick of the day writes: ${ops(ticks.first.repository.writes)} (bot issues afterwards: ${ticks.issues.join("; ")}).`,
    `- **Second tick the same day (nothing changed): ${ticks.second.repository.writes.length} writes; ${ticks.second.repository.reads.length} reads: ` +
      `${ops(ticks.second.repository.reads)}**; finding the installed repositories (once a day for all of them): ${ops(ticks.second.fanOut)}.`,
    "",
    "How to read it: *reads* are GET calls and *writes* all others, from the webhook delivery (or the tick's start) until the App's queue is idle. " +
      "A backport target costs 6 writes up to its open PR: the cherry-pick done through the REST API as `git cherry-pick` would " +
      "(a sibling commit on the target's tree, a temporary ref, a merge of the fix onto it, the final commit on the target, the ref moved to it), then the PR; " +
      "on top come each PR's labels and reviewers, one summary comment on the source PR and, for security fixes, a tracking issue. " +
      "The daily tick reads the config, the releases and release branches, the tracking-label issues (the schedule issue, check-ins, tracking issues) " +
      "and lists of PRs (open backport PRs on lines whose support just ended, recently merged PRs with backport labels to reconcile, " +
      "this month's backport PRs for the check-in); every job decides from that state, so a second tick the same day finds nothing to do and writes nothing. " +
      "The first tick measured here is the first ever on this repository (it creates the schedule issue and the month's check-in); " +
      "the sandbox names each call by its operation in GitHub's OpenAPI description, and the counts do not depend on the machine.",
  ].join("\n"));
}

await main();

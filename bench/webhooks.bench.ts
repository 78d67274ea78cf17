/**
 * Webhook answer time and throughput: 500 signed `pull_request.closed` deliveries at once, for merged PRs
 * without backport labels (the most common event the App acts on: it acknowledges it and queues a job
 * that reads the PR and finds nothing to backport), to the real App and, in the same run against the
 * same sandbox, to a bare Probot App whose only handler does nothing.
 *
 * The deliveries are built by the sandbox's webhook driver and signed beforehand, then POSTed from a
 * separate thread (load-generator.ts), each on a fresh connection; an answer time runs from the request to
 * the end of the answer. While our App answers, its repository's queue is held by a gate job, so the jobs
 * it queues wait and cannot slow the answers down (the sandbox that serves their GitHub calls runs in this
 * process too). Afterwards the first burst's jobs are released and timed on their own; the later bursts'
 * jobs, the same work again, are dropped at exit.
 *
 * Run with `npm run bench` (all benches, writes docs/benchmarks.md) or `npx tsx bench/webhooks.bench.ts`.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createNodeMiddleware, Probot, type ApplicationFunction } from "probot";
import { AppOctokit } from "../src/github/app-octokit.js";
import { runApp, type RunningApp } from "../sandbox/run-app.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../sandbox/state/types.js";
import { checkWebhookPayload } from "../sandbox/webhooks/schema-check.js";
import { signPayload } from "../sandbox/webhooks/sign.js";
import type { WebhookEvent } from "../sandbox/webhooks/payloads.js";
import { LoadGenerator, type Burst, type PreparedDelivery } from "./load-generator.js";
import { byOperation, describeMachine, emit, headline, markdownTable, ms, percentile, seconds, textTable } from "./report.js";

const DAY = "2025-11-21";
/** Distinct merged PRs; each one's `closed` event is sent DELIVERIES / PRS times, with distinct delivery ids. */
const PRS = 100;
const DELIVERIES = 500;
/** Warm-up bursts of DELIVERIES to the bare App (free: it queues nothing). */
const WARMUP_BURSTS = 2;
/** Deliveries one at a time to each App, before the bursts. */
const ONE_BY_ONE = 50;
/** Measured bursts per App, alternating bare and ours. */
const ROUNDS = 2;
const people = WASMTIME_PEOPLE;

interface Listening {
  url: string;
  stop(): Promise<void>;
}

/** A Probot App with one handler that does nothing, with the same options as ours (Octokit class, logger). */
async function startBareApp(sandbox: Sandbox): Promise<Listening> {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      JSON.parse(String(chunk));
      done();
    },
  });
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  const probot = new Probot({ appId, privateKey, secret: webhookSecret, baseUrl, log: pino({ level: "info" }, sink), Octokit: AppOctokit });
  const bare: ApplicationFunction = (app) => {
    app.on("pull_request.closed", async () => {});
  };
  const middleware = await createNodeMiddleware(bare, { probot });
  const server: Server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `count` signed deliveries cycling through the events, each with a fresh delivery id, as hookshot sends them. */
function prepare(events: WebhookEvent[], count: number, secret: string): PreparedDelivery[] {
  return Array.from({ length: count }, (_, i) => {
    const event = events[i % events.length]!;
    const body = JSON.stringify(event.payload);
    return {
      body,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/sandbox",
        "X-GitHub-Event": event.name,
        "X-GitHub-Delivery": randomUUID(),
        "X-Hub-Signature-256": signPayload(secret, body),
      },
    };
  });
}

/** Holds the repository's queue (jobs of one repository run in order) until released. */
function holdQueue(app: RunningApp, repo: RepoRecord): () => void {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  app.queue.enqueue({ key: `${repo.owner.login}/${repo.name}`, name: "bench: gate", run: () => gate });
  return release;
}

interface Row {
  app: string;
  round: string;
  burst: Burst;
}

function check(row: Row): void {
  const bad = row.burst.statuses.filter((s) => s !== 200).length;
  if (bad > 0) throw new Error(`${row.app} ${row.round}: ${bad} of ${row.burst.statuses.length} deliveries were not answered 200`);
}

const figures = (row: Row) => [
  row.app,
  row.round,
  String(row.burst.answerMs.length),
  ms(percentile(row.burst.answerMs, 50)),
  ms(percentile(row.burst.answerMs, 99)),
  ms(Math.max(...row.burst.answerMs)),
  ms(row.burst.wallMs),
  row.round === "one at a time" ? "–" : ((row.burst.answerMs.length * 1000) / row.burst.wallMs).toFixed(0),
];
const HEADER = ["App", "deliveries sent", "n", "p50 ms", "p99 ms", "max ms", "all answered ms", "deliveries/s"];

async function main(): Promise<void> {
  process.stdout.write(`Webhook benchmark on ${describeMachine()}\n\n`);
  const started = performance.now();
  const sandbox = await Sandbox.start({ checkResponses: false });
  const { repo } = await sandbox.seedWasmtime({ through: DAY });
  const events: WebhookEvent[] = [];
  const ours = await runApp(sandbox, { today: DAY });
  const bare = await startBareApp(sandbox);
  const load = new LoadGenerator();
  try {
    for (let i = 0; i < PRS; i++) {
      const { issue } = await sandbox.scenario.proposeFix({ repo, branch: `bench-${i}`, title: `Bench fix ${i}`, files: { [`docs/bench-${i}.md`]: `${i}\n` }, author: people.committer });
      await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
      const event = await ours.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer });
      const problems = checkWebhookPayload(event.name, event.payload);
      if (problems.length > 0) throw new Error(`the closed event of #${issue.number} does not match the webhook schema: ${problems.join("; ")}`);
      events.push(event);
    }
    const payloadBytes = Buffer.byteLength(JSON.stringify(events[0]!.payload));
    const secret = sandbox.store.app.webhookSecret;
    process.stdout.write(`${PRS} merged PRs without backport labels set up in ${seconds(performance.now() - started)} s; payload ${(payloadBytes / 1024).toFixed(0)} KiB\n`);

    // Warm-up: bursts to the bare App warm Probot's own code (shared by both Apps); then deliveries one at a
    // time to each App, which also give the answer time without concurrency.
    for (let i = 0; i < WARMUP_BURSTS; i++) check({ app: "bare Probot", round: "warm-up", burst: await load.burst(bare.url, prepare(events, DELIVERIES, secret)) });
    const releaseFirst = holdQueue(ours, repo);
    const queuedBefore = ours.queue.stats.pending;
    const effortBefore = ours.queue.effort;
    const rows: Row[] = [];
    for (const [name, url] of [["bare Probot", bare.url], ["lts-steward", ours.webhookUrl]] as const) {
      rows.push({ app: name, round: "one at a time", burst: await load.oneByOne(url, prepare(events, ONE_BY_ONE, secret)) });
    }
    for (let round = 1; round <= ROUNDS; round++) {
      // The later bursts' jobs wait behind a gate that is never released: only the first burst's are drained.
      if (round > 1) holdQueue(ours, repo);
      for (const [name, url] of [["bare Probot", bare.url], ["lts-steward", ours.webhookUrl]] as const) {
        rows.push({ app: name, round: `burst ${round}`, burst: await load.burst(url, prepare(events, DELIVERIES, secret)) });
      }
    }
    rows.forEach(check);
    // Every delivery is accounted for: a job queued, absorbed by one already waiting for the same PR, or shed
    // at the repository's bound (with a warning); the later rounds' gates are jobs too.
    const effort = ours.queue.effort;
    const absorbed = effort.coalesced - effortBefore.coalesced;
    const shed = effort.shed - effortBefore.shed;
    const queued = ours.queue.stats.pending - queuedBefore;
    const held = ONE_BY_ONE + ROUNDS * DELIVERIES + (ROUNDS - 1);
    if (queued + absorbed + shed !== held) throw new Error(`lts-steward queued ${queued}, absorbed ${absorbed} and shed ${shed} jobs for ${held} deliveries and gates`);

    // The work behind the answers: the first gate's jobs (one per delivery of the one-at-a-time run and of the first burst).
    const mark = sandbox.log.mark();
    const { completed: completedBefore, failed: failedBefore } = ours.queue.stats;
    const drainStarted = performance.now();
    releaseFirst();
    // The first gate's jobs run; the lane then stops at the next gate (or empties).
    const lane = () => ours.queue.snapshot(0).find((l) => l.key === `${repo.owner.login}/${repo.name}`);
    const ran = () => ours.queue.stats.completed + ours.queue.stats.failed - completedBefore - failedBefore;
    while (!(ran() > 0 && (lane()?.running ?? "bench: gate") === "bench: gate")) await sleep(5);
    const drainMs = performance.now() - drainStarted;
    const jobs = ran() - 1;
    if (ours.queue.stats.failed !== failedBefore) throw new Error(`${ours.queue.stats.failed - failedBefore} queued jobs failed`);
    const drainCalls = sandbox.log.since(mark);
    const tokens = drainCalls.filter((c) => c.operationId === "apps/create-installation-access-token");
    const api = drainCalls.filter((c) => c.operationId !== "apps/create-installation-access-token");
    const drainWrites = api.filter((c) => c.write);
    if (drainWrites.length > 0) throw new Error(`the queued jobs wrote: ${byOperation(drainWrites.map((c) => c.operationId))}`);
    const inSandboxMs = drainCalls.reduce((sum, c) => sum + c.latencyMs, 0);

    const bursts = rows.filter((r) => r.round.startsWith("burst"));
    const summarise = (name: string) => {
      const mine = bursts.filter((r) => r.app === name);
      const answers = mine.flatMap((r) => r.burst.answerMs);
      const wall = mine.reduce((sum, r) => sum + r.burst.wallMs, 0);
      const single = rows.find((r) => r.app === name && r.round === "one at a time")!.burst.answerMs;
      return { p50: percentile(answers, 50), p99: percentile(answers, 99), throughput: (answers.length * 1000) / wall, single: percentile(single, 50) };
    };
    const b = summarise("bare Probot");
    const o = summarise("lts-steward");
    const perJob = drainMs / jobs;
    const ratio = `×${(o.p50 / b.p50).toFixed(2)} p50, ×${(o.p99 / b.p99).toFixed(2)} p99, ×${(o.throughput / b.throughput).toFixed(2)} throughput`;
    const work = `${jobs} jobs (${DELIVERIES + ONE_BY_ONE} deliveries for ${PRS} PRs; a delivery for a PR whose job is still waiting is absorbed by it) ran in ${seconds(drainMs)} s once released, one at a time (one repository): ` +
      `${ms(perJob)} ms per job, of which ${ms(inSandboxMs / jobs)} ms in the sandbox's handlers; ` +
      `${(api.length / jobs).toFixed(1)} reads per job (${byOperation(api.map((c) => c.operationId))}), no writes`;

    const text = [
      textTable(HEADER, rows.map(figures)),
      "",
      `${DELIVERIES} at once, over ${ROUNDS} bursts: bare Probot p50 ${ms(b.p50)} ms, p99 ${ms(b.p99)} ms, ${b.throughput.toFixed(0)} deliveries/s; ` +
        `lts-steward p50 ${ms(o.p50)} ms, p99 ${ms(o.p99)} ms, ${o.throughput.toFixed(0)} deliveries/s (${ratio})`,
      `one at a time: bare Probot p50 ${ms(b.single)} ms, lts-steward p50 ${ms(o.single)} ms`,
      `the work behind: ${work}; ${tokens.length} installation token(s)`,
    ].join("\n");
    process.stdout.write(`\n${text}\n\nbench took ${seconds(performance.now() - started)} s\n`);

    headline(
      `Webhooks, ${DELIVERIES} signed deliveries at once: lts-steward p50 ${ms(o.p50)} ms, p99 ${ms(o.p99)} ms, ${o.throughput.toFixed(0)} deliveries/s; ` +
        `bare Probot p50 ${ms(b.p50)} ms, p99 ${ms(b.p99)} ms, ${b.throughput.toFixed(0)} deliveries/s (one at a time: ${ms(o.single)} and ${ms(b.single)} ms)`,
    );
    emit([
      "## Webhook answer time and throughput",
      "",
      `${DELIVERIES} signed \`pull_request.closed\` deliveries at once, for merged PRs without backport labels (${PRS} distinct PRs, ` +
        `${(payloadBytes / 1024).toFixed(0)} KiB payloads), to lts-steward and to a bare Probot App (same Probot options, one handler that does nothing), ` +
        `${ROUNDS} bursts each, alternating, after ${WARMUP_BURSTS} warm-up bursts to the bare App and ${ONE_BY_ONE} deliveries one at a time to each. ` +
        "lts-steward's queue is held while it answers, so the jobs it queues cannot slow its answers down.",
      "",
      markdownTable(HEADER, rows.map(figures)),
      "",
      `- ${DELIVERIES} at once: bare Probot p50 **${ms(b.p50)} ms**, p99 **${ms(b.p99)} ms**, **${b.throughput.toFixed(0)}** deliveries/s; ` +
        `lts-steward p50 **${ms(o.p50)} ms**, p99 **${ms(o.p99)} ms**, **${o.throughput.toFixed(0)}** deliveries/s (${ratio}).`,
      `- One at a time: bare Probot p50 ${ms(b.single)} ms, lts-steward p50 ${ms(o.single)} ms.`,
      `- The work behind the answers: ${work}.`,
      "",
      "How to read it: an answer time runs from the request to the end of the answer (GitHub gives up after 10 s). " +
        "Answering costs little per delivery (the one-at-a-time rows), so with 500 deliveries in flight the answer time is mostly " +
        "waiting for the process's single thread: the 500th delivery waits for the 499 before it, in both Apps alike. " +
        "lts-steward's handlers only check the event and queue a job (one queue per repository), so its answers cost about what a bare Probot App's do; " +
        "bursts differ by some tens of percent from one to the next on a shared machine, so compare the Apps across bursts, not within one. " +
        "The jobs run behind the answers: here they were held back while answering, because the sandbox that serves their GitHub calls " +
        "shares the process and would slow the answers in a way GitHub, on other machines, would not. " +
        "The deliveries come from a separate thread (bench/load-generator.ts) with payloads built by the sandbox's webhook driver and signed beforehand; " +
        "each PR's event is sent several times with distinct delivery ids (creating 500 merged PRs would take most of a minute): the App answers each, " +
        "and a delivery for a PR whose job is still waiting is absorbed by that job (the queue coalesces per workflow and PR, and holds at most 100 jobs per repository).",
    ].join("\n"));
  } finally {
    await load.close();
    await bare.stop();
    await sandbox.stop();
    // Not ours.stop(): it waits for the queue, and the later bursts' jobs are still held (the same work as the
    // first burst's, already measured). They are dropped with the process.
  }
}

await main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * The durable shared queue (BullMQ on a real redis-server) with the real App in front of the sandbox: a job
 * is stored before the webhook is answered and runs on whichever replica has a worker, later, with no new
 * webhook; a re-delivered webhook is not stored twice; redundant jobs are merged while they wait; an entry
 * that is not a job is dropped; and with Redis unreachable the webhook's job runs in the receiving process.
 */
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { runApp, type RunningApp } from "../../sandbox/run-app.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { startRedis, type TestRedis } from "../../sandbox/redis-server.js";
import { eventually } from "../helpers/eventually.js";

const people = WASMTIME_PEOPLE;
const DAY = "2025-11-21";

let redis: TestRedis;
let sandbox: Sandbox;
let repo: RepoRecord;
const started: RunningApp[] = [];

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await Sandbox.start({ now: () => new Date(`${DAY}T${new Date().toISOString().slice(11)}`) });
  ({ repo } = await sandbox.seedWasmtime({ through: DAY }));
}, 300_000);
afterAll(async () => {
  await Promise.all(started.map((r) => r.stop()));
  await sandbox.stop();
  await redis.stop();
}, 300_000);

async function replica(options: { prefix: string; worker?: boolean; url?: string; requestTimeoutMs?: number }): Promise<RunningApp> {
  const app = await runApp(sandbox, {
    today: DAY, redisUrl: options.url ?? redis.url, redisPrefix: options.prefix, ...(options.worker === false ? { worker: false } : {}), logLevel: "debug",
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  started.push(app);
  return app;
}

let fixes = 0;
async function mergedFix(label = "backport:current"): Promise<number> {
  const n = ++fixes;
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: `fix-durable-${n}`, title: `Tighten the validator (${n})`, files: { [`docs/security/durable-${n}.md`]: `fix ${n}\n` },
    author: people.committer, labels: [label],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

const backportPulls = (number: number) => [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`));
const summaries = (number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number && c.body.includes("lts-steward:summary"));
const jobsOf = (prefix: string) => {
  const connection = new Redis(redis.url);
  const queue = new Queue("jobs", { connection, prefix: `${prefix}:bull` });
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
};

test("a job stored by a replica without a worker runs later on another replica, with no new webhook; the same delivery again is not stored twice", async () => {
  const prefix = randomUUID();
  const front = await replica({ prefix, worker: false });
  const number = await mergedFix();
  const event = await front.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
  expect((await front.driver.send(event, { deliveryId: `durable-${number}` })).status).toBe(200);

  // Answered, stored, and nothing done yet: no replica has a worker.
  const jobs = jobsOf(prefix);
  try {
    expect(await jobs.queue.getJobCounts("wait")).toEqual({ wait: 1 });
    const [stored] = await jobs.queue.getJobs(["wait"]);
    expect(stored?.data).toMatchObject({ owner: repo.owner.login, repo: repo.name, call: { workflow: "pull-closed", input: { number, merged: true } } });
    expect(backportPulls(number)).toHaveLength(0);

    // A replica with a worker starts (as after a restart): it finds the job and does it.
    const worker = await replica({ prefix });
    await worker.idle();
    expect(backportPulls(number).map((p) => p.baseRef)).toEqual(["release-39.0.0"]);
    expect(summaries(number)).toHaveLength(1);
    expect(worker.logs.some((l) => l.msg === "job started, holding the repository's lock" && l.job === `pull closed #${number}`)).toBe(true);

    // GitHub re-delivers the same webhook to the front replica: the job id is taken, nothing is stored or done again.
    expect((await front.driver.send(event, { deliveryId: `durable-${number}` })).status).toBe(200);
    await worker.idle();
    expect(await jobs.queue.getJobCounts("wait", "delayed", "active")).toEqual({ wait: 0, delayed: 0, active: 0 });
    expect(backportPulls(number)).toHaveLength(1);
    expect(summaries(number)).toHaveLength(1);
  } finally {
    await jobs.close();
  }
}, 300_000);

test("deliveries that ask for the same work while it waits are merged into one job; an entry that is not a job is dropped", async () => {
  const prefix = randomUUID();
  const front = await replica({ prefix, worker: false });
  const number = await mergedFix();
  const event = await front.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
  for (const id of ["first", "second", "third"]) await front.driver.send(event, { deliveryId: `merge-${number}-${id}` });

  const jobs = jobsOf(prefix);
  try {
    expect(await jobs.queue.getJobCounts("wait")).toEqual({ wait: 1 });
    await jobs.queue.add("pull-closed", { owner: "someone", call: { workflow: "rm -rf", input: {} } });
    const worker = await replica({ prefix });
    await worker.idle();
    expect(backportPulls(number)).toHaveLength(1);
    expect(summaries(number)).toHaveLength(1);
    expect(worker.logs.filter((l) => l.msg === "job started, holding the repository's lock")).toHaveLength(1);
    expect(worker.logs.some((l) => l.msg === "shared queue holds an entry that is not a job of this App: dropped")).toBe(true);
  } finally {
    await jobs.close();
  }
}, 300_000);

test("a replica that dies in the middle of a job loses nothing: another replica takes the job over from Redis and finishes it, with no new webhook and nothing twice", async () => {
  const prefix = randomUUID();
  // The first replica's third backport PR never gets an answer (it hangs far past the test), and the replica
  // dies while it waits: its job stays claimed in Redis, two of four targets done.
  const first = await replica({ prefix, requestTimeoutMs: 600_000 });
  const number = await mergedFix("backport:security");
  sandbox.faults.add({ kind: "hang", match: "pulls/create", after: 2, times: 1 });
  const event = await first.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
  expect((await first.driver.send(event)).status).toBe(200);
  await eventually(() => expect(sandbox.log.calls.some((c) => c.fault === "hang")).toBe(true));
  expect(backportPulls(number)).toHaveLength(2);
  await first.kill();
  sandbox.faults.clear();

  // Another replica starts: once the dead one's locks lapse it runs the job again and completes it.
  const second = await replica({ prefix });
  await eventually(() => expect(second.logs.some((l) => l.msg === "job started, holding the repository's lock" && l.job === `pull closed #${number}`)).toBe(true));
  await second.idle();
  expect(backportPulls(number).map((p) => p.baseRef).sort()).toEqual(["release-24.0.0", "release-36.0.0", "release-38.0.0", "release-39.0.0"]);
  expect(summaries(number)).toHaveLength(1);
  sandbox.assertNoViolations();
}, 300_000);

test("with Redis unreachable, the webhook is answered and its job runs in the receiving process", async () => {
  const app = await replica({ prefix: randomUUID(), url: "redis://127.0.0.1:1" });
  const number = await mergedFix();
  const event = await app.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
  expect((await app.driver.send(event)).status).toBe(200);
  await app.queue.idle();
  expect(backportPulls(number).map((p) => p.baseRef)).toEqual(["release-39.0.0"]);
  expect(summaries(number)).toHaveLength(1);
  expect(app.logs.some((l) => l.msg === "shared queue unavailable: the job runs in this process")).toBe(true);
}, 300_000);

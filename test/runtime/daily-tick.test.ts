/**
 * The daily tick inside the App, against the sandbox with a controlled clock: started after the day's
 * tick time, it runs at once for every installed repository with a config (and leaves one without alone),
 * and a second run the same day writes nothing.
 */
import type { Log } from "../../src/log.js";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot } from "probot";
import { AppOctokit } from "../../src/github/app-octokit.js";
import { WritePacer } from "../../src/github/pacer.js";
import { fanOutTick, startDailyTick } from "../../src/runtime/daily-tick.js";
import { createRepoEnqueue } from "../../src/runtime/jobs.js";
import { JobQueue, RecentDeliveries } from "../../src/runtime/job-queue.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";

let sandbox: Sandbox;
let wasmtime: RepoRecord;
let plain: RepoRecord;

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo: wasmtime } = await sandbox.seedWasmtime({ through: "2025-12-04" }));
  ({ repo: plain } = await sandbox.seedRepository({
    owner: "bytecodealliance", name: "no-config",
    script: [{ commit: { branch: "main", message: "Start\n", files: { "README.md": "no lts-steward config here\n" }, date: "2025-01-02" } }],
  }));
});
afterAll(() => sandbox.stop());
afterEach(() => sandbox.assertNoViolations());

test("started after 06:00 UTC, the day's tick runs at once for each configured repository; run again, it writes nothing", async () => {
  const log = pino({ level: "warn" }, new Writable({ write: (_c, _e, done) => done() })) as unknown as Log;
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  const probot = new Probot({ appId, privateKey, secret: webhookSecret, baseUrl, Octokit: AppOctokit, log: log as never });
  const queue = new JobQueue(log);
  const enqueueRepo = createRepoEnqueue({ queue, deliveries: new RecentDeliveries(), pacer: new WritePacer({ intervalMs: 0 }), retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 }, today: () => "2025-12-05", botLogin: async () => "lts-steward[bot]" });
  const timers: { fn: () => void; ms: number }[] = [];
  const mark = sandbox.log.mark();
  const scheduler = startDailyTick(probot, {
    enqueueRepo, today: () => "2025-12-05", time: "06:00", log,
    now: () => new Date("2025-12-05T07:30:00Z"),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  await scheduler.idle();
  await queue.idle();
  scheduler.stop();

  expect(await sandbox.store.git(wasmtime).readRef("refs/heads/release-40.0.0")).not.toBeNull();
  expect([...wasmtime.issues.values()].map((i) => i.title)).toEqual(expect.arrayContaining(["Support schedule", "LTS automation check-in: December 2025"]));
  const writes = sandbox.log.writes(mark).filter((c) => c.operationId !== "apps/create-installation-access-token");
  expect(writes.length).toBeGreaterThan(0);
  expect(writes.every((c) => c.path.includes("/repos/bytecodealliance/wasmtime/"))).toBe(true);
  expect(plain.issues.size).toBe(0);
  expect(timers.length).toBeGreaterThan(0);

  // The same day again (say, a second replica): the jobs find everything done.
  const again = sandbox.log.mark();
  const freshEnqueue = createRepoEnqueue({ queue, deliveries: new RecentDeliveries(), pacer: new WritePacer({ intervalMs: 0 }), retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 }, today: () => "2025-12-05", botLogin: async () => "lts-steward[bot]" });
  expect(await fanOutTick(probot, freshEnqueue, "2025-12-05", log)).toBe(2);
  await queue.idle();
  expect(sandbox.log.writes(again).filter((c) => c.operationId !== "apps/create-installation-access-token")).toEqual([]);
});

/** The Probot App factory: everything the App needs comes in through `deps`; nothing runs at import. */
import type { Log } from "./log.js";
import type { ApplicationFunction } from "probot";
import { toIsoDay } from "./engine/dates.js";
import { DEFAULT_WRITE_INTERVAL_MS, WritePacer } from "./github/pacer.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./github/retry.js";
import { registerBackportHandlers } from "./handlers/backports.js";
import { registerAdvisoryHandlers } from "./handlers/advisories.js";
import { registerReleaseHandlers } from "./handlers/releases.js";
import { registerCiHealthHandlers } from "./handlers/ci-health.js";
import { registerConfigCheck } from "./handlers/config-check.js";
import { fanOutTick, startDailyTick } from "./runtime/daily-tick.js";
import { startRecovery } from "./runtime/recovery.js";
import { createEnqueue, createRepoEnqueue, runRepoJob, type JobDeps } from "./runtime/jobs.js";
import { JobQueue, RecentDeliveries } from "./runtime/job-queue.js";
import { appIdentity, botLoginOf } from "./runtime/identity.js";
import { ShadowLedger, type AppMode } from "./runtime/shadow.js";
import type { SharedCoordination } from "./runtime/redis/coordination.js";
import type { DurableQueue } from "./runtime/redis/durable-queue.js";
import { createConfigReader } from "./runtime/repo-config.js";
import type { JobHistory } from "./runtime/job-history.js";
import type { OctokitLike } from "./github/octokit-port.js";

export interface AppDeps {
  /** Today's UTC day; injected so tests and the sandbox control the clock. */
  today: () => string;
  /** Where handlers put work; tests await `queue.idle()`. Created per App when absent. */
  queue?: JobQueue;
  /** Paces writes per installation across all jobs (across replicas, with REDIS_URL). */
  pacer?: WritePacer;
  /** With REDIS_URL: delivery de-duplication and one job at a time per repository across replicas (src/runtime/redis/). */
  shared?: SharedCoordination;
  /** With REDIS_URL: the durable shared queue; this App's worker runs jobs any replica stored (src/runtime/redis/durable-queue.ts). */
  durable?: DurableQueue;
  /** Run this replica's worker for the shared queue (default); false: only store jobs (a test's webhook-only replica). */
  worker?: boolean;
  retry?: RetryPolicy;
  /** The App's slug, when known (skips `GET /app`). */
  appSlug?: string;
  /** Per-request timeout for GitHub calls, in milliseconds. */
  requestTimeoutMs?: number;
  /** The daily tick at a UTC time of day ("HH:MM"), for every installed repository; off by default (tests, the sandbox). */
  tick?: { time: string } | false;
  /** LTS_STEWARD_MODE: `shadow` plans every repository's writes without making them (src/runtime/shadow.ts). */
  mode?: AppMode;
  /** Where shadowed writes are recorded; created per App when absent. */
  shadow?: ShadowLedger;
  /** Handles for a harness (the sandbox, tests): run the daily tick for `day` now, as the scheduler would. */
  onReady?: (handles: { tick: (day: string) => Promise<number> }) => void;
  /** Resume unfinished work from GitHub's records at start-up (src/runtime/recovery.ts); on unless false. */
  recovery?: boolean;
  /** Where finished jobs are recorded for the status page (src/runtime/job-history.ts); none when absent. */
  history?: JobHistory;
}

export const defaultDeps: AppDeps = {
  today: () => toIsoDay(new Date()),
};

export function createApp(deps: AppDeps = defaultDeps): ApplicationFunction {
  return (app) => {
    const queue = deps.queue ?? new JobQueue(app.log);
    const jobDeps: JobDeps = {
      queue,
      deliveries: new RecentDeliveries(),
      pacer: deps.pacer ?? new WritePacer({ intervalMs: DEFAULT_WRITE_INTERVAL_MS }),
      retry: deps.retry ?? DEFAULT_RETRY,
      today: deps.today,
      botLogin: appIdentity(app, deps.appSlug ? botLoginOf(deps.appSlug) : undefined),
      ...(deps.requestTimeoutMs ? { requestTimeoutMs: deps.requestTimeoutMs } : {}),
      ...(deps.shared ? { shared: deps.shared } : {}),
      ...(deps.durable ? { durable: deps.durable } : {}),
      mode: deps.mode ?? "active",
      shadow: deps.shadow ?? new ShadowLedger(),
      ...(deps.history ? { history: deps.history } : {}),
    };
    const enqueue = createEnqueue(jobDeps);
    // A stored job runs here whichever replica stored it, as its installation.
    if (deps.worker !== false) deps.durable?.start(async (job) => {
      const octokit = (await app.auth(job.installationId)) as unknown as OctokitLike;
      const log = (app.log as unknown as Log).child({ delivery: job.deliveryKey, repo: `${job.owner}/${job.repo}`, job: job.name });
      await runRepoJob(jobDeps, { ...job, octokit, readConfig: createConfigReader({ octokit, owner: job.owner, repo: job.repo }) }, log);
    });
    registerBackportHandlers(app, enqueue);
    registerConfigCheck(app, enqueue);
    registerReleaseHandlers(app, enqueue);
    registerCiHealthHandlers(app, enqueue);
    registerAdvisoryHandlers(app, { enqueue, queue, enqueueRepo: createRepoEnqueue(jobDeps) });
    if (deps.tick) startDailyTick(app, { enqueueRepo: createRepoEnqueue(jobDeps), today: deps.today, time: deps.tick.time, log: app.log as unknown as Log });
    if (deps.recovery !== false) void startRecovery(app, { enqueueRepo: createRepoEnqueue(jobDeps), log: app.log as unknown as Log });
    deps.onReady?.({ tick: (day) => fanOutTick(app, createRepoEnqueue(jobDeps), day, app.log as unknown as Log) });
    app.log.info({ today: deps.today(), mode: jobDeps.mode }, "lts-steward loaded");
  };
}

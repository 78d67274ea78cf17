/** The Probot App factory: everything the App needs comes in through `deps`; nothing runs at import. */
import type { ApplicationFunction } from "probot";
import { toIsoDay } from "./engine/dates.js";
import { DEFAULT_WRITE_INTERVAL_MS, WritePacer } from "./github/pacer.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./github/retry.js";
import { registerBackportHandlers } from "./handlers/backports.js";
import { registerAdvisoryHandlers } from "./handlers/advisories.js";
import { createEnqueue, createRepoEnqueue, type JobDeps } from "./handlers/jobs.js";
import { JobQueue, RecentDeliveries } from "./queue/job-queue.js";

export interface AppDeps {
  /** Today's UTC day; injected so tests and the sandbox control the clock. */
  today: () => string;
  /** Where handlers put work; tests await `queue.idle()`. Created per App when absent. */
  queue?: JobQueue;
  /** Paces writes per installation across all jobs. */
  pacer?: WritePacer;
  retry?: RetryPolicy;
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
    };
    const enqueue = createEnqueue(jobDeps);
    registerBackportHandlers(app, enqueue);
    registerAdvisoryHandlers(app, { enqueue, queue, enqueueRepo: createRepoEnqueue(jobDeps) });
    app.log.info({ today: deps.today() }, "lts-steward loaded");
  };
}

/**
 * What replicas share through Redis when REDIS_URL is set: the per-installation write pacing, delivery
 * de-duplication and one job at a time per repository. Without REDIS_URL none of this exists and the App
 * runs in one process as before. Each piece falls back to in-process behaviour while Redis is down.
 */
import type { Redis } from "ioredis";
import type { Log } from "../../log.js";
import type { WritePacer } from "../../github/pacer.js";
import { connectRedis } from "./connection.js";
import { SharedDeliveries } from "./deliveries.js";
import { DurableQueue, type DurableQueueOptions } from "./durable-queue.js";
import { RedisWritePacer } from "./pacer.js";
import { RepoLock } from "./repo-lock.js";

/** What a job shares with the other replicas (src/runtime/jobs.ts). */
export interface SharedCoordination {
  /** True when this replica is the first to act on the delivery key. */
  claimDelivery(id: string): Promise<boolean>;
  /** Gives a failed job's claim back. */
  forgetDelivery(id: string): Promise<void>;
  /** Runs `fn` while no other replica runs a job for the same repository. */
  withRepoLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export interface RedisCoordination {
  redis: Redis;
  pacer: WritePacer;
  shared: SharedCoordination;
  /** The durable shared job queue; null when asked not to use one. */
  durable: DurableQueue | null;
  /** Stops the worker (its running jobs get `graceMs` to finish) and closes the connections. */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface RedisCoordinationOptions {
  url: string;
  writeIntervalMs: number;
  log: Pick<Log, "warn" | "info" | "error" | "debug">;
  prefix?: string;
  /** The durable queue's tuning (src/runtime/redis/durable-queue.ts); false: no durable queue (jobs stay in-process). */
  queue?: Pick<DurableQueueOptions, "concurrency" | "lockDurationMs" | "stalledIntervalMs" | "busyDelayMs"> | false;
}

export function createRedisCoordination(options: RedisCoordinationOptions): RedisCoordination {
  const redis = connectRedis(options.url, options.log);
  const common = { redis, log: options.log, ...(options.prefix ? { prefix: options.prefix } : {}) };
  const deliveries = new SharedDeliveries(common);
  const lock = new RepoLock(common);
  const durable = options.queue === false
    ? null
    : new DurableQueue({
        url: options.url, lock, log: options.log, ...(options.prefix ? { prefix: options.prefix } : {}), ...(options.queue ?? {}),
        onFinalFailure: (job) => deliveries.forget(job.deliveryKey),
      });
  return {
    redis,
    pacer: new RedisWritePacer({ ...common, intervalMs: options.writeIntervalMs }),
    shared: {
      claimDelivery: (id) => deliveries.claim(id),
      forgetDelivery: (id) => deliveries.forget(id),
      withRepoLock: (key, fn) => lock.withLock(key, fn),
    },
    durable,
    async close(closeOptions = {}) {
      await durable?.close(closeOptions);
      if (redis.status !== "ready") return redis.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * Wraps a queued job so that it runs once across replicas and alone for its repository: the delivery is
 * claimed first (a replica that lost the claim drops it; `claimed`: the caller already holds the claim), then
 * the job runs under the repository's lock.
 */
export function shareJob<J extends { key: string; run: () => Promise<void> }>(
  shared: SharedCoordination | undefined, deliveryKey: string, log: Pick<Log, "info" | "debug">, job: J, options: { claimed?: boolean } = {},
): J {
  if (!shared) return job;
  return {
    ...job,
    run: async () => {
      if (!options.claimed && !(await shared.claimDelivery(deliveryKey))) {
        log.info({ delivery: deliveryKey }, "webhook already handled by another replica");
        return;
      }
      try {
        await shared.withRepoLock(job.key, async () => {
          log.debug({ lock: job.key, at: Date.now() }, "job started, holding the repository's lock");
          try {
            await job.run();
          } finally {
            log.debug({ lock: job.key, at: Date.now() }, "job finished, releasing the repository's lock");
          }
        });
      } catch (error) {
        await shared.forgetDelivery(deliveryKey);
        throw error;
      }
    },
  };
}

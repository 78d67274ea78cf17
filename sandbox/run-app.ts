/**
 * The real App (Probot + createApp) listening on a loopback port against a sandbox, as GitHub would call
 * it: signed webhooks in, REST calls out to the sandbox. Shared by end-to-end tests, benchmarks and the demo.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { createNodeMiddleware, Probot } from "probot";
import { createApp } from "../src/app.js";
import { AppOctokit } from "../src/github/app-octokit.js";
import { WritePacer } from "../src/github/pacer.js";
import type { RetryPolicy } from "../src/github/retry.js";
import { JobQueue } from "../src/runtime/job-queue.js";
import { createRedisCoordination } from "../src/runtime/redis/coordination.js";
import type { Sandbox } from "./sandbox.js";
import type { WebhookDriver } from "./webhooks/driver.js";

export interface RunningApp {
  /** Where the App receives webhooks. */
  webhookUrl: string;
  driver: WebhookDriver;
  queue: JobQueue;
  /** Resolves once no job is waiting or running: in this replica's queue and, with Redis, in the shared queue. */
  idle(): Promise<void>;
  pacer: WritePacer;
  /** With `redisUrl`: the replica's Redis connection. */
  redis: import("ioredis").Redis | null;
  /** The App's log lines (JSON), oldest first. */
  logs: Record<string, unknown>[];
  /** Change the App's idea of today. */
  today: { value: string };
  /** Runs the daily tick for every installed repository now, as the scheduler would, and waits for its jobs. */
  tick(day?: string): Promise<void>;
  stop(): Promise<void>;
  /**
   * Stops as a crashed replica would: no more webhooks, no waiting for running jobs (with the shared queue
   * they stay claimed in Redis until their lock lapses, then another replica takes them over).
   */
  kill(): Promise<void>;
}

export interface RunAppOptions {
  today: string;
  /** Milliseconds between writes of one installation (GitHub's advice is 1000; tests use 0). */
  writeIntervalMs?: number;
  retry?: RetryPolicy;
  logLevel?: string;
  /** Recovery at start-up (src/runtime/recovery.ts); off unless asked, so a test's start-up writes nothing by itself. */
  recovery?: boolean;
  /** Per-request timeout for GitHub calls. */
  requestTimeoutMs?: number;
  /** Share pacing, de-duplication and repository locks with other replicas through this Redis (REDIS_URL). */
  redisUrl?: string;
  /** Key prefix in Redis, so that tests sharing one server do not see each other. */
  redisPrefix?: string;
  /** With `redisUrl`: store jobs in the durable shared queue (default) or keep them in this process (false). */
  sharedQueue?: boolean;
  /** With the shared queue: run this replica's worker (default) or only store jobs for other replicas (false). */
  worker?: boolean;
  /** Jobs this replica's shared-queue worker runs at once (QUEUE_CONCURRENCY). */
  concurrency?: number;
}

export async function runApp(sandbox: Sandbox, options: RunAppOptions): Promise<RunningApp> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const log: Logger = pino({ level: options.logLevel ?? "info" }, sink);
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  const probot = new Probot({ appId, privateKey, secret: webhookSecret, baseUrl, log, Octokit: AppOctokit });
  const queue = new JobQueue(log);
  const redis = options.redisUrl
    ? createRedisCoordination({
        url: options.redisUrl, writeIntervalMs: options.writeIntervalMs ?? 0, log, ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}),
        queue: options.sharedQueue === false ? false : { stalledIntervalMs: 1000, busyDelayMs: 50, ...(options.concurrency ? { concurrency: options.concurrency } : {}) },
      })
    : null;
  const durable = redis?.durable && options.worker !== false ? redis.durable : null;
  const pacer = redis?.pacer ?? new WritePacer({ intervalMs: options.writeIntervalMs ?? 0 });
  const today = { value: options.today };
  const retry = options.retry ?? { retries: 8, baseDelayMs: 1, maxDelayMs: 5 };
  let tickNow: ((day: string) => Promise<number>) | undefined;
  const middleware = await createNodeMiddleware(createApp({ today: () => today.value, queue, pacer, retry, ...(redis ? { shared: redis.shared } : {}), ...(redis?.durable ? { durable: redis.durable, worker: options.worker !== false } : {}), recovery: options.recovery ?? false, onReady: (handles) => (tickNow = handles.tick), ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}) }), { probot });
  const server: Server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
  // Jobs in the shared queue; 0 while Redis is unreachable (then every job runs in this process's queue).
  const sharedPending = async () => (redis?.durable ? redis.durable.pending().catch(() => 0) : 0);
  const idle = async () => {
    // Both at once: a shared job can fall back to this queue, and a local job can store new shared ones.
    for (;;) {
      await queue.idle();
      while ((await sharedPending()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      if (queue.stats.pending === 0 && (await sharedPending()) === 0) return;
    }
  };
  return {
    webhookUrl, driver: sandbox.webhooks(webhookUrl), queue, idle, pacer, redis: redis?.redis ?? null, logs, today,
    async tick(day) {
      if (!tickNow) throw new Error("the App is not ready");
      await tickNow(day ?? today.value);
      await idle();
    },
    async stop() {
      if (durable) await idle();
      else await queue.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await redis?.close();
    },
    async kill() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await redis?.close({ graceMs: 0 });
    },
  };
}

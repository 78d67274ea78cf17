/**
 * The durable shared job queue (BullMQ on the App's Redis, REDIS_URL). A webhook's job is stored in Redis
 * before the webhook is answered, as data (a named workflow and its input, src/runtime/workflow-registry.ts),
 * and any replica's worker runs it, authenticating as the job's installation. Jobs a replica was running
 * when it died go back to waiting once their BullMQ lock lapses (`lockDurationMs`), so another replica, or
 * this one restarted, finishes them without a new webhook.
 *
 * One job at a time per repository across replicas: a worker takes the repository's lock (src/runtime/redis/
 * repo-lock.ts) without waiting; when another job holds it, the job goes back to the delayed set for a
 * moment (BullMQ's `moveToDelayed` + `DelayedError` pattern) and the worker's slot serves another
 * repository. BullMQ's open-source edition has no per-group concurrency; this is the documented way to
 * build it. A repository's jobs therefore run one at a time but not strictly in arrival order, which the
 * workflows do not need: each re-reads live state.
 *
 * Redundant work: a job added with the same coalescing key as one still waiting is dropped (BullMQ
 * deduplication, whose key the job gives up as soon as it starts, so a job added while its twin runs is
 * kept). A re-delivered webhook has the same job id and is not added twice.
 *
 * Redis down: `add` fails within the command timeout and the caller runs the job in-process
 * (src/runtime/jobs.ts), so webhooks keep being answered and acted on.
 */
import { createHash } from "node:crypto";
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Log } from "../../log.js";
import { isWorkflowCall, type WorkflowCall } from "../workflow-registry.js";
import { ready, REDIS_COMMAND_TIMEOUT_MS } from "./connection.js";
import type { RepoLock } from "./repo-lock.js";

/** A job as stored in Redis: everything a worker on any replica needs to run it. */
export interface QueuedJob {
  owner: string;
  repo: string;
  installationId: number;
  deliveryKey: string;
  name: string;
  coalesce?: string;
  call: WorkflowCall;
}

/** A job in the shared queue as the status page shows it. */
export interface SharedJobSnapshot {
  /** `owner/repo`. */
  repo: string;
  name: string;
  /** `running` on some replica; `waiting` to be taken; `delayed`: its repository was busy, or a retry's back-off. */
  state: "running" | "waiting" | "delayed";
  /** Attempts made so far (a retried job has 1 or more). */
  attempts: number;
}

export interface DurableQueueOptions {
  url: string;
  /** Key prefix; BullMQ's keys go under `<prefix>:bull`. */
  prefix?: string;
  lock: RepoLock;
  log: Pick<Log, "warn" | "info" | "error" | "debug">;
  /** Jobs one replica runs at once, for different repositories (QUEUE_CONCURRENCY; default 8). */
  concurrency?: number;
  /** How long a dead worker's job stays claimed before another worker takes it (default 15 s). */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died (default 5 s). */
  stalledIntervalMs?: number;
  /** How soon a job whose repository is busy is tried again (default 250 ms, plus up to as much jitter). */
  busyDelayMs?: number;
  /** Attempts per job when it fails (default 3, backing off from 2 s). */
  attempts?: number;
  /** Gives a failed job's delivery claim back (src/runtime/redis/deliveries.ts). */
  onFinalFailure?: (job: QueuedJob) => Promise<void>;
}

export type RunQueuedJob = (job: QueuedJob) => Promise<void>;

const QUEUE_NAME = "jobs";
const DAY_SECONDS = 24 * 3600;

const hash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 40);

/** The job's BullMQ id: the same delivery always maps to the same id (ids may not contain `:`). */
export const jobIdOf = (deliveryKey: string): string => `d-${hash(deliveryKey)}`;

/** Reads a stored job back; null for anything that is not one (a foreign or corrupted entry). */
export function asQueuedJob(data: unknown): QueuedJob | null {
  if (typeof data !== "object" || data === null) return null;
  const j = data as Record<string, unknown>;
  const text = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= 1000;
  if (!text(j.owner) || !text(j.repo) || !text(j.deliveryKey) || !text(j.name)) return null;
  if (typeof j.installationId !== "number" || !Number.isSafeInteger(j.installationId)) return null;
  if (j.coalesce !== undefined && !text(j.coalesce)) return null;
  if (!isWorkflowCall(j.call)) return null;
  return j as unknown as QueuedJob;
}

/** Waits for a promise at most `ms`, ignoring its outcome (closing what may never answer). */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

export class DurableQueue {
  private readonly producer: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private readonly prefix: string;

  constructor(private readonly options: DurableQueueOptions) {
    this.prefix = `${options.prefix ?? "lts-steward"}:bull`;
    // Fail fast while Redis is down: the webhook's job then runs in this process instead of waiting.
    this.producer = new Redis(options.url, {
      enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: REDIS_COMMAND_TIMEOUT_MS, connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    });
    // Outages are logged once by the App's main Redis connection (connection.ts); this one only reconnects.
    this.producer.on("error", () => undefined);
    this.queue = new Queue(QUEUE_NAME, { connection: this.producer, prefix: this.prefix });
    this.queue.on("error", () => undefined);
  }

  /** Stores the job; false when Redis cannot take it now (the caller then runs it in-process). */
  async add(job: QueuedJob, log: Pick<Log, "warn" | "debug">): Promise<boolean> {
    try {
      await ready(this.producer);
      await this.queue.add(job.call.workflow, job, {
        jobId: jobIdOf(job.deliveryKey),
        ...(job.coalesce !== undefined ? { deduplication: { id: `c-${hash(`${job.owner}/${job.repo} ${job.coalesce}`)}` } } : {}),
        attempts: this.options.attempts ?? 3,
        backoff: { type: "exponential", delay: 2000 },
        // Kept a day so that a re-delivered webhook finds its job id taken; a failed job is removed so
        // that a manual re-delivery is acted on.
        removeOnComplete: { age: DAY_SECONDS, count: 10_000 },
        removeOnFail: true,
      });
      log.debug?.({ job: job.name, delivery: job.deliveryKey }, "job stored in the shared queue");
      return true;
    } catch (error) {
      log.warn({ err: { message: (error as Error).message }, job: job.name }, "shared queue unavailable: the job runs in this process");
      return false;
    }
  }

  /** Starts this replica's worker. */
  start(run: RunQueuedJob): void {
    if (this.worker) return;
    // BullMQ's worker blocks on Redis and must retry forever (maxRetriesPerRequest: null).
    this.workerConnection = new Redis(this.options.url, { maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 200, 5000) });
    this.workerConnection.on("error", () => undefined);
    const lockDuration = this.options.lockDurationMs ?? 15_000;
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.process(job, token, run), {
      connection: this.workerConnection, prefix: this.prefix,
      concurrency: this.options.concurrency ?? 8,
      lockDuration, stalledInterval: this.options.stalledIntervalMs ?? 5000,
      // A job whose worker died is taken over, not failed: every workflow is safe to run again.
      maxStalledCount: 20,
    });
    this.worker.on("error", () => undefined);
    this.worker.on("failed", (job, error) => {
      if (!job) return;
      const data = asQueuedJob(job.data);
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.options.log.error({ err: error, job: data?.name ?? job.name, attempt: job.attemptsMade, final }, final ? "job failed" : "job failed; it will be tried again");
      if (final && data) void this.options.onFinalFailure?.(data).catch(() => undefined);
    });
  }

  private async process(job: Job, token: string | undefined, run: RunQueuedJob): Promise<void> {
    const data = asQueuedJob(job.data);
    if (!data) {
      this.options.log.warn({ job: job.id }, "shared queue holds an entry that is not a job of this App: dropped");
      return;
    }
    const outcome = await this.options.lock.tryWithLock(`${data.owner}/${data.repo}`, async () => {
      // Started: a twin added from now on is new work again, not absorbed by this one.
      if (job.deduplicationId) await job.removeDeduplicationKey();
      this.options.log.debug({ lock: `${data.owner}/${data.repo}`, job: data.name, at: Date.now() }, "job started, holding the repository's lock");
      try {
        await run(data);
      } finally {
        this.options.log.debug({ lock: `${data.owner}/${data.repo}`, job: data.name, at: Date.now() }, "job finished, releasing the repository's lock");
      }
    });
    if (!outcome.ran) {
      const delay = this.options.busyDelayMs ?? 250;
      await job.moveToDelayed(Date.now() + delay + Math.floor(Math.random() * delay), token);
      throw new DelayedError();
    }
  }

  /**
   * Jobs not finished yet, across all replicas: waiting, delayed (busy repository, retry back-off) and
   * running. Throws at once while Redis is unreachable (BullMQ itself would wait for it forever).
   */
  async pending(): Promise<number> {
    await ready(this.producer);
    const counts = await this.queue.getJobCounts("active", "wait", "delayed", "prioritized", "waiting-children");
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /**
   * Jobs not finished yet, across all replicas, at most `limit` of each state (running first), and how many
   * there are in all. Throws at once while Redis is unreachable.
   */
  async snapshot(limit = 100): Promise<{ total: number; jobs: SharedJobSnapshot[] }> {
    await ready(this.producer);
    const states = [["running", "active"], ["waiting", "wait"], ["delayed", "delayed"]] as const;
    const jobs: SharedJobSnapshot[] = [];
    for (const [state, type] of states) {
      for (const job of await this.queue.getJobs([type], 0, limit - 1)) {
        const data = job ? asQueuedJob(job.data) : null;
        if (data) jobs.push({ repo: `${data.owner}/${data.repo}`, name: data.name, state, attempts: job!.attemptsMade });
      }
    }
    return { total: await this.pending(), jobs };
  }

  /** Resolves once no job is pending across all replicas (tests, benchmarks, a draining replica). */
  async idle(pollMs = 50): Promise<void> {
    while ((await this.pending()) > 0) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  /**
   * Stops this replica's worker: it takes no new job, and running jobs get `graceMs` to finish (default: as
   * long as they take). Past that they are abandoned, still claimed in Redis: another replica, or this one
   * restarted, takes them over once their lock lapses (`lockDurationMs`), as after a crash. Then closes the
   * connections.
   */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    const worker = this.worker;
    // While Redis is unreachable BullMQ's close would wait for a connection that may never come: nothing
    // can be handed back to Redis then anyway, so the worker is stopped at once.
    const reachable = this.producer.status === "ready";
    let abandoned = false;
    if (worker && !reachable) {
      await bounded(worker.close(true), 1000);
    } else if (worker) {
      // close(false) waits for the running jobs; a second close() call would only return the same promise.
      const closing = worker.close(false).then(() => true, () => true);
      if (options.graceMs === undefined) await closing;
      else {
        let timer: NodeJS.Timeout | undefined;
        abandoned = !(await Promise.race([closing, new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), options.graceMs); })]));
        clearTimeout(timer);
      }
    }
    if (abandoned && worker) {
      this.options.log.warn({}, "stopped with jobs still running: another replica takes them over once their lock lapses");
      // Their lock must lapse: cut the worker's connections (the lock renewals with them) instead of waiting.
      await bounded(worker.disconnect(), 1000);
    }
    await bounded(this.queue.close(), reachable ? REDIS_COMMAND_TIMEOUT_MS : 1000);
    for (const connection of [this.workerConnection, this.producer]) {
      if (!connection) continue;
      if (connection.status === "ready") await connection.quit().catch(() => connection.disconnect());
      else connection.disconnect();
    }
  }
}

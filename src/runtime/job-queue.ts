/**
 * The in-process work queue between webhook handlers and the worker. Jobs with the same key (a repository)
 * run one at a time, in order, so two deliveries about one repository never race; jobs for different
 * repositories run in parallel. A failing job is logged and never stops the ones after it.
 *
 * Bounded effort: a job with a coalescing key (one workflow on one PR, one repository-wide task) is absorbed
 * by a job with that key still waiting in the queue, since the waiting one re-reads live state when it runs;
 * a running job absorbs nothing (it may have read its state already). The queue holds at most
 * `maxPerKey` waiting jobs per repository and `maxTotal` in all; past that a new job is shed with a warning
 * (the daily tick's reconcile finds work a shed job would have done).
 */
import type { Log } from "../log.js";

export interface Job {
  /** Jobs with the same key run one after another: `owner/repo`. */
  key: string;
  /** For logs: `backport owner/repo#12`. */
  name: string;
  /** Jobs with the same coalescing key are redundant while one of them waits: `owner/repo pull closed #12`. */
  coalesce?: string;
  run: () => Promise<void>;
}

export interface QueueLimits {
  /** Waiting jobs per key (repository); default 100. */
  maxPerKey: number;
  /** Waiting jobs in all; default 2,000. */
  maxTotal: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { maxPerKey: 100, maxTotal: 2000 };

interface Lane {
  waiting: Job[];
  running: boolean;
  /** The job running now, if any. */
  current?: Job;
}

/** One key's jobs as the status page shows them: the one running and those waiting, in order. */
export interface LaneSnapshot {
  key: string;
  running: string | null;
  waiting: string[];
}

export class JobQueue {
  private readonly lanes = new Map<string, Lane>();
  /** Coalescing keys of jobs waiting (not yet started). */
  private readonly waitingKeys = new Set<string>();
  private waitingCount = 0;
  private runningCount = 0;
  private completed = 0;
  private failed = 0;
  private coalesced = 0;
  private shed = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly limits: QueueLimits;

  constructor(
    private readonly log: Pick<Log, "error"> & Partial<Pick<Log, "warn" | "debug">>,
    limits: Partial<QueueLimits> = {},
  ) {
    this.limits = { ...DEFAULT_QUEUE_LIMITS, ...limits };
  }

  /** What became of the job: queued, absorbed by a waiting twin, or shed because the queue is full. */
  enqueue(job: Job): "queued" | "coalesced" | "shed" {
    if (job.coalesce !== undefined && this.waitingKeys.has(job.coalesce)) {
      this.coalesced++;
      this.log.debug?.({ job: job.name, coalesce: job.coalesce }, "job already waiting in the queue: this one is absorbed by it");
      return "coalesced";
    }
    const lane = this.lanes.get(job.key) ?? { waiting: [], running: false };
    if (lane.waiting.length >= this.limits.maxPerKey || this.waitingCount >= this.limits.maxTotal) {
      this.shed++;
      const full = lane.waiting.length >= this.limits.maxPerKey ? `${this.limits.maxPerKey} jobs wait for ${job.key}` : `${this.limits.maxTotal} jobs wait in all`;
      this.log.warn?.({ job: job.name, key: job.key, waiting: lane.waiting.length, total: this.waitingCount, shed: this.shed }, `queue full (${full}): job shed`);
      return "shed";
    }
    this.lanes.set(job.key, lane);
    lane.waiting.push(job);
    this.waitingCount++;
    if (job.coalesce !== undefined) this.waitingKeys.add(job.coalesce);
    if (!lane.running) void this.drain(job.key, lane);
    return "queued";
  }

  private async drain(key: string, lane: Lane): Promise<void> {
    lane.running = true;
    // One turn later, so a job enqueued now never starts inside its enqueuer's call.
    await Promise.resolve();
    for (let job = lane.waiting.shift(); job; job = lane.waiting.shift()) {
      this.waitingCount--;
      if (job.coalesce !== undefined) this.waitingKeys.delete(job.coalesce);
      this.runningCount++;
      lane.current = job;
      await this.runOne(job);
      lane.current = undefined;
      this.runningCount--;
    }
    lane.running = false;
    this.lanes.delete(key);
    if (this.waitingCount === 0 && this.runningCount === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async runOne(job: Job): Promise<void> {
    try {
      await job.run();
      this.completed++;
    } catch (error) {
      this.failed++;
      this.log.error({ err: error, job: job.name }, "job failed");
    }
  }

  /** Resolves when every job enqueued so far, and every job they enqueued, has finished. */
  async idle(): Promise<void> {
    if (this.waitingCount === 0 && this.runningCount === 0 && this.lanes.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** The jobs running and waiting, per key (repository); at most `maxWaiting` waiting names per key. */
  snapshot(maxWaiting = 20): LaneSnapshot[] {
    return [...this.lanes.entries()].map(([key, lane]) => ({
      key,
      running: lane.current?.name ?? null,
      waiting: lane.waiting.slice(0, maxWaiting).map((job) => job.name),
    }));
  }

  /** `pending`: waiting and running jobs. */
  get stats(): { pending: number; completed: number; failed: number } {
    return { pending: this.waitingCount + this.runningCount, completed: this.completed, failed: this.failed };
  }

  /** Jobs absorbed by a waiting twin, and jobs shed because the queue was full. */
  get effort(): { coalesced: number; shed: number } {
    return { coalesced: this.coalesced, shed: this.shed };
  }
}

/** Remembers recent webhook delivery ids so a re-delivered webhook is acted on once. */
export class RecentDeliveries {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 5000) {}

  /** True the first time an id is seen. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }

  /** Forgets an id whose job failed, so that a manual re-delivery is acted on. */
  forget(id: string): void {
    this.ids.delete(id);
  }
}

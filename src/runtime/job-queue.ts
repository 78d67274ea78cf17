/**
 * The in-process work queue between webhook handlers and the worker. Jobs with the same key (a repository)
 * run one at a time, in order, so two deliveries about one repository never race; jobs for different
 * repositories run in parallel. A failing job is logged and never stops the ones after it.
 */
import type { Log } from "../log.js";

export interface Job {
  /** Jobs with the same key run one after another: `owner/repo`. */
  key: string;
  /** For logs: `backport owner/repo#12`. */
  name: string;
  run: () => Promise<void>;
}

export class JobQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private completed = 0;
  private failed = 0;

  constructor(private readonly log: Pick<Log, "error">) {}

  enqueue(job: Job): void {
    const previous = this.tails.get(job.key) ?? Promise.resolve();
    const next = previous.then(() => this.runOne(job));
    this.tails.set(job.key, next);
    this.running.add(next);
    void next.finally(() => {
      this.running.delete(next);
      if (this.tails.get(job.key) === next) this.tails.delete(job.key);
    });
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
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  get stats(): { pending: number; completed: number; failed: number } {
    return { pending: this.running.size, completed: this.completed, failed: this.failed };
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

/**
 * Pacing of write requests (POST, PATCH, PUT, DELETE) per installation. GitHub's secondary rate limits
 * apply to the installation, not to our process: its guidance is to make requests for one installation
 * serially rather than concurrently, and to wait at least one second between requests that create
 * content (about 80 content-creating requests a minute trip the secondary limit). So each installation
 * gets its own queue: its writes run one after another, each starting at least `intervalMs` after the
 * previous one started. Installations do not wait for each other. Reads are not paced.
 *
 * `WritePacer` is the interface; `new WritePacer(…)` builds the in-process implementation (one process
 * paces its own writes). With REDIS_URL, src/runtime/redis/pacer.ts shares the lanes across replicas.
 */
import { realSleep } from "./retry.js";

/** GitHub's advice: at least one second between content-creating requests of one installation. */
export const DEFAULT_WRITE_INTERVAL_MS = 1000;

interface Lane {
  /** Settles when the last scheduled write has finished (whether it succeeded or failed). */
  tail: Promise<void>;
  lastStart: number | null;
  writes: number;
}

/** Paces one installation's writes; every implementation runs an installation's writes one at a time. */
export interface WritePacer {
  /** Runs `fn` after the installation's earlier writes, and no sooner than the interval after the last one started. */
  schedule<T>(installationId: number, fn: () => Promise<T>): Promise<T>;
  /** How many writes this process has started for the installation (each retry attempt counts). */
  writes(installationId: number): number;
}

export class InProcessWritePacer implements WritePacer {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly lanes = new Map<number, Lane>();

  constructor(options: { intervalMs: number; now?: () => number; sleep?: (ms: number) => Promise<void> }) {
    this.intervalMs = Math.max(0, options.intervalMs);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Runs `fn` after the installation's earlier writes, and no sooner than `intervalMs` after the last one started. */
  schedule<T>(installationId: number, fn: () => Promise<T>): Promise<T> {
    const lane = this.lane(installationId);
    const run = lane.tail.then(async () => {
      if (lane.lastStart !== null) {
        const wait = lane.lastStart + this.intervalMs - this.now();
        if (wait > 0) await this.sleep(wait);
      }
      lane.lastStart = this.now();
      lane.writes += 1;
      return fn();
    });
    // A failing write must not block the ones queued behind it.
    lane.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** How many writes have started for the installation (each retry attempt counts). */
  writes(installationId: number): number {
    return this.lanes.get(installationId)?.writes ?? 0;
  }

  private lane(installationId: number): Lane {
    let lane = this.lanes.get(installationId);
    if (!lane) {
      lane = { tail: Promise.resolve(), lastStart: null, writes: 0 };
      this.lanes.set(installationId, lane);
    }
    return lane;
  }
}

/** `new WritePacer(…)`: the in-process pacer, under the interface's name so existing call sites keep working. */
export const WritePacer = InProcessWritePacer;

/**
 * `WRITE_INTERVAL_MS` from the environment: milliseconds between writes of one installation. GitHub's
 * advice (1000) unless set; a local sandbox (the demo) can use 0. A bad value is an error, not a guess.
 */
export function writeIntervalFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.WRITE_INTERVAL_MS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_WRITE_INTERVAL_MS;
  if (!/^\d+$/.test(raw.trim())) throw new Error(`WRITE_INTERVAL_MS must be a whole number of milliseconds (got "${raw}")`);
  return Number(raw.trim());
}

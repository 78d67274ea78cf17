/**
 * Once a day at a UTC time of day, and at start-up when that time has already passed today: runs a job for
 * the day, never twice for one UTC day in this process. The clock and the timers are injected, so tests
 * drive days with a fake clock. Timers are re-armed at most an hour ahead and the clock is re-read on every
 * wake-up, so a timer that fires late or early (a suspended machine, a clock step) cannot skip or repeat a day.
 */
import { toIsoDay } from "../engine/dates.js";
import type { IsoDate } from "../engine/types.js";

/** A UTC time of day. */
export interface TickTime {
  hours: number;
  minutes: number;
}

export const DEFAULT_TICK_TIME = "06:00";

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses "HH:MM" (UTC, 00:00 to 23:59). */
export function parseTickTime(value: string): TickTime {
  const match = TIME_OF_DAY.exec(value.trim());
  if (!match) throw new Error(`bad tick time "${value}": expected a UTC time of day as HH:MM (00:00 to 23:59), e.g. ${DEFAULT_TICK_TIME}`);
  return { hours: Number(match[1]), minutes: Number(match[2]) };
}

export interface SchedulerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DailySchedulerOptions<Handle = unknown> {
  /** UTC "HH:MM" (default 06:00), or already parsed. */
  time?: string | TickTime;
  /** The day's work; a rejection is logged and the next day runs as usual. */
  run: (day: IsoDate) => Promise<void>;
  log: SchedulerLog;
  now?: () => Date;
  setTimer?: (fn: () => void, ms: number) => Handle;
  clearTimer?: (handle: Handle) => void;
  /** The longest a timer is set for before the clock is read again (default one hour). */
  maxDelayMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Real timers that do not keep the process alive on their own. */
const realSetTimer = (fn: () => void, ms: number): unknown => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return timer;
};
const realClearTimer = (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>);

export class DailyScheduler<Handle = unknown> {
  readonly time: TickTime;
  private readonly runDay: (day: IsoDate) => Promise<void>;
  private readonly log: SchedulerLog;
  private readonly now: () => Date;
  private readonly setTimer: (fn: () => void, ms: number) => Handle;
  private readonly clearTimer: (handle: Handle) => void;
  private readonly maxDelayMs: number;
  private timer: { handle: Handle } | null = null;
  private started = false;
  private lastDay: IsoDate | null = null;
  private readonly running = new Set<Promise<void>>();

  constructor(options: DailySchedulerOptions<Handle>) {
    const time = options.time ?? DEFAULT_TICK_TIME;
    this.time = typeof time === "string" ? parseTickTime(time) : time;
    this.runDay = options.run;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.setTimer = options.setTimer ?? (realSetTimer as (fn: () => void, ms: number) => Handle);
    this.clearTimer = options.clearTimer ?? (realClearTimer as (handle: Handle) => void);
    this.maxDelayMs = Math.max(1, options.maxDelayMs ?? HOUR_MS);
  }

  /** The last UTC day this scheduler ran for (null before the first run). */
  get lastRunDay(): IsoDate | null {
    return this.lastDay;
  }

  /** Runs today's job now if its time has passed, then waits for the next run time. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const next = this.nextRunAt(this.now());
    this.log.info({ time: this.timeOfDay(), next: next.toISOString() }, "daily tick scheduled");
    this.wake();
  }

  /** Cancels the timer; a run in progress finishes. */
  stop(): void {
    this.started = false;
    if (this.timer) this.clearTimer(this.timer.handle);
    this.timer = null;
  }

  /** Settles when the runs started so far have finished (for tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** The run time on the day of `instant`. */
  private runTimeOn(instant: Date): Date {
    return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate(), this.time.hours, this.time.minutes));
  }

  /** The first run time strictly after `instant`. */
  private nextRunAt(instant: Date): Date {
    const today = this.runTimeOn(instant);
    return today.getTime() > instant.getTime() ? today : new Date(today.getTime() + DAY_MS);
  }

  private timeOfDay(): string {
    return `${String(this.time.hours).padStart(2, "0")}:${String(this.time.minutes).padStart(2, "0")} UTC`;
  }

  private wake(): void {
    this.timer = null;
    if (!this.started) return;
    const now = this.now();
    const day = toIsoDay(now);
    // Days only move forward: after the clock steps back, a day already run is not run again.
    if (now.getTime() >= this.runTimeOn(now).getTime() && (this.lastDay === null || day > this.lastDay)) this.runFor(day);
    const delay = Math.min(this.maxDelayMs, Math.max(1, this.nextRunAt(now).getTime() - now.getTime()));
    this.timer = { handle: this.setTimer(() => this.wake(), delay) };
  }

  private runFor(day: IsoDate): void {
    this.lastDay = day;
    this.log.info({ day }, "daily tick: starting");
    const run = (async () => {
      try {
        await this.runDay(day);
        this.log.info({ day }, "daily tick: done");
      } catch (error) {
        this.log.error({ err: error, day }, "daily tick failed; the next one runs tomorrow");
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }
}

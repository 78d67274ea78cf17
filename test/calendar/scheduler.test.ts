/** The daily scheduler with a fake clock and fake timers: which UTC days ran, never how long anything took. */
import { DailyScheduler, parseTickTime, type DailySchedulerOptions } from "../../src/calendar/scheduler.js";

const HOUR = 60 * 60 * 1000;

/** A clock and timers that move only when the test says so. */
class FakeTime {
  private nowMs: number;
  private nextId = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start: string) {
    this.nowMs = Date.parse(start);
  }

  now = () => new Date(this.nowMs);
  setTimer = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.nowMs + ms, fn });
    return id;
  };
  clearTimer = (id: number) => {
    this.timers.delete(id);
  };

  /** Moves the clock to `iso`, firing the timers due on the way, in order. */
  async advanceTo(iso: string): Promise<void> {
    const target = Date.parse(iso);
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.nowMs = Math.max(this.nowMs, due[1].at);
      due[1].fn();
      await flush();
    }
    this.nowMs = target;
  }

  /** Sets the wall clock without firing timers (a clock step, a suspended machine). */
  jumpTo(iso: string): void {
    this.nowMs = Date.parse(iso);
  }

  /** Fires every pending timer now, whatever it was set for (a timer firing early or late). */
  async fireAll(): Promise<void> {
    const pending = [...this.timers.entries()];
    this.timers.clear();
    for (const [, timer] of pending) timer.fn();
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(start: string, options: Partial<DailySchedulerOptions<number>> & { fail?: (day: string) => boolean } = {}) {
  const time = new FakeTime(start);
  const days: string[] = [];
  const errors: { day?: string; msg: string }[] = [];
  const scheduler = new DailyScheduler<number>({
    run: async (day) => {
      days.push(day);
      if (options.fail?.(day)) throw new Error(`boom on ${day}`);
    },
    log: { info: () => {}, error: (obj, msg) => errors.push({ ...(obj as { day?: string }), msg }) },
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    ...options,
  });
  return { time, days, errors, scheduler };
}

describe("parseTickTime", () => {
  test.each([
    ["06:00", { hours: 6, minutes: 0 }],
    ["00:00", { hours: 0, minutes: 0 }],
    ["23:59", { hours: 23, minutes: 59 }],
    [" 18:30 ", { hours: 18, minutes: 30 }],
  ])("%j", (value, expected) => expect(parseTickTime(value)).toEqual(expected));

  test.each(["6:00", "24:00", "06:60", "0600", "06:00:00", "", "6am", "06:0"])("%j is refused with a clear message", (value) => {
    expect(() => parseTickTime(value)).toThrow(`bad tick time "${value}": expected a UTC time of day as HH:MM (00:00 to 23:59), e.g. 06:00`);
  });

  test("a scheduler with a bad time cannot be made", () => {
    expect(() => setup("2025-12-05T00:00:00Z", { time: "25:00" })).toThrow(/bad tick time "25:00"/);
  });
});

describe("DailyScheduler", () => {
  test("started before the day's time: runs at that time, then once every day", async () => {
    const { time, days, scheduler } = setup("2025-12-05T03:00:00Z");
    scheduler.start();
    await flush();
    expect(days).toEqual([]);
    await time.advanceTo("2025-12-05T05:59:59Z");
    expect(days).toEqual([]);
    await time.advanceTo("2025-12-05T06:00:00Z");
    expect(days).toEqual(["2025-12-05"]);
    await time.advanceTo("2025-12-08T12:00:00Z");
    expect(days).toEqual(["2025-12-05", "2025-12-06", "2025-12-07", "2025-12-08"]);
    expect(scheduler.lastRunDay).toBe("2025-12-08");
    scheduler.stop();
  });

  test("started after the day's time: runs at once (the day's run was missed), then tomorrow at the time", async () => {
    const { time, days, scheduler } = setup("2025-12-05T14:00:00Z");
    scheduler.start();
    await flush();
    expect(days).toEqual(["2025-12-05"]);
    await time.advanceTo("2025-12-06T05:59:00Z");
    expect(days).toEqual(["2025-12-05"]);
    await time.advanceTo("2025-12-06T06:01:00Z");
    expect(days).toEqual(["2025-12-05", "2025-12-06"]);
    scheduler.stop();
  });

  test("started exactly at the time runs at once", async () => {
    const { days, scheduler } = setup("2025-12-05T06:00:00Z");
    scheduler.start();
    await flush();
    expect(days).toEqual(["2025-12-05"]);
    scheduler.stop();
  });

  test("the time of day is configurable", async () => {
    const { time, days, scheduler } = setup("2025-12-05T22:00:00Z", { time: "23:30" });
    scheduler.start();
    await time.advanceTo("2025-12-05T23:29:00Z");
    expect(days).toEqual([]);
    await time.advanceTo("2025-12-07T23:29:00Z");
    expect(days).toEqual(["2025-12-05", "2025-12-06"]);
    scheduler.stop();
  });

  test("never twice for one UTC day: restarting, early timers, the clock stepping back", async () => {
    const { time, days, scheduler } = setup("2025-12-05T07:00:00Z");
    scheduler.start();
    scheduler.start();
    await flush();
    scheduler.stop();
    scheduler.start();
    await time.fireAll();
    await time.fireAll();
    expect(days).toEqual(["2025-12-05"]);
    // The clock steps back a day, past the time: that day is not run (again or at all).
    time.jumpTo("2025-12-04T10:00:00Z");
    await time.fireAll();
    expect(days).toEqual(["2025-12-05"]);
    time.jumpTo("2025-12-06T06:00:00Z");
    await time.fireAll();
    await time.fireAll();
    expect(days).toEqual(["2025-12-05", "2025-12-06"]);
    scheduler.stop();
  });

  test("a timer that fires late (a suspended machine) runs the current day once, not the days missed", async () => {
    const { time, days, scheduler } = setup("2025-12-05T03:00:00Z");
    scheduler.start();
    time.jumpTo("2025-12-09T15:00:00Z");
    await time.fireAll();
    expect(days).toEqual(["2025-12-09"]);
    await time.advanceTo("2025-12-10T06:00:00Z");
    expect(days).toEqual(["2025-12-09", "2025-12-10"]);
    scheduler.stop();
  });

  test("timers are never set further ahead than an hour, so the clock is re-read", async () => {
    const { time, scheduler } = setup("2025-12-05T07:00:00Z");
    scheduler.start();
    expect([...time.timers.values()].map((t) => t.at - Date.parse("2025-12-05T07:00:00Z"))).toEqual([HOUR]);
    await time.advanceTo("2025-12-06T05:30:00Z");
    expect([...time.timers.values()].map((t) => t.at - Date.parse("2025-12-06T05:30:00Z"))).toEqual([30 * 60 * 1000]);
    scheduler.stop();
  });

  test("a failing run is logged, and the next day still runs", async () => {
    const { time, days, errors, scheduler } = setup("2025-12-05T07:00:00Z", { fail: (day) => day === "2025-12-05" });
    scheduler.start();
    await flush();
    expect(errors).toEqual([expect.objectContaining({ day: "2025-12-05", msg: expect.stringContaining("daily tick failed") })]);
    await time.advanceTo("2025-12-06T06:00:00Z");
    expect(days).toEqual(["2025-12-05", "2025-12-06"]);
    expect(errors).toHaveLength(1);
    scheduler.stop();
  });

  test("a run that throws before returning a promise is logged too", async () => {
    const time = new FakeTime("2025-12-05T07:00:00Z");
    const errors: string[] = [];
    const scheduler = new DailyScheduler<number>({
      run: () => {
        throw new Error("sync boom");
      },
      log: { info: () => {}, error: (_obj, msg) => errors.push(msg) },
      now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer,
    });
    scheduler.start();
    await scheduler.idle();
    expect(errors).toHaveLength(1);
    scheduler.stop();
  });

  test("stop() cancels: no timer is left and no day runs after it", async () => {
    const { time, days, scheduler } = setup("2025-12-05T03:00:00Z");
    scheduler.start();
    expect(time.timers.size).toBe(1);
    scheduler.stop();
    expect(time.timers.size).toBe(0);
    await time.advanceTo("2025-12-08T12:00:00Z");
    expect(days).toEqual([]);
  });

  test("idle() waits for a run in progress", async () => {
    const time = new FakeTime("2025-12-05T07:00:00Z");
    let finish: () => void = () => {};
    const finished: string[] = [];
    const scheduler = new DailyScheduler<number>({
      run: async (day) => {
        await new Promise<void>((resolve) => (finish = resolve));
        finished.push(day);
      },
      log: { info: () => {}, error: () => {} },
      now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer,
    });
    scheduler.start();
    const idle = scheduler.idle();
    await flush();
    expect(finished).toEqual([]);
    finish();
    await idle;
    expect(finished).toEqual(["2025-12-05"]);
    scheduler.stop();
  });
});

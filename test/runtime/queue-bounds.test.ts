/**
 * Bounded effort in the job queue (issue 14): a job waiting with the same coalescing key absorbs a redundant
 * one (a running one does not), the queue sheds past its bounds with a warning, and 1,000 redundant
 * deliveries for one repository do not keep a real fix waiting behind them. Asserted by order and counts.
 */
import { JobQueue } from "../../src/runtime/job-queue.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function recordingLog() {
  const entries: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: object, msg: string) => void entries.push({ level, obj: obj as Record<string, unknown>, msg });
  return { entries, error: at("error"), warn: at("warn"), debug: at("debug") };
}

test("a waiting job absorbs a redundant one; a running one does not", async () => {
  const log = recordingLog();
  const queue = new JobQueue(log);
  const gate = deferred();
  const runs: string[] = [];
  expect(queue.enqueue({ key: "o/r", name: "first", coalesce: "o/r pull closed #1", run: async () => { runs.push("first"); await gate.promise; } })).toBe("queued");
  await settle();
  // The first is running: a new one with its key waits behind it (the running one may have read its state already).
  expect(queue.enqueue({ key: "o/r", name: "second", coalesce: "o/r pull closed #1", run: async () => void runs.push("second") })).toBe("queued");
  // The second waits: a third like it is absorbed.
  expect(queue.enqueue({ key: "o/r", name: "third", coalesce: "o/r pull closed #1", run: async () => void runs.push("third") })).toBe("coalesced");
  // Jobs without a key, or with another, are never absorbed.
  expect(queue.enqueue({ key: "o/r", name: "comment", run: async () => void runs.push("comment") })).toBe("queued");
  expect(queue.enqueue({ key: "o/r", name: "other", coalesce: "o/r pull closed #2", run: async () => void runs.push("other") })).toBe("queued");
  gate.resolve();
  await queue.idle();
  expect(runs).toEqual(["first", "second", "comment", "other"]);
  expect(queue.effort).toEqual({ coalesced: 1, shed: 0 });
  expect(log.entries.filter((e) => e.level === "debug").map((e) => e.obj.job)).toEqual(["third"]);
});

test("past its bounds the queue sheds new jobs, with a warning naming the bound", async () => {
  const log = recordingLog();
  const queue = new JobQueue(log, { maxPerKey: 3, maxTotal: 5 });
  const gate = deferred();
  const run = () => gate.promise;
  for (let i = 0; i < 5; i++) queue.enqueue({ key: "o/a", name: `a${i}`, run });
  // o/a: 3 waiting (the 4th and 5th shed); o/b takes 2 more, then the total bound is reached.
  const b = [0, 1, 2].map((i) => queue.enqueue({ key: "o/b", name: `b${i}`, run }));
  expect(b).toEqual(["queued", "queued", "shed"]);
  const warnings = log.entries.filter((e) => e.level === "warn");
  expect(warnings.map((w) => w.obj.job)).toEqual(["a3", "a4", "b2"]);
  expect(warnings[0]?.msg).toContain("3 jobs wait for o/a");
  expect(warnings[2]?.msg).toContain("5 jobs wait in all");
  expect(queue.effort.shed).toBe(3);
  gate.resolve();
  await queue.idle();
  expect(queue.stats).toEqual({ pending: 0, completed: 5, failed: 0 });
});

test("1,000 redundant deliveries for one repository, then a real fix: the fix starts right after the one running job, and pending stays bounded", async () => {
  const queue = new JobQueue(recordingLog());
  const started: string[] = [];
  let maxPending = 0;
  const gate = deferred();
  const redundant = (i: number) => ({
    key: "o/r", name: `labeled #1 (${i})`, coalesce: "o/r pull labeled #1 backport:lts",
    run: async () => { started.push("redundant"); if (i === 0) await gate.promise; },
  });
  queue.enqueue(redundant(0));
  await settle();
  for (let i = 1; i <= 1000; i++) {
    queue.enqueue(redundant(i));
    maxPending = Math.max(maxPending, queue.stats.pending);
  }
  const fixStarted = deferred();
  queue.enqueue({ key: "o/r", name: "pull closed #2", coalesce: "o/r pull closed #2", run: async () => { started.push("fix"); fixStarted.resolve(); } });
  maxPending = Math.max(maxPending, queue.stats.pending);
  expect(maxPending).toBeLessThanOrEqual(3);
  gate.resolve();
  await fixStarted.promise;
  // Only the running job and the one that absorbed the other 999 came before the fix.
  expect(started).toEqual(["redundant", "redundant", "fix"]);
  await queue.idle();
  expect(queue.effort.coalesced).toBe(999);
});

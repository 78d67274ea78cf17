import { JobQueue, RecentDeliveries } from "../../src/runtime/job-queue.js";

/** A promise resolved or rejected by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every already-queued promise callback run (a few macrotask turns). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function recordingLog() {
  const errors: { obj: Record<string, unknown>; msg: string }[] = [];
  return { errors, error: (obj: object, msg: string) => void errors.push({ obj: obj as Record<string, unknown>, msg }) };
}

describe("JobQueue", () => {
  test("snapshot: per key, the job running and those waiting, in order; empty once idle", async () => {
    const queue = new JobQueue(recordingLog());
    const gate = deferred();
    queue.enqueue({ key: "acme/a", name: "a: first", run: () => gate.promise });
    queue.enqueue({ key: "acme/a", name: "a: second", run: async () => undefined });
    queue.enqueue({ key: "acme/a", name: "a: third", run: async () => undefined });
    const other = deferred();
    queue.enqueue({ key: "acme/b", name: "b: only", run: () => other.promise });
    await settle();
    expect(queue.snapshot()).toEqual([
      { key: "acme/a", running: "a: first", waiting: ["a: second", "a: third"] },
      { key: "acme/b", running: "b: only", waiting: [] },
    ]);
    expect(queue.snapshot(1)[0]!.waiting).toEqual(["a: second"]);
    gate.resolve();
    other.resolve();
    await queue.idle();
    expect(queue.snapshot()).toEqual([]);
  });

  test("jobs with one key run one at a time, in the order enqueued", async () => {
    const queue = new JobQueue(recordingLog());
    const events: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    gates.forEach((gate, i) =>
      queue.enqueue({
        key: "o/r",
        name: `job ${i}`,
        run: async () => {
          events.push(`start ${i}`);
          await gate.promise;
          events.push(`end ${i}`);
        },
      }),
    );
    await settle();
    expect(events).toEqual(["start 0"]);
    // Finishing the second first changes nothing: it has not started.
    gates[1]?.resolve();
    await settle();
    expect(events).toEqual(["start 0"]);
    gates[0]?.resolve();
    await settle();
    expect(events).toEqual(["start 0", "end 0", "start 1", "end 1", "start 2"]);
    gates[2]?.resolve();
    await queue.idle();
    expect(events).toEqual(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]);
    expect(queue.stats).toEqual({ pending: 0, completed: 3, failed: 0 });
  });

  test("jobs with different keys run concurrently", async () => {
    const queue = new JobQueue(recordingLog());
    const started: string[] = [];
    const a = deferred();
    const b = deferred();
    queue.enqueue({ key: "o/a", name: "a", run: async () => { started.push("a"); await a.promise; } });
    queue.enqueue({ key: "o/b", name: "b", run: async () => { started.push("b"); await b.promise; } });
    await settle();
    expect(started).toEqual(["a", "b"]);
    expect(queue.stats.pending).toBe(2);
    b.resolve();
    a.resolve();
    await queue.idle();
    expect(queue.stats).toEqual({ pending: 0, completed: 2, failed: 0 });
  });

  test("a failing job is logged with its name and error, and the next job of its key still runs", async () => {
    const log = recordingLog();
    const queue = new JobQueue(log);
    const ran: string[] = [];
    const boom = new Error("GitHub said no");
    queue.enqueue({ key: "o/r", name: "o/r: first", run: async () => { ran.push("first"); throw boom; } });
    queue.enqueue({ key: "o/r", name: "o/r: sync throw", run: () => { ran.push("second"); throw new Error("not even a promise"); } });
    queue.enqueue({ key: "o/r", name: "o/r: third", run: async () => void ran.push("third") });
    await queue.idle();
    expect(ran).toEqual(["first", "second", "third"]);
    expect(log.errors.map((e) => [e.msg, e.obj["job"], (e.obj["err"] as Error).message])).toEqual([
      ["job failed", "o/r: first", "GitHub said no"],
      ["job failed", "o/r: sync throw", "not even a promise"],
    ]);
    expect(queue.stats).toEqual({ pending: 0, completed: 1, failed: 2 });
  });

  test("idle() waits for jobs that jobs enqueue, on the same key and on others", async () => {
    const queue = new JobQueue(recordingLog());
    const done: string[] = [];
    const slow = () => new Promise((resolve) => setTimeout(resolve, 5));
    queue.enqueue({
      key: "o/r",
      name: "parent",
      run: async () => {
        await slow();
        queue.enqueue({
          key: "o/r",
          name: "child",
          run: async () => {
            await slow();
            queue.enqueue({ key: "o/other", name: "grandchild", run: async () => { await slow(); done.push("grandchild"); } });
            done.push("child");
          },
        });
        done.push("parent");
      },
    });
    await queue.idle();
    expect(done).toEqual(["parent", "child", "grandchild"]);
    expect(queue.stats).toEqual({ pending: 0, completed: 3, failed: 0 });
  });

  test("idle() on an empty queue resolves at once", async () => {
    const queue = new JobQueue(recordingLog());
    await queue.idle();
    expect(queue.stats).toEqual({ pending: 0, completed: 0, failed: 0 });
  });

  test("a key whose jobs all finished starts the next job at once", async () => {
    const queue = new JobQueue(recordingLog());
    const ran: string[] = [];
    queue.enqueue({ key: "o/r", name: "one", run: async () => void ran.push("one") });
    await queue.idle();
    queue.enqueue({ key: "o/r", name: "two", run: async () => void ran.push("two") });
    await queue.idle();
    expect(ran).toEqual(["one", "two"]);
  });
});

describe("RecentDeliveries", () => {
  test("true the first time an id is seen, false after", () => {
    const deliveries = new RecentDeliveries();
    expect(deliveries.firstTime("a")).toBe(true);
    expect(deliveries.firstTime("b")).toBe(true);
    expect(deliveries.firstTime("a")).toBe(false);
    expect(deliveries.firstTime("b")).toBe(false);
  });

  test("beyond its capacity it forgets the oldest id first", () => {
    const deliveries = new RecentDeliveries(2);
    expect(["a", "b", "c"].map((id) => deliveries.firstTime(id))).toEqual([true, true, true]);
    // "a" was evicted when "c" came; "b" and "c" are still known.
    expect(deliveries.firstTime("c")).toBe(false);
    expect(deliveries.firstTime("b")).toBe(false);
    expect(deliveries.firstTime("a")).toBe(true);
    // Now "b" (the oldest) is gone, "c" and "a" are known.
    expect(deliveries.firstTime("a")).toBe(false);
    expect(deliveries.firstTime("c")).toBe(false);
    expect(deliveries.firstTime("b")).toBe(true);
  });
});

test("a forgotten delivery id is acted on again", () => {
  const seen = new RecentDeliveries();
  expect(seen.firstTime("d-1")).toBe(true);
  seen.forget("d-1");
  expect(seen.firstTime("d-1")).toBe(true);
  expect(seen.firstTime("d-1")).toBe(false);
});

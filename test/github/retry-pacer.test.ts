/**
 * The GitHub boundary without a server: Octokit failures mapped to `GitHubError`s, the retry policy, and
 * the per-installation write pacer. Clocks and sleeps are fakes: nothing here really waits.
 */
import { GitHubError } from "../../src/github/errors.js";
import { toGitHubError } from "../../src/github/octokit-errors.js";
import { DEFAULT_WRITE_INTERVAL_MS, WritePacer } from "../../src/github/pacer.js";
import { DEFAULT_RETRY, retryDelay, withRetry, type RetryPolicy } from "../../src/github/retry.js";

const OP = "POST /repos/{owner}/{repo}/git/refs";
const NOW = Date.parse("2025-10-10T12:00:00Z");

/** What Octokit's `RequestError` carries when GitHub answered. */
function httpError(status: number, { message = "", headers = {}, errors }: { message?: string; headers?: Record<string, string>; errors?: unknown[] } = {}) {
  return Object.assign(new Error(message), { name: "HttpError", status, response: { status, headers, data: { message, ...(errors ? { errors } : {}) } } });
}

/** What `@octokit/request` throws when the connection fails: status 500 and no response. */
const connectionFailed = (message: string) => Object.assign(new Error(message), { name: "HttpError", status: 500 });

const map = (error: unknown) => toGitHubError(error, OP, () => NOW);

describe("toGitHubError", () => {
  test.each([
    [409, "Merge conflict", "conflict"],
    [422, "Reference already exists", "already-exists"],
    [422, "Update is not a fast forward", "invalid"],
    [404, "Not Found", "not-found"],
    [403, "Resource not accessible by integration", "forbidden"],
    [401, "Bad credentials", "forbidden"],
    [500, "Server Error", "server-error"],
    [502, "Bad Gateway", "server-error"],
    [503, "Service Unavailable", "server-error"],
  ])("%i %s is %s", (status, message, code) => {
    const mapped = map(httpError(status, { message }));
    expect(mapped).toBeInstanceOf(GitHubError);
    expect(mapped).toMatchObject({ code, status, operation: OP, message });
  });

  test("a duplicate pull request is named in GitHub's validation errors, not the top-level message", () => {
    const error = httpError(422, { message: "Validation Failed", errors: [{ resource: "PullRequest", code: "custom", message: "A pull request already exists for acme:topic." }] });
    expect(map(error)).toMatchObject({ code: "already-exists", message: "Validation Failed: A pull request already exists for acme:topic." });
  });

  test("rate limits: retry-after, an exhausted primary limit until its reset, a message, a bare 429", () => {
    const secondary = httpError(403, { message: "You have exceeded a secondary rate limit", headers: { "retry-after": "7" } });
    expect(map(secondary)).toMatchObject({ code: "rate-limited", retryAfterMs: 7000, transient: true });
    const primary = httpError(403, { message: "API rate limit exceeded", headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 90) } });
    expect(map(primary)).toMatchObject({ code: "rate-limited", retryAfterMs: 90_000 });
    expect(map(httpError(403, { message: "You have exceeded a secondary rate limit." }))).toMatchObject({ code: "rate-limited", retryAfterMs: 60_000 });
    expect(map(httpError(429, { headers: { "Retry-After": "2" } }))).toMatchObject({ code: "rate-limited", retryAfterMs: 2000 });
    expect(map(httpError(429))).toMatchObject({ code: "rate-limited", retryAfterMs: 60_000 });
    // A 403 with a healthy rate limit is a missing permission.
    expect(map(httpError(403, { message: "Resource not accessible by integration", headers: { "x-ratelimit-remaining": "4999" } }))).toMatchObject({ code: "forbidden" });
  });

  test("failures without an answer are network errors: Octokit's status-500-without-response, and plain errors", () => {
    expect(map(connectionFailed("other side closed"))).toMatchObject({ code: "network", status: null, message: "other side closed" });
    expect(map(new TypeError("fetch failed"))).toMatchObject({ code: "network", transient: true });
    expect(map(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toMatchObject({ code: "network" });
    expect(map("something odd")).toMatchObject({ code: "network", message: "something odd" });
  });

  test("a GitHubError passes through unchanged", () => {
    const original = new GitHubError({ code: "conflict", status: 409, operation: "elsewhere", message: "Merge conflict" });
    expect(map(original)).toBe(original);
  });
});

describe("withRetry", () => {
  const policy = (sleeps: number[], overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
    ...DEFAULT_RETRY,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });

  /** A call failing with each of `failures` in turn, then answering "done". */
  const failingThen = (failures: unknown[]) => {
    let calls = 0;
    const fn = async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return "done";
    };
    return { fn, calls: () => calls };
  };

  test("transient failures are retried with doubling waits until the call succeeds", async () => {
    const sleeps: number[] = [];
    const retries: unknown[] = [];
    const { fn, calls } = failingThen([httpError(502), connectionFailed("socket hang up"), httpError(500)]);
    await expect(withRetry(fn, { policy: policy(sleeps), operation: OP, onRetry: (info) => retries.push([info.attempt, info.delayMs, info.error.code]) })).resolves.toBe("done");
    expect(calls()).toBe(4);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(retries).toEqual([[1, 1000, "server-error"], [2, 2000, "network"], [3, 4000, "server-error"]]);
  });

  test("waits are capped at maxDelayMs; a rate limit waits what GitHub asked, capped the same way", async () => {
    const sleeps: number[] = [];
    const limited = (seconds: number) => httpError(403, { message: "secondary rate limit", headers: { "retry-after": String(seconds) } });
    const { fn } = failingThen([limited(3), limited(600), httpError(500), httpError(500)]);
    await withRetry(fn, { policy: policy(sleeps, { baseDelayMs: 1000, maxDelayMs: 5000 }), operation: OP });
    expect(sleeps).toEqual([3000, 5000, 4000, 5000]);
    expect(retryDelay(DEFAULT_RETRY, { attempt: 10, error: map(httpError(502)) })).toBe(60_000);
  });

  test("gives up after `retries` retries and throws the last failure as a GitHubError", async () => {
    const sleeps: number[] = [];
    const { fn, calls } = failingThen([httpError(500), httpError(500), httpError(500), httpError(502), httpError(503), httpError(500)]);
    const failure = withRetry(fn, { policy: policy(sleeps), operation: OP });
    await expect(failure).rejects.toBeInstanceOf(GitHubError);
    await expect(failure).rejects.toMatchObject({ code: "server-error", status: 503, operation: OP });
    expect(calls()).toBe(5);
    expect(sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  test.each([
    ["conflict", httpError(409, { message: "Merge conflict" })],
    ["invalid", httpError(422, { message: "Tree SHA does not exist" })],
    ["already-exists", httpError(422, { message: "Reference already exists" })],
    ["not-found", httpError(404)],
    ["forbidden", httpError(403, { message: "Resource not accessible by integration" })],
  ])("%s is not retried", async (code, error) => {
    const sleeps: number[] = [];
    const { fn, calls } = failingThen([error]);
    await expect(withRetry(fn, { policy: policy(sleeps), operation: OP })).rejects.toMatchObject({ code });
    expect(calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

describe("WritePacer", () => {
  /** A fake clock: sleeping moves it forward at once. */
  function fakeClock() {
    const clock = { t: 0, sleeps: [] as number[] };
    const now = () => clock.t;
    const sleep = async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    };
    return { clock, now, sleep };
  }

  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  test("GitHub's one second between content-creating requests is the documented default", () => {
    expect(DEFAULT_WRITE_INTERVAL_MS).toBe(1000);
  });

  test("one installation's writes run one after another, their starts at least intervalMs apart", async () => {
    const { clock, now, sleep } = fakeClock();
    const pacer = new WritePacer({ intervalMs: 1000, now, sleep });
    const events: string[] = [];
    const starts: number[] = [];
    const write = (name: string) => async () => {
      events.push(`start ${name}`);
      starts.push(clock.t);
      await Promise.resolve();
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all(["a", "b", "c"].map((name) => pacer.schedule(7, write(name))));
    expect(results).toEqual(["a", "b", "c"]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1000);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(1000);
    expect(pacer.writes(7)).toBe(3);
  });

  test("a write that started long enough after the previous one does not wait", async () => {
    const { clock, now, sleep } = fakeClock();
    const pacer = new WritePacer({ intervalMs: 1000, now, sleep });
    await pacer.schedule(1, async () => "first");
    clock.t += 5000;
    await pacer.schedule(1, async () => "second");
    expect(clock.sleeps).toEqual([]);
  });

  test("another installation does not wait for a slow or queued installation", async () => {
    const { now, sleep } = fakeClock();
    const pacer = new WritePacer({ intervalMs: 1000, now, sleep });
    const events: string[] = [];
    const slow = deferred();
    const first = pacer.schedule(1, async () => {
      events.push("start 1a");
      await slow.promise;
      events.push("end 1a");
    });
    const second = pacer.schedule(1, async () => {
      events.push("start 1b");
    });
    await pacer.schedule(2, async () => {
      events.push("start 2a");
    });
    // Installation 2 has written while installation 1's first write is still running and its second waits.
    expect(events).toEqual(["start 1a", "start 2a"]);
    expect(pacer.writes(1)).toBe(1);
    expect(pacer.writes(2)).toBe(1);
    slow.resolve();
    await Promise.all([first, second]);
    expect(events).toEqual(["start 1a", "start 2a", "end 1a", "start 1b"]);
    expect(pacer.writes(1)).toBe(2);
    expect(pacer.writes(3)).toBe(0);
  });

  test("a failing write rejects its own caller and does not block the queue", async () => {
    const pacer = new WritePacer({ intervalMs: 0 });
    const failing = pacer.schedule(1, async () => {
      throw new Error("boom");
    });
    const next = pacer.schedule(1, async () => "after");
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
    expect(pacer.writes(1)).toBe(2);
  });
});

/**
 * The Redis pieces against a real redis-server, two "replicas" being two independent connections: the
 * shared pacer spaces one installation's writes across both, a delivery is claimed once, a repository's
 * jobs never overlap; with Redis unreachable each piece still runs the work, in-process.
 */
import { randomUUID } from "node:crypto";
import { createRedisCoordination, type RedisCoordination } from "../../src/runtime/redis/coordination.js";
import { startRedis, type TestRedis } from "../../sandbox/redis-server.js";

const quiet = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} };
let redis: TestRedis;
const open: RedisCoordination[] = [];

function replica(options: { url?: string; writeIntervalMs?: number; prefix: string }): RedisCoordination {
  const coordination = createRedisCoordination({ url: options.url ?? redis.url, writeIntervalMs: options.writeIntervalMs ?? 0, log: quiet, prefix: options.prefix, queue: false });
  open.push(coordination);
  return coordination;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await redis.stop();
});

test("two replicas together start one installation's writes no closer than the interval; another installation is not held up", async () => {
  const prefix = randomUUID();
  const [a, b] = [replica({ prefix, writeIntervalMs: 100 }), replica({ prefix, writeIntervalMs: 100 })];
  const starts: { installation: number; at: number }[] = [];
  const write = (installation: number) => async () => {
    starts.push({ installation, at: performance.now() });
  };
  await Promise.all([
    ...Array.from({ length: 5 }, () => a.pacer.schedule(1, write(1))),
    ...Array.from({ length: 5 }, () => b.pacer.schedule(1, write(1))),
    ...Array.from({ length: 5 }, () => b.pacer.schedule(2, write(2))),
  ]);
  const one = starts.filter((s) => s.installation === 1).map((s) => s.at).sort((x, y) => x - y);
  const gaps = one.slice(1).map((at, i) => at - one[i]!);
  expect(one).toHaveLength(10);
  // The slots are spaced exactly in Redis's clock; when each write starts also carries its reply's round trip
  // and the event loop, which a loaded machine stretches for one write and not the next. That jitter does not
  // add up, so: no two writes closer than half an interval, and the ten spanning nine intervals less the
  // jitter. Unshared pacing (each replica on its own) would start two writes at once and span half as long.
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
  expect(one[9]! - one[0]!).toBeGreaterThanOrEqual(9 * 100 - 50);
  // Installation 2 had its own budget: its five writes ran alongside installation 1's, not after them.
  const two = starts.filter((s) => s.installation === 2).map((s) => s.at);
  expect(Math.max(...two)).toBeLessThan(one[6]!);
  expect(a.pacer.writes(1) + b.pacer.writes(1)).toBe(10);
});

test("a delivery is claimed by one replica only; a failed job gives its claim back", async () => {
  const prefix = randomUUID();
  const [a, b] = [replica({ prefix }), replica({ prefix })];
  const claims = await Promise.all([a.shared.claimDelivery("d-1"), b.shared.claimDelivery("d-1"), a.shared.claimDelivery("d-1")]);
  expect(claims.filter(Boolean)).toHaveLength(1);
  await a.shared.forgetDelivery("d-1");
  expect(await b.shared.claimDelivery("d-1")).toBe(true);
});

test("one repository's jobs never overlap across replicas; other repositories run meanwhile", async () => {
  const prefix = randomUUID();
  const [a, b] = [replica({ prefix }), replica({ prefix })];
  let inside = 0;
  let most = 0;
  const events: string[] = [];
  const job = (label: string) => async () => {
    inside++;
    most = Math.max(most, inside);
    events.push(`start ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    events.push(`end ${label}`);
    inside--;
  };
  let otherRanWhileLocked = false;
  await Promise.all([
    a.shared.withRepoLock("org/repo", job("a1")),
    b.shared.withRepoLock("org/repo", job("b1")),
    a.shared.withRepoLock("org/repo", job("a2")),
    b.shared.withRepoLock("org/repo", job("b2")),
    (async () => {
      // Once one of org/repo's jobs holds its lock, another repository's job must still run at once.
      while (inside === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      await b.shared.withRepoLock("org/other", async () => {
        otherRanWhileLocked = inside > 0;
      });
    })(),
  ]);
  expect(most).toBe(1);
  expect(events).toHaveLength(8);
  expect(otherRanWhileLocked).toBe(true);
  // The lock is released: a later job gets it at once.
  await expect(a.shared.withRepoLock("org/repo", async () => "ran")).resolves.toBe("ran");
});

test("with Redis unreachable, writes are paced in-process, deliveries count as new and jobs run unlocked", async () => {
  const down = replica({ url: "redis://127.0.0.1:1", prefix: randomUUID(), writeIntervalMs: 20 });
  const starts: number[] = [];
  await Promise.all(Array.from({ length: 3 }, () => down.pacer.schedule(7, async () => void starts.push(performance.now()))));
  expect(starts).toHaveLength(3);
  // Jitter in when the first write starts does not add up; unpaced, the three would start together.
  expect(starts[2]! - starts[0]!).toBeGreaterThanOrEqual(2 * 20 - 15);
  expect(await down.shared.claimDelivery("d-2")).toBe(true);
  await expect(down.shared.withRepoLock("org/repo", async () => "ran")).resolves.toBe("ran");
});

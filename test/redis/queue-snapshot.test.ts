/**
 * What the status page shows of the shared queue (`DurableQueue.snapshot`, on a real redis-server): jobs
 * waiting across replicas, the one a worker runs, and that an unreachable Redis is an error at once, not a
 * wait.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { DurableQueue, type QueuedJob } from "../../src/runtime/redis/durable-queue.js";
import { RepoLock } from "../../src/runtime/redis/repo-lock.js";
import { startRedis, type TestRedis } from "../../sandbox/redis-server.js";
import { freePort } from "../../scripts/demo/app-process.js";
import { eventually } from "../helpers/eventually.js";

const log = { warn: () => undefined, info: () => undefined, error: () => undefined, debug: () => undefined };
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(() => redis.stop());

const job = (repo: string, name: string): QueuedJob => ({
  owner: "acme", repo, installationId: 1, deliveryKey: randomUUID(), name, call: { workflow: "release-published", input: { tag: "v1.0.0" } },
});

test("waiting jobs, then the one a worker runs, with their repository and name", async () => {
  const prefix = randomUUID();
  const connection = new Redis(redis.url);
  const queue = new DurableQueue({ url: redis.url, prefix, lock: new RepoLock({ redis: connection, prefix, log }), log });
  try {
    expect(await queue.add(job("engine", "release v1.0.0"), log)).toBe(true);
    expect(await queue.add(job("other", "pull closed #3"), log)).toBe(true);
    expect(await queue.snapshot()).toEqual({
      total: 2,
      jobs: expect.arrayContaining([
        { repo: "acme/engine", name: "release v1.0.0", state: "waiting", attempts: 0 },
        { repo: "acme/other", name: "pull closed #3", state: "waiting", attempts: 0 },
      ]),
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running: string[] = [];
    queue.start(async (data) => {
      running.push(data.name);
      if (data.repo === "engine") await gate;
    });
    await eventually(() => expect(running).toContain("release v1.0.0"));
    await eventually(() => expect(running).toContain("pull closed #3"));
    const snapshot = await queue.snapshot();
    expect(snapshot.jobs).toEqual([{ repo: "acme/engine", name: "release v1.0.0", state: "running", attempts: 0 }]);
    expect(snapshot.total).toBe(1);
    release();
    await queue.idle();
    expect(await queue.snapshot()).toEqual({ total: 0, jobs: [] });
  } finally {
    await queue.close();
    connection.disconnect();
  }
});

test("with Redis unreachable, the snapshot fails at once (the page then says so)", async () => {
  const url = `redis://127.0.0.1:${await freePort()}`;
  const connection = new Redis(url, { lazyConnect: true });
  const queue = new DurableQueue({ url, lock: new RepoLock({ redis: connection, log }), log });
  try {
    await expect(queue.snapshot()).rejects.toThrow();
  } finally {
    await queue.close();
    connection.disconnect();
  }
});

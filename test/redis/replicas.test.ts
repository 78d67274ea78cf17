/**
 * Two replicas of the real App (two runApp instances, REDIS_URL on a real redis-server, jobs in the shared
 * queue) in front of one sandbox, both given the same deliveries and, at the same time, different deliveries
 * about the same repository: the repository's jobs run one at a time across both, each delivery is acted on once,
 * nothing is created twice, and the installation's writes stay at least the write interval apart.
 */
import { randomUUID } from "node:crypto";
import { runApp, type RunningApp } from "../../sandbox/run-app.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { startRedis, type TestRedis } from "../../sandbox/redis-server.js";

const people = WASMTIME_PEOPLE;
const DAY = "2025-11-21";
const INTERVAL_MS = 100;
const TOKEN = "apps/create-installation-access-token";

let redis: TestRedis;
let sandbox: Sandbox;
let repo: RepoRecord;
let replicas: RunningApp[];

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await Sandbox.start({ now: () => new Date(`${DAY}T${new Date().toISOString().slice(11)}`) });
  ({ repo } = await sandbox.seedWasmtime({ through: DAY }));
  const prefix = randomUUID();
  replicas = await Promise.all([0, 1].map(() => runApp(sandbox, { today: DAY, writeIntervalMs: INTERVAL_MS, redisUrl: redis.url, redisPrefix: prefix, logLevel: "debug" })));
}, 300_000);
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await sandbox.stop();
  await redis.stop();
}, 300_000);

let fixes = 0;
async function mergedFix(): Promise<number> {
  const n = ++fixes;
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: `fix-replicas-${n}`, title: `Harden the loader (${n})`, files: { [`docs/security/replicas-${n}.md`]: `fix ${n}\n` },
    author: people.committer, labels: ["backport:current"],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

const idle = () => Promise.all(replicas.map((r) => r.idle()));
const backportPulls = (number: number) => [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`));
const summaries = (number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number && c.body.includes("lts-steward:summary"));
const logged = (msg: string) => replicas.flatMap((r, replica) => r.logs.filter((l) => l.msg === msg).map((l) => ({ ...l, replica })));

test("same deliveries to both replicas, and different ones at once: one job at a time for the repository, each delivery acted on once, nothing twice, writes paced", async () => {
  const mark = sandbox.log.mark();
  const [a, b, c] = [await mergedFix(), await mergedFix(), await mergedFix()];
  const [r0, r1] = replicas as [RunningApp, RunningApp];
  const closed = async (number: number) => r0.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
  const events = { a: await closed(a), b: await closed(b), c: await closed(c) };
  // a reaches both replicas (same delivery id, as GitHub retrying at another replica would); b and c one each.
  await Promise.all([
    r0.driver.send(events.a, { deliveryId: "delivery-a" }), r1.driver.send(events.a, { deliveryId: "delivery-a" }),
    r0.driver.send(events.b), r1.driver.send(events.c),
  ]);
  await idle();

  for (const number of [a, b, c]) {
    expect(backportPulls(number).map((p) => p.baseRef)).toEqual(["release-39.0.0"]);
    expect(summaries(number)).toHaveLength(1);
  }
  // a was dropped by exactly one replica.
  expect(logged("webhook already handled by another replica")).toHaveLength(1);

  // The repository's jobs, from both replicas, never overlapped.
  const spans = replicas.flatMap((r) => {
    const starts = r.logs.filter((l) => l.msg === "job started, holding the repository's lock").map((l) => l.at as number);
    const ends = r.logs.filter((l) => l.msg === "job finished, releasing the repository's lock").map((l) => l.at as number);
    return starts.map((start, i) => ({ start, end: ends[i]! }));
  }).sort((x, y) => x.start - y.start);
  expect(spans).toHaveLength(3);
  for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);

  // The installation's writes, from both replicas, kept to one per interval. The pacer spaces when writes
  // are sent; the sandbox sees when they arrive, and here both replicas and the sandbox share one event loop
  // (a git process started by the sandbox blocks it for 10-100 ms on a loaded machine), so one arrival can be
  // late and the next gap short by that much: single gaps say little. What must hold is the rate, and the
  // jitter does not add up: any ten consecutive writes span nine intervals, less one such delay. Two
  // unpaced replicas would write twice as fast: ten writes in about four and a half intervals.
  const writes = sandbox.log.since(mark).filter((call) => call.write && call.operationId !== TOKEN).map((call) => call.at - call.latencyMs).sort((x, y) => x - y);
  expect(writes.length).toBeGreaterThan(3 * 5);
  const tens = writes.slice(9).map((at, i) => at - writes[i]!);
  expect(Math.min(...tens)).toBeGreaterThanOrEqual(9 * INTERVAL_MS - 150);
  sandbox.assertNoViolations();
}, 900_000);

/**
 * Per-installation write pacing shared by every replica through Redis. Each installation has one key
 * holding the earliest time its next write may start; a Lua script (atomic in Redis) reserves the next
 * slot (`max(now, next)`) and moves the key on by the interval, so N replicas together start at most one
 * write per interval per installation, as one process would. Inside a process the installation's writes
 * still run one at a time (as the in-process pacer does). When Redis cannot be asked, the write is paced
 * by this process alone (the in-process pacer's rule) and still runs: a Redis outage slows nothing down and
 * loses nothing, it only stops sharing the budget until Redis is back.
 */
import type { Redis } from "ioredis";
import type { Log } from "../../log.js";
import { InProcessWritePacer, type WritePacer } from "../../github/pacer.js";
import { realSleep } from "../../github/retry.js";
import { LUA_NOW_MS, ready } from "./connection.js";

// KEYS[1]: the installation's next-slot key; ARGV[1]: interval in ms. Returns how long to wait (ms).
const RESERVE_SLOT = `${LUA_NOW_MS}
local interval = tonumber(ARGV[1])
local next = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, next)
redis.call('SET', KEYS[1], slot + interval, 'PX', interval * 2 + 60000)
return slot - now`;

export interface RedisWritePacerOptions {
  redis: Redis;
  intervalMs: number;
  /** Key prefix, so that several Apps (or tests) can share one Redis. */
  prefix?: string;
  log: Pick<Log, "warn">;
  sleep?: (ms: number) => Promise<void>;
}

export class RedisWritePacer implements WritePacer {
  private readonly tails = new Map<number, Promise<void>>();
  private readonly counts = new Map<number, number>();
  private readonly fallback: InProcessWritePacer;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RedisWritePacerOptions) {
    this.fallback = new InProcessWritePacer({ intervalMs: options.intervalMs });
    this.sleep = options.sleep ?? realSleep;
  }

  schedule<T>(installationId: number, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(installationId) ?? Promise.resolve();
    const run = previous.then(async () => {
      const wait = await this.reserve(installationId);
      this.counts.set(installationId, this.writes(installationId) + 1);
      if (wait === null) return this.fallback.schedule(installationId, fn);
      if (wait > 0) await this.sleep(wait);
      return fn();
    });
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(installationId, tail);
    void tail.then(() => {
      if (this.tails.get(installationId) === tail) this.tails.delete(installationId);
    });
    return run;
  }

  writes(installationId: number): number {
    return this.counts.get(installationId) ?? 0;
  }

  /** Milliseconds to wait for this installation's next slot, or null when Redis cannot be asked. */
  private async reserve(installationId: number): Promise<number | null> {
    if (this.options.intervalMs <= 0) return 0;
    try {
      await ready(this.options.redis);
      const key = `${this.options.prefix ?? "lts-steward"}:pace:${installationId}`;
      return Number(await this.options.redis.eval(RESERVE_SLOT, 1, key, String(this.options.intervalMs)));
    } catch (error) {
      this.options.log.warn({ err: { message: (error as Error).message }, installationId }, "shared write pacing unavailable: pacing in this process only");
      return null;
    }
  }
}

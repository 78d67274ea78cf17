/**
 * One job at a time per repository across replicas: a job holds the repository's lock in Redis while it
 * runs (SET NX PX with a random token, renewed while the job runs, released only by its holder). Inside a
 * process the job queue already runs a repository's jobs in order; the lock adds the other replicas. A
 * replica that dies mid-job leaves a lock that expires after `ttlMs`. When Redis cannot be asked for
 * `giveUpMs`, the job runs without the lock: replicas are correct without a coordinator (docs/STATE.md), the lock only spares
 * them from racing each other's writes.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Log } from "../../log.js";
import { realSleep } from "../../github/retry.js";
import { ready } from "./connection.js";

const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

export interface RepoLockOptions {
  redis: Redis;
  prefix?: string;
  log: Pick<Log, "warn">;
  /** How long a lock outlives a replica that stopped renewing it (default 20 s; renewed every third of it). */
  ttlMs?: number;
  /** How often a waiting replica asks again (default 50 ms). */
  pollMs?: number;
  /** How long Redis may keep failing before the job runs without the lock (default 10 s). */
  giveUpMs?: number;
}

export class RepoLock {
  private readonly ttlMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: RepoLockOptions) {
    this.ttlMs = options.ttlMs ?? 20_000;
    this.pollMs = options.pollMs ?? 50;
  }

  /** Runs `fn` while holding `key`'s lock (waiting for it as long as another replica holds it). */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const redisKey = this.redisKey(key);
    const token = randomUUID();
    const held = await this.acquire(redisKey, token);
    if (!held) return fn();
    return this.holding(redisKey, token, fn);
  }

  /**
   * Runs `fn` holding `key`'s lock if it is free now; `busy` (and `fn` not run) while another job holds it.
   * A Redis failure is thrown: the durable queue's worker cannot run without Redis anyway.
   */
  async tryWithLock<T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const redisKey = this.redisKey(key);
    const token = randomUUID();
    if ((await this.options.redis.set(redisKey, token, "PX", this.ttlMs, "NX")) !== "OK") return { ran: false };
    return { ran: true, value: await this.holding(redisKey, token, fn) };
  }

  private redisKey(key: string): string {
    return `${this.options.prefix ?? "lts-steward"}:lock:${key}`;
  }

  private async holding<T>(redisKey: string, token: string, fn: () => Promise<T>): Promise<T> {
    const renew = setInterval(() => {
      this.options.redis.eval(RENEW, 1, redisKey, token, String(this.ttlMs)).catch(() => undefined);
    }, Math.max(10, Math.min(5000, Math.floor(this.ttlMs / 3))));
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.options.redis.eval(RELEASE, 1, redisKey, token).catch(() => undefined);
    }
  }

  /**
   * True once the lock is ours; false when Redis has failed for `giveUpMs` in a row (the caller then runs
   * unlocked). One slow or failed command (a loaded machine) is not an outage: it is asked again.
   */
  private async acquire(redisKey: string, token: string): Promise<boolean> {
    let failingSince: number | null = null;
    for (;;) {
      try {
        await ready(this.options.redis);
        if ((await this.options.redis.set(redisKey, token, "PX", this.ttlMs, "NX")) === "OK") return true;
        failingSince = null;
      } catch (error) {
        failingSince ??= Date.now();
        if (Date.now() - failingSince >= (this.options.giveUpMs ?? 10_000)) {
          this.options.log.warn({ err: { message: (error as Error).message }, lock: redisKey }, "repository lock unavailable: running the job without it");
          return false;
        }
      }
      await realSleep(this.pollMs);
    }
  }
}

/**
 * Delivery de-duplication across replicas: the first replica to claim a delivery key (SET NX with a TTL)
 * acts on it; the others drop it. A job that fails gives its claim back, so a manual re-delivery is acted
 * on. When Redis cannot be asked, the delivery counts as new: the work runs, and GitHub-side idempotency
 * (docs/STATE.md) keeps a duplicate run from creating anything twice.
 */
import type { Redis } from "ioredis";
import type { Log } from "../../log.js";
import { ready } from "./connection.js";

/** GitHub redelivers within hours at most; a day covers manual re-deliveries of a failed run too. */
export const DELIVERY_TTL_MS = 24 * 60 * 60 * 1000;

export class SharedDeliveries {
  constructor(private readonly options: { redis: Redis; prefix?: string; ttlMs?: number; log: Pick<Log, "warn"> }) {}

  /** True when this replica is the first to claim `id` (or Redis cannot say). */
  async claim(id: string): Promise<boolean> {
    try {
      await ready(this.options.redis);
      const answer = await this.options.redis.set(this.key(id), String(process.pid), "PX", this.options.ttlMs ?? DELIVERY_TTL_MS, "NX");
      return answer === "OK";
    } catch (error) {
      this.options.log.warn({ err: { message: (error as Error).message }, delivery: id }, "shared de-duplication unavailable: acting on the delivery");
      return true;
    }
  }

  async forget(id: string): Promise<void> {
    try {
      await this.options.redis.del(this.key(id));
    } catch {
      // The claim expires on its own.
    }
  }

  private key(id: string): string {
    return `${this.options.prefix ?? "lts-steward"}:delivery:${id}`;
  }
}

/**
 * The App's Redis connection (REDIS_URL). Redis is an accelerator, never a dependency of correctness
 * (docs/deployment.md): commands fail fast while Redis is unreachable instead of queueing up, and every
 * caller has an in-process fallback. ioredis keeps reconnecting in the background; errors are logged once
 * per outage, not once per retry.
 */
import { Redis } from "ioredis";
import type { Log } from "../../log.js";

/** How long one Redis command may take before the caller falls back to working in-process. */
export const REDIS_COMMAND_TIMEOUT_MS = 5000;

export function connectRedis(url: string, log: Pick<Log, "warn" | "info">): Redis {
  const client = new Redis(url, {
    // Fail commands at once while disconnected: a webhook must never wait for Redis to come back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    lazyConnect: false,
  });
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: error.message } }, "Redis unreachable: pacing, de-duplication and repository locks fall back to this process until it is back");
  });
  client.on("ready", () => {
    if (down) log.info({}, "Redis reachable again");
    down = false;
  });
  return client;
}

/**
 * Resolves once the client can take commands; throws at once while Redis is known to be down (the caller
 * falls back), and after `waitMs` while a first connection is still being made (at start-up).
 */
export async function ready(client: Redis, waitMs = REDIS_COMMAND_TIMEOUT_MS): Promise<void> {
  if (client.status === "ready") return;
  if (client.status !== "wait" && client.status !== "connecting" && client.status !== "connect") throw new Error(`Redis is ${client.status}`);
  await new Promise<void>((resolve, reject) => {
    const settle = (error: Error | null) => {
      clearTimeout(timer);
      client.off("ready", onReady).off("reconnecting", onDown).off("end", onDown);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => settle(null);
    const onDown = () => settle(new Error("Redis is not reachable"));
    const timer = setTimeout(() => settle(new Error("Redis is not reachable yet")), waitMs);
    client.once("ready", onReady).once("reconnecting", onDown).once("end", onDown);
  });
}

/** Redis's own clock in milliseconds, so that replicas with skewed clocks agree. Used inside Lua scripts. */
export const LUA_NOW_MS = "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

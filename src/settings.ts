/**
 * The App's settings from the environment: Probot's variables keep Probot's names and meanings (APP_ID,
 * PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, LOG_FORMAT, …); ours are TICK_TIME, LTS_STEWARD_TODAY and
 * WRITE_INTERVAL_MS. A bad value is a `ConfigError` that names the variable. The server and the
 * `lts-steward tick` command read the App's key and GitHub's address the same way, through this file.
 */
import { DEFAULT_QUEUE_LIMITS } from "./runtime/job-queue.js";
import { createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { parseTickTime } from "./calendar/scheduler.js";
import { isIsoDate } from "./engine/dates.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./github/octokit-port.js";
import { writeIntervalFromEnv } from "./github/pacer.js";

export type Env = Record<string, string | undefined>;

/** A setting is missing or malformed: the message names the variable and what is expected. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
export const DEFAULT_TICK_TIME = "06:00";
const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** GitHub's REST API: https://api.github.com, or `GHE_PROTOCOL://GHE_HOST/api/v3`. */
  baseUrl: string;
  host: string;
  port: number;
  webhookPath: string;
  webhookProxyUrl: string | null;
  log: { level: LogLevel; format: "json" | "pretty"; levelInString: boolean; messageKey: string | undefined; sentryDsn: string | undefined };
  /** The daily tick's UTC time of day, or false (TICK_TIME=off). */
  tick: { time: string } | false;
  /** LTS_STEWARD_TODAY: the day the App believes it is, or null for the real UTC day. */
  today: string | null;
  writeIntervalMs: number;
  /** GITHUB_REQUEST_TIMEOUT_MS: how long one GitHub request may take (default 30 s). */
  requestTimeoutMs: number;
  /** REDIS_URL: replicas share pacing, de-duplication and repository locks through it; null runs in one process. */
  redisUrl: string | null;
  /** QUEUE_MAX_PER_REPOSITORY and QUEUE_MAX_TOTAL: waiting jobs kept before new ones are shed (src/runtime/job-queue.ts). */
  queue: { maxPerKey: number; maxTotal: number };
  /** QUEUE_CONCURRENCY: jobs (for different repositories) one replica's shared-queue worker runs at once, with REDIS_URL. */
  queueConcurrency: number;
  /** STATUS_TOKEN: the status page's token (src/status/); null: no status page. */
  statusToken: string | null;
  /** STATUS_JOBS_PER_REPOSITORY: finished jobs (and failures) the status page keeps per repository. */
  statusJobsPerRepository: number;
  /** LTS_STEWARD_MODE: `shadow` plans every repository's writes without making them; `active` lets each repository's `mode` decide. */
  mode: "active" | "shadow";
}

/** LTS_STEWARD_MODE: unset or empty is `active` (each repository's config decides). */
function readMode(env: Env): "active" | "shadow" {
  const raw = env.LTS_STEWARD_MODE?.trim().toLowerCase() ?? "";
  if (raw === "" || raw === "active") return "active";
  if (raw === "shadow") return "shadow";
  throw new ConfigError(`bad LTS_STEWARD_MODE "${env.LTS_STEWARD_MODE}": expected shadow (plan every repository's writes, make none) or active, or leave it unset`);
}

/** The shortest STATUS_TOKEN accepted: guessing it must be hopeless (`openssl rand -hex 32` gives 64). */
export const MIN_STATUS_TOKEN_LENGTH = 16;

/** STATUS_TOKEN: unset or empty turns the status page off. Its value is never repeated in a message. */
export function readStatusToken(env: Env): string | null {
  const raw = env.STATUS_TOKEN;
  if (raw === undefined || raw.trim() === "") return null;
  if (!/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError("bad STATUS_TOKEN: expected printable ASCII characters without spaces, e.g. from `openssl rand -hex 32`");
  if (raw.length < MIN_STATUS_TOKEN_LENGTH) throw new ConfigError(`bad STATUS_TOKEN: expected at least ${MIN_STATUS_TOKEN_LENGTH} characters, e.g. from \`openssl rand -hex 32\``);
  return raw;
}

/** REDIS_URL (the variable Probot uses): redis:// or rediss://, or unset for one process without Redis. */
export function readRedisUrl(env: Env): string | null {
  const raw = text(env.REDIS_URL);
  if (raw === undefined) return null;
  if (!/^rediss?:\/\/[^\s]+$/.test(raw)) throw new ConfigError(`bad REDIS_URL: expected redis://[user:password@]host:port[/db] or rediss://…, or leave it unset to run in one process`);
  return raw;
}

/** GITHUB_REQUEST_TIMEOUT_MS: a whole number of milliseconds from 1,000 to 600,000; 30,000 when unset. */
function readRequestTimeout(env: Record<string, string | undefined>): number {
  const raw = env.GITHUB_REQUEST_TIMEOUT_MS?.trim();
  if (!raw) return DEFAULT_REQUEST_TIMEOUT_MS;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1000 || value > 600_000) {
    throw new ConfigError(`bad GITHUB_REQUEST_TIMEOUT_MS "${raw}": expected milliseconds from 1000 to 600000`);
  }
  return value;
}

/** A whole number from `min` to `max`, or `fallback` when unset; anything else is refused, naming the variable. */
function readCount(env: Record<string, string | undefined>, name: string, options: { min: number; max: number; fallback: number }): number {
  const raw = env[name]?.trim();
  if (!raw) return options.fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < options.min || value > options.max) {
    throw new ConfigError(`bad ${name} "${raw}": expected a whole number from ${options.min} to ${options.max}`);
  }
  return value;
}

const text = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
};

/** The key as GitHub gives it (PEM), with `\n` escapes as some hosts store it, or base64-encoded PEM. */
function normalizeKey(raw: string): string {
  const key = raw.replace(/\\n/g, "\n").trim();
  if (key.includes("-----BEGIN")) return key;
  const decoded = Buffer.from(key, "base64").toString("utf8");
  return decoded.includes("-----BEGIN") ? decoded.trim() : key;
}

export function readPrivateKey(env: Env, cwd: string): string {
  let key: string;
  let source: string;
  const inline = text(env.PRIVATE_KEY);
  const path = text(env.PRIVATE_KEY_PATH);
  if (inline) {
    key = normalizeKey(inline);
    source = "PRIVATE_KEY";
  } else if (path) {
    source = `PRIVATE_KEY_PATH (${path})`;
    try {
      key = normalizeKey(readFileSync(resolve(cwd, path), "utf8"));
    } catch (error) {
      throw new ConfigError(`cannot read the App's private key from ${source}: ${(error as Error).message}`);
    }
  } else {
    throw new ConfigError("the App's private key is missing: set PRIVATE_KEY (the PEM text, or base64 of it) or PRIVATE_KEY_PATH (the .pem file GitHub gave)");
  }
  try {
    createPrivateKey(key);
  } catch {
    throw new ConfigError(`${source} is not a private key: expected the PEM file GitHub gave for the App ("-----BEGIN RSA PRIVATE KEY-----" …)`);
  }
  return key;
}

export function readBaseUrl(env: Env): string {
  const host = text(env.GHE_HOST);
  if (!host) return "https://api.github.com";
  const protocol = text(env.GHE_PROTOCOL) ?? "https";
  if (protocol !== "https" && protocol !== "http") throw new ConfigError(`bad GHE_PROTOCOL "${protocol}": expected https (or http)`);
  if (/[/\s]/.test(host)) throw new ConfigError(`bad GHE_HOST "${host}": expected a host name (and port), e.g. github.example.com, without a scheme or path`);
  return `${protocol}://${host}/api/v3`;
}

function readPort(env: Env): number {
  const raw = text(env.PORT);
  if (raw === undefined) return 3000;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ConfigError(`bad PORT "${raw}": expected a TCP port number (0 to 65535)`);
  return Number(raw);
}

/** TICK_TIME: UTC "HH:MM" (default 06:00), or `off` for no daily tick in this process. */
export function readTick(env: Env): { time: string } | false {
  const raw = text(env.TICK_TIME);
  if (raw === undefined) return { time: DEFAULT_TICK_TIME };
  if (raw.toLowerCase() === "off") return false;
  try {
    parseTickTime(raw);
  } catch (error) {
    throw new ConfigError(`TICK_TIME: ${(error as Error).message}, or off`);
  }
  return { time: raw };
}

/** LTS_STEWARD_TODAY: a real calendar day as YYYY-MM-DD, or unset. */
export function readToday(env: Env): string | null {
  const raw = text(env.LTS_STEWARD_TODAY);
  if (raw === undefined) return null;
  if (!isIsoDate(raw)) throw new ConfigError(`bad LTS_STEWARD_TODAY "${raw}": expected a calendar day as YYYY-MM-DD (e.g. 2025-11-21), or leave it unset for today's UTC date`);
  return raw;
}

function readLog(env: Env): ServerConfig["log"] {
  const level = (text(env.LOG_LEVEL) ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(`bad LOG_LEVEL "${level}": expected one of ${LOG_LEVELS.join(", ")}`);
  const rawFormat = text(env.LOG_FORMAT)?.toLowerCase();
  if (rawFormat !== undefined && rawFormat !== "json" && rawFormat !== "pretty") throw new ConfigError(`bad LOG_FORMAT "${rawFormat}": expected json or pretty`);
  // Probot's rule: JSON in production (NODE_ENV=production) unless LOG_FORMAT says otherwise.
  const format = rawFormat ?? (env.NODE_ENV === "production" ? "json" : "pretty");
  return { level: level as LogLevel, format, levelInString: env.LOG_LEVEL_IN_STRING === "true", messageKey: text(env.LOG_MESSAGE_KEY), sentryDsn: text(env.SENTRY_DSN) };
}

/** Every setting the server needs, checked; the first problem is thrown as a `ConfigError`. */
export function readConfig(env: Env, options: { cwd?: string } = {}): ServerConfig {
  const cwd = options.cwd ?? process.cwd();
  const rawId = text(env.APP_ID);
  if (!rawId) throw new ConfigError("APP_ID is missing: set it to the GitHub App's numeric id (its settings page shows it)");
  if (!/^\d+$/.test(rawId) || Number(rawId) <= 0) throw new ConfigError(`bad APP_ID "${rawId}": expected the App's numeric id`);
  const webhookSecret = env.WEBHOOK_SECRET;
  if (!webhookSecret) throw new ConfigError("WEBHOOK_SECRET is missing: set it to the webhook secret of the App's settings, so that forged webhooks are refused");
  const webhookPath = text(env.WEBHOOK_PATH) ?? DEFAULT_WEBHOOK_PATH;
  if (!webhookPath.startsWith("/")) throw new ConfigError(`bad WEBHOOK_PATH "${webhookPath}": expected a path starting with /`);
  let writeIntervalMs: number;
  try {
    writeIntervalMs = writeIntervalFromEnv(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    appId: Number(rawId),
    privateKey: readPrivateKey(env, cwd),
    webhookSecret,
    baseUrl: readBaseUrl(env),
    host: text(env.HOST) ?? "localhost",
    port: readPort(env),
    webhookPath,
    webhookProxyUrl: text(env.WEBHOOK_PROXY_URL) ?? null,
    log: readLog(env),
    tick: readTick(env),
    today: readToday(env),
    writeIntervalMs,
    requestTimeoutMs: readRequestTimeout(env),
    queue: {
      maxPerKey: readCount(env, "QUEUE_MAX_PER_REPOSITORY", { min: 1, max: 100_000, fallback: DEFAULT_QUEUE_LIMITS.maxPerKey }),
      maxTotal: readCount(env, "QUEUE_MAX_TOTAL", { min: 1, max: 1_000_000, fallback: DEFAULT_QUEUE_LIMITS.maxTotal }),
    },
    queueConcurrency: readCount(env, "QUEUE_CONCURRENCY", { min: 1, max: 1000, fallback: 8 }),
    redisUrl: readRedisUrl(env),
    statusToken: readStatusToken(env),
    statusJobsPerRepository: readCount(env, "STATUS_JOBS_PER_REPOSITORY", { min: 1, max: 1000, fallback: 50 }),
    mode: readMode(env),
  };
}

/**
 * True when the App is not registered yet (no APP_ID) outside production: `npm start` then serves Probot's
 * setup page, which registers the App from `app.yml` and writes its credentials to `.env`.
 */
export function needsSetup(env: Env): boolean {
  return text(env.APP_ID) === undefined && env.NODE_ENV !== "production";
}

/**
 * Reads `.env` (as Probot's setup writes it) into `env`; variables already set in the environment win. A
 * missing file is fine.
 */
export function loadDotEnv(file: string, env: Env): void {
  if (!existsSync(file)) return;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) {
    if (env[name] === undefined) env[name] = value;
  }
}

/** The version in package.json (`unknown` if it cannot be read). */
export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

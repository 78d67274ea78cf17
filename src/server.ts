/**
 * The App's HTTP server: Probot's webhook middleware (signature checked, events to `createApp`'s handlers)
 * with our Octokit, plus `GET /health` for load balancers and container health checks. Everything is read
 * from an environment object given to `startServer` (never from `process.env` directly), so tests start it
 * in-process against the sandbox. The settings come from src/settings.ts; a bad value stops the start with
 * a `ConfigError` that names the variable. A POST to the webhook path is read and checked by
 * src/webhook-intake.ts first (25 MB per body, enforced while reading; 32 MB held at once; bad JSON is 400),
 * so no request, signed or not, can make the server hold more than that.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, type Logger, type Options } from "probot";
import { createApp, type AppDeps } from "./app.js";
import { toIsoDay } from "./engine/dates.js";
import { AppOctokit } from "./github/app-octokit.js";
import { WritePacer } from "./github/pacer.js";
import type { RetryPolicy } from "./github/retry.js";
import { JobQueue } from "./runtime/job-queue.js";
import { createRedisCoordination } from "./runtime/redis/coordination.js";
import { appVersion, ConfigError, readConfig, type Env, type ServerConfig } from "./settings.js";
import { BodyBudget, DEFAULT_INTAKE_LIMITS, refuse, takeWebhook, type IntakeLimits } from "./webhook-intake.js";
import { DEFAULT_RETRY } from "./github/retry.js";
import { EmbargoFilter } from "./runtime/embargo.js";
import { forEachInstalledRepository } from "./runtime/fan-out.js";
import { JobHistory } from "./runtime/job-history.js";
import { ShadowLedger } from "./runtime/shadow.js";
import { createStatusHandler, isStatusPath, type StatusHandler } from "./status/routes.js";
import { StatusSources } from "./status/sources.js";

export interface HealthReport {
  status: "ok" | "stopping";
  version: string;
  uptimeSeconds: number;
  /** The day the App believes it is (LTS_STEWARD_TODAY, or the UTC date). */
  today: string;
  queue: { pending: number; completed: number; failed: number };
}

export interface StartServerOptions {
  env: Env;
  /** Where PRIVATE_KEY_PATH is resolved (default: the process's directory). */
  cwd?: string;
  /** A logger to use instead of the one built from LOG_LEVEL and LOG_FORMAT (tests capture lines with it). */
  log?: Logger;
  /** Retries of GitHub calls (default: the App's policy). */
  retry?: RetryPolicy;
  /** The clock for `today` when LTS_STEWARD_TODAY is unset, and for uptime. */
  now?: () => Date;
  /** How long `stop()` waits for queued jobs before giving up on them (default 8 s). */
  drainTimeoutMs?: number;
  /** Webhook body limits (default: 25 MB a request, 32 MB held at once). */
  intake?: IntakeLimits;
  /** Handles for a test: run the daily tick for a day now, as the scheduler would (AppDeps.onReady). */
  onReady?: AppDeps["onReady"];
}

/** A whole request (headers and body) must arrive within this; GitHub itself gives up on a delivery after 10 s. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface RunningServer {
  /** http://host:port, with the port actually bound (PORT=0 picks a free one). */
  url: string;
  webhookUrl: string;
  config: ServerConfig;
  queue: JobQueue;
  log: Logger;
  /** With STATUS_TOKEN: the finished jobs the status page shows. */
  history: JobHistory | null;
  /** Stops taking requests (health answers 503 meanwhile), waits for queued jobs, closes the server. */
  stop(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(json) });
  res.end(head ? undefined : json);
}

const pathOf = (req: IncomingMessage): string => (req.url ?? "/").split("?")[0] ?? "/";

/** Starts the App; resolves once it listens. Throws `ConfigError` for a bad setting. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const config = readConfig(options.env, { cwd: options.cwd });
  const now = options.now ?? (() => new Date());
  const startedAt = now().getTime();
  const version = appVersion();

  // Without a logger given, Probot builds its own from these options (pino; JSON lines or pretty text).
  const logOptions: Options = options.log
    ? { log: options.log }
    : {
        // Probot's type omits "silent", which pino (and Probot's logger) accepts.
        logLevel: config.log.level as Options["logLevel"], logFormat: config.log.format, logLevelInString: config.log.levelInString,
        logMessageKey: config.log.messageKey, sentryDsn: config.log.sentryDsn,
      };
  const probot = new Probot({ appId: config.appId, privateKey: config.privateKey, secret: config.webhookSecret, baseUrl: config.baseUrl, Octokit: AppOctokit, ...logOptions });

  // Probot builds its logger while it initializes; the queue logs through it once it exists.
  // Shedding is a warning (a full queue), failures are errors.
  const queue = new JobQueue({ error: (obj, msg) => probot.log.error(obj, msg), warn: (obj, msg) => probot.log.warn(obj, msg) }, config.queue);
  // With REDIS_URL, replicas share pacing, de-duplication and repository locks (src/runtime/redis/). Probot is
  // not given REDIS_URL: Probot 14 would load ioredis through npx at run time only to cluster Octokit's
  // throttling, which our own pacer already does per installation.
  const redis = config.redisUrl
    ? createRedisCoordination({
        url: config.redisUrl, writeIntervalMs: config.writeIntervalMs, queue: { concurrency: config.queueConcurrency },
        log: { warn: (obj, msg) => probot.log.warn(obj, msg), info: (obj, msg) => probot.log.info(obj, msg), error: (obj, msg) => probot.log.error(obj, msg), debug: (obj, msg) => probot.log.debug(obj, msg) },
      })
    : null;
  const fixedToday = config.today;
  const today = fixedToday === null ? () => toIsoDay(now()) : () => fixedToday;
  const pacer = redis?.pacer ?? new WritePacer({ intervalMs: config.writeIntervalMs });
  const shadow = new ShadowLedger();
  // Jobs are recorded only for the status page: without STATUS_TOKEN nothing is kept.
  const history = config.statusToken ? new JobHistory(new EmbargoFilter(), { perRepo: config.statusJobsPerRepository }) : null;
  const deps: AppDeps = {
    today,
    queue,
    pacer,
    shadow,
    mode: config.mode,
    ...(history ? { history } : {}),
    ...(redis ? { shared: redis.shared } : {}),
    ...(redis?.durable ? { durable: redis.durable } : {}),
    tick: config.tick,
    requestTimeoutMs: config.requestTimeoutMs,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onReady ? { onReady: options.onReady } : {}),
  };
  const webhooks = await createNodeMiddleware(createApp(deps), { probot, webhooksPath: config.webhookPath });
  const log = probot.log.child({ component: "server" });
  let status: StatusHandler | null = null;
  if (config.statusToken && history) {
    const sources = new StatusSources({
      forEachInstalled: (visit) => forEachInstalledRepository(probot, visit), retry: options.retry ?? DEFAULT_RETRY, pacer, requestTimeoutMs: config.requestTimeoutMs,
    });
    history.onRecord((record) => sources.forget(record.repo));
    status = createStatusHandler({
      token: config.statusToken, log: probot.log.child({ component: "status" }),
      deps: { history, shadow, queue, durable: redis?.durable ?? null, sources, today, version, now, mode: config.mode },
    });
  }

  let stopping = false;
  const health = (): HealthReport => ({
    status: stopping ? "stopping" : "ok",
    version,
    uptimeSeconds: Math.floor((now().getTime() - startedAt) / 1000),
    today: today(),
    queue: queue.stats,
  });

  const limits = options.intake ?? DEFAULT_INTAKE_LIMITS;
  const budget = new BodyBudget(limits.bufferedBytes);
  const notFound = (req: IncomingMessage, res: ServerResponse) => {
    // A body nobody reads is not read to its end: the connection closes after the answer.
    if (!res.headersSent) res.writeHead(404, { "content-type": "application/json", ...(req.complete ? {} : { connection: "close" }) }).end(JSON.stringify({ error: "not found" }));
  };
  const receiveWebhook = async (req: IncomingMessage, res: ServerResponse) => {
    const verdict = await takeWebhook({ req, secret: config.webhookSecret, limits, budget });
    if (verdict === null) return;
    if (!verdict.ok) {
      log.warn({ status: verdict.status, contentLength: req.headers["content-length"] ?? null, delivery: req.headers["x-github-delivery"] ?? null }, `webhook refused: ${verdict.error}`);
      refuse(req, res, verdict.status, verdict.error, { close: verdict.close, ...(verdict.retryAfter !== undefined ? { retryAfter: verdict.retryAfter } : {}) });
      return;
    }
    // Probot's payload reader takes a string body as is instead of reading the (consumed) stream.
    (req as IncomingMessage & { body?: string }).body = verdict.payload;
    await webhooks(req, res, () => notFound(req, res));
  };

  const server: HttpServer = createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    const path = pathOf(req);
    if (path === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      const report = health();
      sendJson(res, report.status === "ok" ? 200 : 503, report, req.method === "HEAD");
      return;
    }
    if (isStatusPath(path) && (req.method === "GET" || req.method === "HEAD")) {
      if (!status) return notFound(req, res);
      status(req, res).catch((error: unknown) => {
        log.error({ err: error }, "status page failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (path === "/ping" && req.method === "GET") {
      // Probot's own liveness route, kept for setups that already probe it.
      res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
      return;
    }
    // Every POST, whatever its path: Probot's middleware normalises paths (trailing slashes, dot segments), so
    // the bound must not depend on matching them the same way.
    if (req.method === "POST") {
      receiveWebhook(req, res).catch((error: unknown) => {
        log.error({ err: error }, "webhook intake failed");
        if (!res.headersSent) refuse(req, res, 500, "internal error", { close: true });
      });
      return;
    }
    void webhooks(req, res, () => notFound(req, res));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new ConfigError(`PORT ${config.port} is already in use on ${config.host}: set PORT to a free port`) : error),
    );
    server.listen(config.port, config.host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  const webhookUrl = `${url}${config.webhookPath}`;

  log.info(
    {
      version, url, webhookPath: config.webhookPath, githubApi: config.baseUrl,
      tick: config.tick ? `${config.tick.time} UTC` : "off", today: config.today ?? "UTC date", writeIntervalMs: config.writeIntervalMs,
      redis: config.redisUrl ? `shared queue (${config.queueConcurrency} jobs at once), pacing, de-duplication and repository locks` : "off (one process)",
      statusPage: status ? "/status (STATUS_TOKEN set)" : "off (no STATUS_TOKEN)",
      mode: config.mode === "shadow" ? "shadow: every repository's writes are planned, none made (LTS_STEWARD_MODE)" : "active (each repository's mode decides)",
    },
    `lts-steward ${version} listening on ${url}`,
  );
  if (config.webhookProxyUrl) {
    log.warn(
      { webhookProxyUrl: config.webhookProxyUrl },
      `WEBHOOK_PROXY_URL is set: this server does not start a webhook proxy; for local development run \`npx smee-client --url ${config.webhookProxyUrl} --target ${webhookUrl}\``,
    );
  }

  const drainTimeoutMs = options.drainTimeoutMs ?? 8000;
  let stopped: Promise<void> | null = null;
  return {
    url, webhookUrl, config, queue, log, history,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        server.closeIdleConnections();
        const drainStarted = Date.now();
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          queue.idle().then(() => true),
          new Promise<boolean>((resolveTimeout) => {
            timer = setTimeout(() => resolveTimeout(false), drainTimeoutMs);
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
        if (!drained) log.warn({ queue: queue.stats }, "stopping with jobs still queued; the next delivery or daily tick picks the work up again");
        server.closeAllConnections();
        await closed;
        // The shared queue's running jobs get the rest of the drain time; past it they are left to another
        // replica (or this one restarted), which takes them over once their lock lapses.
        await redis?.close({ graceMs: Math.max(0, drainTimeoutMs - (Date.now() - drainStarted)) });
        log.info({ queue: queue.stats }, "lts-steward stopped");
      })();
      return stopped;
    },
  };
}

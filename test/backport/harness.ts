/**
 * The real App (Probot + createApp) listening on a local port, the sandbox as GitHub with the Wasmtime-like
 * history, and helpers to deliver signed webhooks and wait until the App's queue has finished the work.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createNodeMiddleware, Probot } from "probot";
import { AppOctokit } from "../../src/github/app-octokit.js";
import { createApp } from "../../src/app.js";
import { WritePacer } from "../../src/github/pacer.js";
import { JobQueue } from "../../src/queue/job-queue.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import type { WebhookDriver } from "../../sandbox/webhooks/driver.js";
import type { WebhookEvent } from "../../sandbox/webhooks/payloads.js";
import { git } from "../sandbox/git-cli.js";

export interface Harness {
  sandbox: Sandbox;
  repo: RepoRecord;
  driver: WebhookDriver;
  queue: JobQueue;
  pacer: WritePacer;
  logs: Record<string, unknown>[];
  today: { value: string };
  /** Delivers one signed webhook, then waits for the jobs it started. */
  deliver(event: WebhookEvent, options?: { deliveryId?: string }): Promise<number>;
  stop(): Promise<void>;
}

export async function startHarness(options: { through: string; today?: string }): Promise<Harness> {
  const sandbox = await Sandbox.start();
  const { repo } = await sandbox.seedWasmtime({ through: options.through });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  const log = pino(sink);
  const probot = new Probot({
    appId, privateKey, secret: webhookSecret, baseUrl, log,
    Octokit: AppOctokit,
  });
  const queue = new JobQueue(log);
  const pacer = new WritePacer({ intervalMs: 0 });
  const today = { value: options.today ?? options.through };
  const appFn = createApp({ today: () => today.value, queue, pacer, retry: { retries: 8, baseDelayMs: 1, maxDelayMs: 5 } });
  const middleware = await createNodeMiddleware(appFn, { probot });
  const server: Server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const driver = sandbox.webhooks(`http://127.0.0.1:${port}/api/github/webhooks`);
  return {
    sandbox, repo, driver, queue, pacer, logs, today,
    async deliver(event, deliverOptions = {}) {
      const record = await driver.send(event, deliverOptions);
      await queue.idle();
      return record.status;
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.stop();
    },
  };
}

/** The tree `git cherry-pick -x <shas>` gives on `branch`, computed with the real git CLI in a scratch clone. */
export function cherryPickTree(options: { gitDir: string; branch: string; shas: string[]; mainline?: boolean }): string | "conflict" {
  const work = git(options.gitDir, ["rev-parse", "--absolute-git-dir"]);
  const scratch = `${work}-pick-${Math.random().toString(36).slice(2)}`;
  git(".", ["clone", "-q", "--no-checkout", work, scratch]);
  git(scratch, ["checkout", "-q", "-B", "pick", `origin/${options.branch}`]);
  try {
    git(scratch, ["cherry-pick", "-x", ...(options.mainline ? ["-m", "1"] : []), ...options.shas]);
  } catch {
    return "conflict";
  }
  return git(scratch, ["rev-parse", "HEAD^{tree}"]);
}

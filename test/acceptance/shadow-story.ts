/**
 * One sandbox story, run by the real App (Probot + createApp on a loopback port): a security backport, a
 * `/backport` command, the cut day's tick, a release. Run once with the repository in `mode: shadow` and once
 * in `mode: active`, so the shadow App's plans can be compared with the active App's writes.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createNodeMiddleware, Probot } from "probot";
import { createApp, type AppDeps } from "../../src/app.js";
import { AppOctokit } from "../../src/github/app-octokit.js";
import { WritePacer } from "../../src/github/pacer.js";
import { JobQueue } from "../../src/runtime/job-queue.js";
import { ShadowLedger } from "../../src/runtime/shadow.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import type { WebhookDriver } from "../../sandbox/webhooks/driver.js";

const people = WASMTIME_PEOPLE;

export interface StoryApp {
  sandbox: Sandbox;
  repo: RepoRecord;
  ledger: ShadowLedger;
  queue: JobQueue;
  driver: WebhookDriver;
  today: { value: string };
  tick(day: string): Promise<void>;
  deliver(event: Parameters<WebhookDriver["send"]>[0]): Promise<void>;
  setMode(mode: "active" | "shadow"): Promise<void>;
  stop(): Promise<void>;
}

// Reconcile looks back 30 days, so the tick after the switch to active still sees the story's merged PRs.
const config = (mode: string) => `preset: wasmtime\nmode: ${mode}\nautomation:\n  reconcileDays: 30\n`;

export async function startStoryApp(options: { mode: "active" | "shadow"; through: string; deployment?: "active" | "shadow" }): Promise<StoryApp> {
  const today = { value: options.through };
  const sandbox = await Sandbox.start({ now: () => new Date(`${today.value}T${new Date().toISOString().slice(11)}`) });
  const { repo } = await sandbox.seedWasmtime({ through: options.through });
  const setMode = async (mode: string) => {
    await sandbox.scenario.commit({ repo, branch: repo.defaultBranch, message: `lts-steward: mode ${mode}\n`, files: { ".github/lts-steward.yml": config(mode) }, author: people.maintainer });
  };
  await setMode(options.mode);
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  const probot = new Probot({ appId, privateKey, secret: webhookSecret, baseUrl, log: pino(sink), Octokit: AppOctokit });
  const queue = new JobQueue(pino(sink));
  const ledger = new ShadowLedger();
  let tickNow: ((day: string) => Promise<number>) | undefined;
  // No start-up recovery (where the App has it): the story's writes are the only ones.
  const deps: AppDeps & { recovery?: boolean } = {
    today: () => today.value, queue, pacer: new WritePacer({ intervalMs: 0 }), retry: { retries: 8, baseDelayMs: 1, maxDelayMs: 5 },
    recovery: false, shadow: ledger, mode: options.deployment ?? "active", onReady: (handles) => (tickNow = handles.tick),
  };
  const appFn = createApp(deps);
  const middleware = await createNodeMiddleware(appFn, { probot });
  const server: Server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const driver = sandbox.webhooks(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`);
  return {
    sandbox, repo, ledger, queue, driver, today, setMode,
    async tick(day) {
      today.value = day;
      await tickNow!(day);
      await queue.idle();
    },
    async deliver(event) {
      const record = await driver.send(event);
      if (record.status !== 200) throw new Error(`webhook answered ${record.status}`);
      await queue.idle();
    },
    async stop() {
      await queue.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.stop();
    },
  };
}

/** The story: returns the numbers of the two source PRs. */
export async function playStory(app: StoryApp): Promise<{ security: number; command: number }> {
  const { sandbox, repo, driver } = app;
  app.today.value = "2025-12-02";
  const security = await sandbox.scenario.proposeFix({ repo, branch: "fix-security", title: "Fix a sandbox escape", files: { "docs/escape.md": "fixed\n" }, author: people.committer, labels: ["backport:security"] });
  await sandbox.scenario.merge({ repo, number: security.issue.number, by: people.maintainer });
  await app.deliver(await driver.pullRequest({ repo, number: security.issue.number, action: "closed", sender: people.maintainer }));

  app.today.value = "2025-12-03";
  const command = await sandbox.scenario.proposeFix({ repo, branch: "fix-command", title: "Fix a crash on empty input", files: { "docs/crash.md": "fixed\n" }, author: people.committer });
  await sandbox.scenario.merge({ repo, number: command.issue.number, by: people.maintainer });
  const comment = sandbox.scenario.comment({ repo, number: command.issue.number, body: "/backport lts", author: people.maintainer });
  await app.deliver(driver.issueComment({ repo, comment }));

  await app.tick("2025-12-05");

  app.today.value = "2025-12-20";
  const head = await sandbox.store.git(repo).readRef("refs/heads/release-40.0.0");
  await sandbox.scenario.release({ repo, tag: "v40.0.0", target: head ? "release-40.0.0" : repo.defaultBranch, by: people.maintainer });
  await app.deliver(driver.release({ repo, tag: "v40.0.0" }));
  return { security: security.issue.number, command: command.issue.number };
}

/**
 * A local GitHub for end-to-end tests, the demo and the benchmarks: an HTTP server answering the REST
 * operations the App uses (checked against GitHub's OpenAPI description), real bare git repositories
 * underneath, and the App's credentials to talk to it as GitHub Enterprise (`baseUrl` = `apiUrl`).
 *
 *   const sandbox = await Sandbox.start();
 *   const { repo } = await sandbox.seedWasmtime({ through: "2025-12-10" });
 *   ...
 *   sandbox.assertNoViolations();
 *   await sandbox.stop();
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { CallLog } from "./http/call-log.js";
import type { Faults } from "./http/faults.js";
import { SandboxServer } from "./http/server.js";
import { HANDLERS } from "./routes/index.js";
import { Scenario } from "./scenario.js";
import { seedRepository, seedWasmtime, type SeedRepositoryInput, type SeededRepository, type WasmtimeSeedInput } from "./seed/seed-sandbox.js";
import { Store, type StoreOptions } from "./state/store.js";
import { WebhookDriver } from "./webhooks/driver.js";
import { WebhookOutbox, type OutboxOptions } from "./webhooks/outbox.js";

export interface SandboxOptions {
  /** Where bare repositories live; a fresh temporary directory (removed on stop) when absent. */
  root?: string;
  /** The sandbox clock for timestamps it records (default: the real clock). */
  now?: () => Date;
  /** Check our own 2xx answers against GitHub's response schemas (default true). */
  checkResponses?: boolean;
  port?: number;
  host?: string;
  app?: StoreOptions["app"];
}

export interface AppCredentials {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** The REST base URL, as for GitHub Enterprise (`…/api/v3`). */
  baseUrl: string;
}

export class Sandbox {
  /** What people do on GitHub (push, open and merge PRs, label, comment, release, report advisories). */
  readonly scenario: Scenario;
  private outbox: WebhookOutbox | null = null;

  private constructor(
    readonly store: Store,
    readonly server: SandboxServer,
    private readonly ownsRoot: boolean,
  ) {
    this.scenario = new Scenario(store);
  }

  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const root = options.root ?? (await mkdtemp(join(tmpdir(), "lts-steward-sandbox-")));
    const store = new Store({ root, ...(options.now ? { now: options.now } : {}), ...(options.app ? { app: options.app } : {}) });
    const server = new SandboxServer({ store, handlers: HANDLERS, checkResponses: options.checkResponses ?? true });
    await server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
    return new Sandbox(store, server, options.root === undefined);
  }

  get url(): string {
    return this.server.url;
  }

  get apiUrl(): string {
    return this.server.apiUrl;
  }

  get log(): CallLog {
    return this.server.log;
  }

  get faults(): Faults {
    return this.server.faults;
  }

  get credentials(): AppCredentials {
    const { id, privateKey, webhookSecret } = this.store.app;
    return { appId: id, privateKey, webhookSecret, baseUrl: this.apiUrl };
  }

  assertNoViolations(): void {
    this.server.assertNoViolations();
  }

  /**
   * Kills every App instance running now, as far as GitHub can tell: each installation access token issued
   * so far is revoked, and a request carrying one has its connection dropped without anything being applied
   * (`revoked-token` in the call log). Tokens issued afterwards work, so a freshly started App instance (which
   * asks for new tokens) carries on. Returns how many tokens were revoked. The `apply-then-kill` fault does the
   * same right after applying a write.
   */
  revokeInstallationTokens(): number {
    return this.store.revokeInstallationTokens();
  }

  seedRepository(input: SeedRepositoryInput): Promise<SeededRepository> {
    return seedRepository(this.store, input);
  }

  seedWasmtime(input: WasmtimeSeedInput): ReturnType<typeof seedWasmtime> {
    return seedWasmtime(this.store, input);
  }

  /**
   * From now on, the sandbox sends the App at `url` (its Probot webhook path) the webhooks GitHub would for what
   * REST calls change: PRs opened, labelled, merged or closed, comments, pushes, releases, advisories published.
   * Each is built when the call is applied and delivered after its answer, in order, retried while the App
   * cannot be reached (see webhooks/outbox.ts). What the scenario does sends nothing: use `webhooks(url)` for it.
   * A second call replaces the first outbox.
   */
  deliverTo(url: string, options: Omit<OutboxOptions, "store" | "origin" | "url"> = {}): WebhookOutbox {
    this.outbox?.close();
    const outbox = new WebhookOutbox({ store: this.store, origin: this.url, url, ...options });
    this.outbox = outbox;
    this.server.onChanges = (changes) => outbox.capture(changes);
    return outbox;
  }

  /** A webhook driver delivering to the App listening at `url` (its Probot webhook path). */
  webhooks(url: string, options: { secret?: string } = {}): WebhookDriver {
    return new WebhookDriver({ store: this.store, origin: this.url, url, ...options });
  }

  /** A REST client acting as a person (with a personal token), or as the App's installation on `owner`. */
  async client({ login, installationOf }: { login?: string; installationOf?: string } = {}): Promise<Octokit> {
    // Failed requests are the point of many tests; the caller sees them as errors, not as log lines.
    const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    if (login) return new Octokit({ auth: this.store.userToken(login), baseUrl: this.apiUrl, log });
    const installation = this.store.installationFor(installationOf ?? "sandbox-org");
    return new Octokit({ auth: this.store.issueToken(installation.id).token, baseUrl: this.apiUrl, log });
  }

  async stop(): Promise<void> {
    this.outbox?.close();
    this.server.onChanges = null;
    await this.server.close();
    if (this.ownsRoot) await rm(this.store.root, { recursive: true, force: true });
  }
}

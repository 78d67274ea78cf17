/**
 * End-to-end harness: the sandbox with the Wasmtime-like history, the real App running against it
 * (sandbox/run-app.ts), and a way to deliver a webhook and wait for the work it started.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSummary } from "../../src/backport/render.js";
import type { TargetRow } from "../../src/backport/types.js";
import { runApp, type RunningApp } from "../../sandbox/run-app.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import type { BareRepo } from "../../sandbox/git/bare-repo.js";
import type { CommentRecord, PullRecord, RepoRecord } from "../../sandbox/state/types.js";
import type { WebhookEvent } from "../../sandbox/webhooks/payloads.js";
import { git } from "../sandbox/git-cli.js";

/** End-to-end tests clone and cherry-pick with the real git CLI to check trees: give them room. */
export const SLOW = 120_000;

export interface Harness extends Omit<RunningApp, "stop"> {
  sandbox: Sandbox;
  repo: RepoRecord;
  git(): BareRepo;
  gitDir(): string;
  /** The App's comments on an issue or PR. */
  botComments(number: number): CommentRecord[];
  /** The backport PRs of a source PR, found by their branch names. */
  backportPulls(number: number): PullRecord[];
  /** The rows of the source PR's summary comment. */
  summaryRows(number: number): TargetRow[];
  /** Delivers one signed webhook, then waits for the jobs it started; returns the HTTP status. */
  deliver(event: WebhookEvent, options?: { deliveryId?: string }): Promise<number>;
  stop(): Promise<void>;
}

export async function startHarness(options: { through: string; today?: string }): Promise<Harness> {
  // The sandbox's clock follows the App's day (at the real time of day, so timestamps still increase):
  // what people do in a test happens on the day the App believes it is.
  let day = { value: options.today ?? options.through };
  const sandbox = await Sandbox.start({ now: () => new Date(`${day.value}T${new Date().toISOString().slice(11)}`) });
  const { repo } = await sandbox.seedWasmtime({ through: options.through });
  const app = await runApp(sandbox, { today: day.value });
  day = app.today;
  const botComments = (number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number && c.user.login.endsWith("[bot]"));
  return {
    ...app, sandbox, repo, botComments,
    git: () => sandbox.store.git(repo),
    gitDir: () => sandbox.store.gitDirFor({ owner: repo.owner.login, name: repo.name }),
    backportPulls: (number) => [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`)),
    summaryRows: (number) => readSummary(botComments(number).find((c) => c.body.includes("lts-steward:summary"))?.body ?? null)?.rows ?? [],
    async deliver(event, deliverOptions = {}) {
      const record = await app.driver.send(event, deliverOptions);
      await app.queue.idle();
      return record.status;
    },
    async stop() {
      await app.stop();
      await sandbox.stop();
    },
  };
}

/** The tree `git cherry-pick -x <shas>` gives on `branch`, computed with the real git CLI in a scratch clone. */
export function cherryPickTree(options: { gitDir: string; branch: string; shas: string[]; mainline?: boolean }): string | "conflict" {
  const dir = mkdtempSync(join(tmpdir(), "lts-steward-pick-"));
  const scratch = join(dir, "work");
  try {
    git(tmpdir(), ["clone", "-q", "--no-checkout", options.gitDir, scratch]);
    git(scratch, ["checkout", "-q", "-B", "pick", `origin/${options.branch}`]);
    try {
      git(scratch, ["cherry-pick", "-x", ...(options.mainline ? ["-m", "1"] : []), ...options.shas]);
    } catch {
      return "conflict";
    }
    return git(scratch, ["rev-parse", "HEAD^{tree}"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

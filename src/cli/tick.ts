/**
 * `lts-steward tick --repo owner/name [--on YYYY-MM-DD] [--dry-run] [--base-url URL]`: the App's daily tick
 * for one repository and day, started by hand or by an external cron, with the App's credentials
 * (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH; GHE_HOST and GHE_PROTOCOL as for Probot). A dry run reads
 * GitHub and prints the plan; it writes nothing (the installation token aside).
 * Exit codes: 0 nothing failed, 1 an action failed (or GitHub could not be reached), 2 bad usage, credentials or config.
 */
import { pino } from "pino";
import { Probot } from "probot";
import { runTick } from "../calendar/tick.js";
import type { TickOutcome, TickReport } from "../calendar/types.js";
import { formatProblems } from "../config/load.js";
import type { IsoDate } from "../engine/types.js";
import { AppOctokit } from "../github/app-octokit.js";
import { describeGitHubError, type GitHubError } from "../github/errors.js";
import { toGitHubError } from "../github/octokit-errors.js";
import { createOctokitPort } from "../github/octokit-port.js";
import { botLoginOf } from "../runtime/identity.js";
import { toPolicy } from "../config/policy.js";
import { WritePacer, writeIntervalFromEnv } from "../github/pacer.js";
import { ConfigError, readBaseUrl, readPrivateKey as readAppKey } from "../settings.js";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "../github/retry.js";
import { configReader, type InstallationOctokit } from "../runtime/fan-out.js";
import { CONFIG_FILE, loadRepoConfig } from "../runtime/repo-config.js";
import { CliError } from "./errors.js";

export type CliEnv = Record<string, string | undefined>;

export interface TickCommandInput {
  /** Positional arguments after `tick` (none are accepted). */
  args: string[];
  repo?: string | undefined;
  on: IsoDate;
  dryRun: boolean;
  baseUrl?: string | undefined;
  env: CliEnv;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface AppCredentials {
  appId: number;
  privateKey: string;
  baseUrl: string;
}

const REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/;

export function parseRepo(value: string | undefined): { owner: string; repo: string } {
  if (value === undefined || value === "") throw new CliError("tick needs --repo owner/name: the repository to tick");
  const match = REPO.exec(value);
  if (!match) throw new CliError(`bad --repo "${value}": expected owner/name, e.g. bytecodealliance/wasmtime`);
  return { owner: match[1]!, repo: match[2]! };
}

/** The App's key, read as the server reads it (src/settings.ts); problems become CLI usage errors. */
function readPrivateKey(env: CliEnv, cwd: string): string {
  try {
    return readAppKey(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

function baseUrlOf(option: string | undefined, env: CliEnv): string {
  if (option === undefined) {
    try {
      return readBaseUrl(env);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(option);
  } catch {
    throw new CliError(`bad --base-url: "${option}" is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new CliError(`bad --base-url: "${option}" is not an http(s) URL`);
  return option.replace(/\/+$/, "");
}

/** The App's credentials from the environment, as Probot reads them. */
export function credentialsFromEnv(env: CliEnv, options: { baseUrl?: string | undefined; cwd: string }): AppCredentials {
  const rawId = env.APP_ID?.trim();
  if (!rawId) throw new CliError("tick needs the App's credentials: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)");
  if (!/^\d+$/.test(rawId) || Number(rawId) <= 0) throw new CliError(`bad APP_ID "${rawId}": expected the App's numeric id`);
  return { appId: Number(rawId), privateKey: readPrivateKey(env, options.cwd), baseUrl: baseUrlOf(options.baseUrl, env) };
}

const describe = (error: GitHubError) => `${error.status ?? "no answer"}: ${error.message}`;

/** The installation of the App on the repository, as a client with the config plugin. */
async function installationClient(probot: Probot, credentials: AppCredentials, target: { owner: string; repo: string }, retry: RetryPolicy) {
  const name = `${target.owner}/${target.repo}`;
  const appOctokit = await probot.auth();
  let installationId: number;
  try {
    installationId = await withRetry(
      async () => (await appOctokit.request("GET /repos/{owner}/{repo}/installation", target)).data.id,
      { policy: retry, operation: "GET /repos/{owner}/{repo}/installation" },
    );
  } catch (caught) {
    const error = toGitHubError(caught, "GET /repos/{owner}/{repo}/installation");
    if (error.status === 401) throw new CliError(`GitHub at ${credentials.baseUrl} refused the App's credentials (APP_ID ${credentials.appId}): ${error.message}`);
    if (error.status === 404) throw new CliError(`the App (APP_ID ${credentials.appId}) is not installed on ${name}, or ${name} does not exist at ${credentials.baseUrl}`);
    if (error.code === "forbidden") throw new CliError(`GitHub at ${credentials.baseUrl} refused to show the App's installation on ${name}: ${describe(error)}`);
    throw new TickFailure(`could not reach GitHub at ${credentials.baseUrl}: ${describeGitHubError(error)}`);
  }
  const octokit = (await probot.auth(installationId)) as unknown as InstallationOctokit;
  return { installationId, octokit };
}

/** GitHub could not be asked (after retries): exit 1, not a usage problem. */
class TickFailure extends Error {}

const pad = (rows: string[][]) => {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join("  "));
};

/** One line per action: `planned  cut       create branch release-40.0.0 from main (cut day 2025-12-05)`. */
export function formatTickReport(name: string, report: TickReport): string[] {
  const head = `${name} on ${report.on}${report.dryRun ? " (dry run: nothing written)" : ""}:`;
  if (report.outcomes.length === 0) return [head, "nothing to do"];
  const row = (o: TickOutcome) => [o.status, o.job, o.status === "failed" && o.error ? `${o.description}: ${o.error}` : o.description];
  return [head, ...pad(report.outcomes.map(row))];
}

export async function tickCommand(input: TickCommandInput): Promise<number> {
  if (input.args.length > 0) throw new CliError(`tick takes no arguments (got "${input.args.join(" ")}"); name the repository with --repo owner/name`);
  const target = parseRepo(input.repo);
  const name = `${target.owner}/${target.repo}`;
  const credentials = credentialsFromEnv(input.env, { baseUrl: input.baseUrl, cwd: input.cwd });
  const retry = DEFAULT_RETRY;
  let intervalMs: number;
  try {
    intervalMs = writeIntervalFromEnv(input.env);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const warn = (_obj: object, msg: string) => input.stderr(`lts-steward: warning: ${msg}`);
  const log = { info: () => {}, debug: () => {}, warn };
  // Probot logs nothing here: the report is the output.
  const probot = new Probot({ appId: credentials.appId, privateKey: credentials.privateKey, baseUrl: credentials.baseUrl, Octokit: AppOctokit, log: pino({ level: "silent" }) });
  try {
    const { installationId, octokit } = await installationClient(probot, credentials, target, retry);
    const config = await loadRepoConfig(configReader(octokit, target.owner, target.repo), retry);
    if (config.status === "missing") throw new CliError(`${name} has no .github/${CONFIG_FILE}: lts-steward does not manage it`);
    if (config.status === "invalid") throw new CliError(`${name}'s .github/${CONFIG_FILE} is invalid:\n${formatProblems(config.problems)}`);
    const app = await probot.auth();
    const { data: self } = await app.request("GET /app");
    const port = createOctokitPort({
      octokit, owner: target.owner, repo: target.repo, installationId, retry, log, botLogin: botLoginOf(self?.slug ?? ""),
      pacer: new WritePacer({ intervalMs }),
    });
    const defaultBranch = await port.getDefaultBranch();
    const report = await runTick({ port, config: config.config, policy: toPolicy(config.config), today: input.on, defaultBranch, dryRun: input.dryRun, log });
    input.stdout(formatTickReport(name, report).join("\n"));
    return report.outcomes.some((o) => o.status === "failed") ? 1 : 0;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = error instanceof TickFailure ? error.message : describeFailure(error);
    input.stderr(`lts-steward: tick of ${name} on ${input.on} failed: ${message}`);
    return 1;
  }
}

function describeFailure(error: unknown): string {
  const shaped = error as { status?: unknown } | null;
  if (typeof shaped?.status === "number" || (error instanceof Error && error.name === "GitHubError")) return describeGitHubError(toGitHubError(error, "GitHub request"));
  return (error as Error)?.message ?? String(error);
}

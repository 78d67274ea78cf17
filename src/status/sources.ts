/**
 * What the status page reads from GitHub: the repositories the App is installed on, and for each its config
 * and release history, from which the engine computes the schedule on the day the page is asked for. Reads
 * only, through the same port, retries and timeouts as jobs. Cached so that a page left open, or a script
 * polling it, costs GitHub little: the list of repositories for a minute, a repository's history for five
 * (a failed read for thirty seconds), and a repository's cache is dropped as soon as one of its jobs
 * finishes, since a job may have cut a branch or seen a release.
 */
import type { OctokitLike } from "../github/octokit-port.js";
import { createOctokitPort } from "../github/octokit-port.js";
import type { WritePacer } from "../github/pacer.js";
import type { RetryPolicy } from "../github/retry.js";
import type { ConfigProblem } from "../config/load.js";
import type { Policy, ReleaseHistory } from "../engine/types.js";
import { describeGitHubError, isGitHubError } from "../github/errors.js";
import type { InstalledRepository } from "../runtime/fan-out.js";
import { loadRepoConfig } from "../runtime/repo-config.js";
import type { AppMode } from "../runtime/shadow.js";
import { withPolicy } from "../workflows/job-config.js";
import { readReleaseHistory } from "../workflows/release-state.js";

export type RepoSchedule =
  | { status: "ok"; policy: Policy; history: ReleaseHistory; mode: AppMode }
  | { status: "missing" }
  | { status: "invalid"; problems: ConfigProblem[] }
  | { status: "unavailable"; reason: string };

export interface InstalledList {
  /** `owner/repo` → the repository, with its installation's client. */
  repositories: Map<string, InstalledRepository>;
  /** Why some installations could not be listed, if any could not. */
  error: string | null;
}

export interface StatusSourcesOptions {
  /** Visits every installed repository (src/runtime/fan-out.ts's `forEachInstalledRepository`, bound to the App). */
  forEachInstalled: (visit: (repo: InstalledRepository) => void) => Promise<void>;
  retry: RetryPolicy;
  pacer: WritePacer;
  requestTimeoutMs?: number;
  now?: () => number;
  /** Cache lifetimes in milliseconds. */
  ttl?: { installed?: number; schedule?: number; failed?: number };
}

interface Cached<T> {
  at: number;
  ttl: number;
  value: Promise<T>;
}

const describe = (error: unknown): string => (isGitHubError(error) ? describeGitHubError(error) : (error as Error).message.split("\n", 1)[0] ?? "failed");

/** `owner/repo` in lower case: GitHub's names are case-insensitive. */
export const repoKey = (name: string): string => name.toLowerCase();

export class StatusSources {
  private installedCache: Cached<InstalledList> | null = null;
  private readonly schedules = new Map<string, Cached<RepoSchedule>>();
  private readonly now: () => number;
  private readonly ttl: { installed: number; schedule: number; failed: number };

  constructor(private readonly options: StatusSourcesOptions) {
    this.now = options.now ?? Date.now;
    this.ttl = { installed: 60_000, schedule: 300_000, failed: 30_000, ...options.ttl };
  }

  private fresh<T>(entry: Cached<T> | null | undefined): entry is Cached<T> {
    return entry !== null && entry !== undefined && this.now() - entry.at < entry.ttl;
  }

  /** The installed repositories, by lower-case `owner/repo`. Never rejects. */
  installed(): Promise<InstalledList> {
    if (this.fresh(this.installedCache)) return this.installedCache.value;
    const entry: Cached<InstalledList> = { at: this.now(), ttl: this.ttl.installed, value: Promise.resolve({ repositories: new Map(), error: null }) };
    entry.value = (async () => {
      const repositories = new Map<string, InstalledRepository>();
      try {
        await this.options.forEachInstalled((repo) => void repositories.set(repoKey(`${repo.owner}/${repo.repo}`), repo));
        return { repositories, error: null };
      } catch (error) {
        entry.ttl = this.ttl.failed;
        return { repositories, error: `some installations could not be listed: ${describe(error)}` };
      }
    })();
    this.installedCache = entry;
    return entry.value;
  }

  /** The repository's config and release history (cached), or null when the App is not installed on it. Never rejects. */
  async schedule(name: string): Promise<RepoSchedule | null> {
    const key = repoKey(name);
    const cached = this.schedules.get(key);
    if (this.fresh(cached)) return cached.value;
    const repository = (await this.installed()).repositories.get(key);
    if (!repository) return null;
    const entry: Cached<RepoSchedule> = { at: this.now(), ttl: this.ttl.schedule, value: Promise.resolve({ status: "missing" }) };
    entry.value = this.load(repository).then((schedule) => {
      if (schedule.status === "unavailable") entry.ttl = this.ttl.failed;
      return schedule;
    });
    this.schedules.set(key, entry);
    return entry.value;
  }

  /** Drops a repository's cached schedule (one of its jobs finished). */
  forget(name: string): void {
    this.schedules.delete(repoKey(name));
  }

  private async load(repository: InstalledRepository): Promise<RepoSchedule> {
    try {
      const config = withPolicy(await loadRepoConfig(repository.readConfig, this.options.retry));
      if (config.status !== "ok") return config;
      const port = createOctokitPort({
        octokit: repository.octokit as OctokitLike, owner: repository.owner, repo: repository.repo, installationId: repository.installationId,
        botLogin: "", pacer: this.options.pacer, retry: this.options.retry, ...(this.options.requestTimeoutMs ? { timeoutMs: this.options.requestTimeoutMs } : {}),
      });
      const history = await readReleaseHistory(port, config.policy);
      return { status: "ok", policy: config.policy, history, mode: config.config.mode };
    } catch (error) {
      return { status: "unavailable", reason: `GitHub could not be read: ${describe(error)}` };
    }
  }
}

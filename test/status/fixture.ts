/**
 * The status page's dependencies for unit tests: the real history, shadow ledger, queue and sources, with
 * one installed repository whose config and release history come from a stateful stand-in for its
 * installation's client (the two routes the schedule reads, and the config file), counting its calls.
 */
import { WritePacer } from "../../src/github/pacer.js";
import type { OctokitResponseLike } from "../../src/github/octokit-port.js";
import { EmbargoFilter } from "../../src/runtime/embargo.js";
import type { InstalledRepository, InstallationOctokit } from "../../src/runtime/fan-out.js";
import { JobHistory, type NewJobRecord } from "../../src/runtime/job-history.js";
import { JobQueue } from "../../src/runtime/job-queue.js";
import { ShadowLedger } from "../../src/runtime/shadow.js";
import { StatusSources } from "../../src/status/sources.js";
import type { StatusDeps } from "../../src/status/view.js";

export const TODAY = "2025-11-21";
export const REPO = "acme/engine";

/** Wasmtime-like: 24 and 36 (LTS), 38 and 39 released, 40 cut later. */
const RELEASES = [
  ["v24.0.0", "2024-08-20"], ["v36.0.0", "2025-08-20"], ["v37.0.0", "2025-09-20"], ["v38.0.0", "2025-10-20"], ["v39.0.0", "2025-11-20"],
] as const;
const BRANCHES = ["release-24.0.0", "release-36.0.0", "release-37.0.0", "release-38.0.0", "release-39.0.0"];

export interface Fixture {
  deps: StatusDeps & { history: JobHistory; shadow: ShadowLedger; queue: JobQueue; sources: StatusSources };
  /** GitHub reads made so far, by route. */
  reads: string[];
  /** What the next reads of the repository's config answer (a YAML mapping, null: no file, an Error: thrown). */
  config: { value: Record<string, unknown> | null | Error };
  record(job: Partial<NewJobRecord>): void;
}

export function statusFixture(options: { installed?: boolean } = {}): Fixture {
  const reads: string[] = [];
  const config: Fixture["config"] = { value: { preset: "wasmtime" } };
  const octokit = {
    async request(route: string): Promise<OctokitResponseLike> {
      reads.push(route);
      if (route.includes("/releases")) {
        return { status: 200, headers: {}, data: RELEASES.map(([tag, day]) => ({ tag_name: tag, published_at: `${day}T12:00:00Z`, created_at: `${day}T12:00:00Z`, draft: false, prerelease: false })) };
      }
      if (route.includes("/git/matching-refs/")) return { status: 200, headers: {}, data: BRANCHES.map((b) => ({ ref: `refs/heads/${b}` })) };
      throw new Error(`not in this stand-in: ${route}`);
    },
    async paginate(): Promise<unknown[]> {
      return [];
    },
  } as InstallationOctokit;
  const repository: InstalledRepository = {
    owner: "acme", repo: "engine", defaultBranch: "main", installationId: 7, octokit,
    readConfig: async () => {
      reads.push("config");
      if (config.value instanceof Error) throw config.value;
      return config.value;
    },
  };
  const history = new JobHistory(new EmbargoFilter());
  const sources = new StatusSources({
    forEachInstalled: async (visit) => {
      reads.push("installations");
      if (options.installed !== false) visit(repository);
    },
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    pacer: new WritePacer({ intervalMs: 0 }),
  });
  history.onRecord((r) => sources.forget(r.repo));
  const deps = {
    history, shadow: new ShadowLedger(), queue: new JobQueue({ error: () => undefined }), sources, today: () => TODAY, version: "9.9.9",
    now: () => new Date("2025-11-21T10:00:00Z"),
  };
  return {
    deps, reads, config,
    record: (job) => history.record({
      repo: REPO, name: "pull closed #12", workflow: "pull-closed", startedAt: "2025-11-21T09:00:00.000Z", finishedAt: "2025-11-21T09:00:02.000Z",
      durationMs: 2000, status: "succeeded", mode: "active", outcomes: [], error: null, ...job,
    }),
  };
}

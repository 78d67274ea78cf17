/**
 * What the status page shows, as data: the same objects are sent as JSON and rendered as HTML
 * (src/status/render.ts). The index lists every repository the App knows (installed, or with recorded jobs,
 * shadow plans or queued work) with its last job; a repository's page has its schedule (the engine's lines,
 * chart bars, next events, and the Markdown table and Mermaid chart the schedule issue holds), its queue,
 * its last jobs with their outcomes, its failures and its shadow-mode plans.
 *
 * The whole view passes the embargo filter once more before it leaves (queue names, shadow plans and config
 * problems are not recorded through the job history): an advisory id the App has not seen published never
 * appears.
 */
import { chartLines } from "../calendar/schedule-issue.js";
import type { ConfigProblem } from "../config/load.js";
import { computeLines } from "../engine/lines.js";
import { ganttBars, renderGantt, type GanttBar } from "../engine/render/mermaid.js";
import { toReleaseCycles, type ReleaseCycle } from "../engine/render/json.js";
import { renderTable } from "../engine/render/table.js";
import { projectSchedule, scheduleLines, type Schedule } from "../engine/schedule.js";
import type { IsoDate } from "../engine/types.js";
import type { FailureRecord, JobHistory, JobRecord } from "../runtime/job-history.js";
import type { JobQueue } from "../runtime/job-queue.js";
import type { DurableQueue, SharedJobSnapshot } from "../runtime/redis/durable-queue.js";
import type { AppMode, ShadowLedger, ShadowPlan } from "../runtime/shadow.js";
import { repoKey, type StatusSources } from "./sources.js";

export interface StatusDeps {
  history: JobHistory;
  shadow: ShadowLedger;
  queue: JobQueue;
  /** With REDIS_URL: the shared queue, across replicas. */
  durable?: Pick<DurableQueue, "snapshot"> | null;
  sources: StatusSources;
  today: () => IsoDate;
  version: string;
  /** LTS_STEWARD_MODE of the deployment, when it shadows every repository. */
  mode?: AppMode;
  now?: () => Date;
}

/** Shadow plans shown per repository, newest first: all the ledger keeps (500), so a trial day's every planned write is listed. */
export const MAX_SHADOW_PLANS = 500;
const MAX_WAITING = 50;

export interface QueuedJob {
  repository: string;
  name: string;
}

export type SharedQueueView = { total: number; jobs: SharedJobSnapshot[] } | { error: string } | null;

export interface QueueView {
  pending: number;
  completed: number;
  failed: number;
  running: QueuedJob[];
  /** The first waiting jobs of each repository, at most 50 in all. */
  waiting: QueuedJob[];
  /** With REDIS_URL: the shared queue across replicas (null without). */
  shared: SharedQueueView;
}

export interface RepositorySummary {
  repository: string;
  /** The page's address: `/status/owner/repo` (add `.json` for JSON). */
  path: string;
  installed: boolean;
  lastJob: JobRecord | null;
  failures: number;
  lastFailure: FailureRecord | null;
  shadowPlans: number;
  queue: { running: string | null; waiting: number };
}

export interface StatusIndex {
  generatedAt: string;
  version: string;
  today: IsoDate;
  queue: QueueView;
  repositories: RepositorySummary[];
  /** Why the list of installed repositories is incomplete, if it is. */
  installationsError: string | null;
}

export type ScheduleView =
  | {
      status: "ok";
      on: IsoDate;
      /** The repository's `mode` (`shadow`: plans only), or the deployment's. */
      mode: AppMode;
      /** Live lines and the next projected one, newest first (as `lts-steward schedule --format json`). */
      lines: ReleaseCycle[];
      /** The chart's bars: the lines drawn, from release to end of support. */
      chart: GanttBar[];
      next: Schedule;
      /** The schedule issue's table and chart, as Markdown and Mermaid. */
      markdown: string;
      mermaid: string;
    }
  | { status: "missing"; reason: string }
  | { status: "invalid"; reason: string; problems: ConfigProblem[] }
  | { status: "unavailable"; reason: string }
  | { status: "not-installed"; reason: string };

export interface RepositoryStatus {
  generatedAt: string;
  version: string;
  today: IsoDate;
  repository: string;
  installed: boolean;
  schedule: ScheduleView;
  queue: { running: string | null; waiting: string[]; shared: SharedQueueView };
  /** Newest first. */
  jobs: JobRecord[];
  failures: FailureRecord[];
  shadowPlans: ShadowPlan[];
}

export const repositoryPath = (repository: string): string => `/status/${repository.split("/").map(encodeURIComponent).join("/")}`;

/** A queue job's name without the `owner/repo: ` its lane's key puts in front. */
const jobName = (key: string, name: string) => (name.startsWith(`${key}: `) ? name.slice(key.length + 2) : name);

async function sharedQueue(deps: StatusDeps): Promise<SharedQueueView> {
  if (!deps.durable) return null;
  try {
    return await deps.durable.snapshot();
  } catch (error) {
    return { error: `the shared queue cannot be read: ${(error as Error).message.split("\n", 1)[0]}` };
  }
}

function queueView(deps: StatusDeps, shared: SharedQueueView): QueueView {
  const lanes = deps.queue.snapshot();
  const running = lanes.flatMap((l) => (l.running ? [{ repository: l.key, name: jobName(l.key, l.running) }] : []));
  const waiting = lanes.flatMap((l) => l.waiting.map((name) => ({ repository: l.key, name: jobName(l.key, name) }))).slice(0, MAX_WAITING);
  return { ...deps.queue.stats, running, waiting, shared };
}

/** Every repository the App knows of, by lower-case name → the name as GitHub spells it. */
async function knownRepositories(deps: StatusDeps): Promise<{ names: Map<string, string>; installed: Set<string>; error: string | null }> {
  const list = await deps.sources.installed();
  const names = new Map<string, string>();
  for (const [key, repo] of list.repositories) names.set(key, `${repo.owner}/${repo.repo}`);
  const others = [...deps.history.repositories(), ...deps.shadow.repositories(), ...deps.queue.snapshot().map((l) => l.key).filter((k) => k.includes("/") && !k.startsWith("app:"))];
  for (const name of others) if (!names.has(repoKey(name))) names.set(repoKey(name), name);
  return { names, installed: new Set(list.repositories.keys()), error: list.error };
}

export async function statusIndex(deps: StatusDeps): Promise<StatusIndex> {
  const now = deps.now?.() ?? new Date();
  const [known, shared] = await Promise.all([knownRepositories(deps), sharedQueue(deps)]);
  const lanes = new Map(deps.queue.snapshot(Number.MAX_SAFE_INTEGER).map((l) => [repoKey(l.key), l]));
  const repositories = [...known.names.values()].sort((a, b) => a.localeCompare(b)).map((repository): RepositorySummary => {
    const failures = deps.history.failures(repository);
    const lane = lanes.get(repoKey(repository));
    return {
      repository, path: repositoryPath(repository), installed: known.installed.has(repoKey(repository)),
      lastJob: deps.history.jobs(repository)[0] ?? null, failures: failures.length, lastFailure: failures[0] ?? null,
      shadowPlans: deps.shadow.plans(repository).length,
      queue: { running: lane?.running ? jobName(lane.key, lane.running) : null, waiting: lane?.waiting.length ?? 0 },
    };
  });
  return deps.history.embargo.redactAll({
    generatedAt: now.toISOString(), version: deps.version, today: deps.today(), queue: queueView(deps, shared), repositories, installationsError: known.error,
  });
}

async function scheduleView(deps: StatusDeps, repository: string, installed: boolean): Promise<ScheduleView> {
  if (!installed) return { status: "not-installed", reason: "the App is not installed on this repository (or it could not be listed)" };
  const loaded = await deps.sources.schedule(repository);
  if (loaded === null) return { status: "not-installed", reason: "the App is not installed on this repository" };
  switch (loaded.status) {
    case "missing":
      return { status: "missing", reason: "this repository has no .github/lts-steward.yml" };
    case "invalid":
      return { status: "invalid", reason: ".github/lts-steward.yml has problems", problems: loaded.problems };
    case "unavailable":
      return loaded;
    case "ok": {
      const on = deps.today();
      const lines = computeLines(loaded.policy, loaded.history, on);
      const drawn = chartLines(lines, on);
      return {
        status: "ok", on, mode: deps.mode === "shadow" ? "shadow" : loaded.mode,
        lines: toReleaseCycles(scheduleLines(lines)), chart: ganttBars(drawn), next: projectSchedule(lines, on),
        markdown: renderTable(scheduleLines(lines)), mermaid: renderGantt(drawn, { on, title: "Support schedule" }),
      };
    }
  }
}

/** A repository's page, or null when the App knows nothing of it. */
export async function repositoryStatus(deps: StatusDeps, name: string): Promise<RepositoryStatus | null> {
  const now = deps.now?.() ?? new Date();
  const known = await knownRepositories(deps);
  const repository = known.names.get(repoKey(name));
  if (!repository) return null;
  const installed = known.installed.has(repoKey(repository));
  const [schedule, shared] = await Promise.all([scheduleView(deps, repository, installed), sharedQueue(deps)]);
  const lane = deps.queue.snapshot(MAX_WAITING).find((l) => repoKey(l.key) === repoKey(repository));
  const sharedHere: SharedQueueView = shared && "jobs" in shared ? { total: shared.total, jobs: shared.jobs.filter((j) => repoKey(j.repo) === repoKey(repository)) } : shared;
  return deps.history.embargo.redactAll({
    generatedAt: now.toISOString(), version: deps.version, today: deps.today(), repository, installed, schedule,
    queue: { running: lane?.running ? jobName(lane.key, lane.running) : null, waiting: (lane?.waiting ?? []).map((n) => jobName(lane!.key, n)), shared: sharedHere },
    jobs: deps.history.jobs(repository), failures: deps.history.failures(repository),
    shadowPlans: deps.shadow.plans(repository).reverse().slice(0, MAX_SHADOW_PLANS),
  });
}

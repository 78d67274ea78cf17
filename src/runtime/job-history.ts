/**
 * The jobs this process finished, per repository, for the status page: the last `perRepo` jobs with their
 * outcomes, and the last `perRepo` failures (a failed job, or a failed target in a job that went on) kept
 * apart so that a busy repository's successes do not push its failures out. Bounded in repositories too:
 * the least recently active one is forgotten first. In memory only: a restart starts empty, and each
 * replica shows the jobs it ran.
 *
 * This is the recording point for the embargo: every text is filtered (src/runtime/embargo.ts) before it
 * is kept, so nothing about an unpublished advisory is ever held here.
 */
import { EmbargoFilter } from "./embargo.js";
import type { JobOutcome } from "./journal.js";

export type JobStatus = "succeeded" | "failed" | "skipped";

export interface JobRecord {
  /** Increasing within the process. */
  id: number;
  /** `owner/repo`. */
  repo: string;
  /** The job's name: `pull closed #12`, `daily tick 2025-12-05`. */
  name: string;
  /** The workflow it ran (src/runtime/workflow-registry.ts). */
  workflow: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** `skipped`: the repository has no usable config; `failed`: the job threw (its error is `error`). */
  status: JobStatus;
  /** `shadow`: its writes were planned, not made (src/runtime/shadow.ts). */
  mode: "active" | "shadow";
  outcomes: JobOutcome[];
  error: string | null;
}

export interface FailureRecord {
  at: string;
  repo: string;
  /** The job's name. */
  job: string;
  jobId: number;
  /** The failed target (`backport #12 → release-36.0.0`), or the job itself. */
  subject: string;
  reason: string;
}

interface RepoHistory {
  jobs: JobRecord[];
  failures: FailureRecord[];
}

export interface JobHistoryLimits {
  /** Jobs, and failures, kept per repository (default 50). */
  perRepo: number;
  /** Repositories kept (default 500). */
  repos: number;
}

export const DEFAULT_HISTORY_LIMITS: JobHistoryLimits = { perRepo: 50, repos: 500 };

export type NewJobRecord = Omit<JobRecord, "id">;

/** Outcomes kept per job (a tick that reconciles many PRs notes one per target of each). */
export const MAX_OUTCOMES = 100;
/** Characters kept of an outcome's subject or detail. */
const MAX_TEXT = 500;

const clip = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

export class JobHistory {
  private readonly byRepo = new Map<string, RepoHistory>();
  private readonly listeners: ((record: JobRecord) => void)[] = [];
  private nextId = 1;
  private readonly limits: JobHistoryLimits;

  constructor(
    readonly embargo: EmbargoFilter = new EmbargoFilter(),
    limits: Partial<JobHistoryLimits> = {},
  ) {
    this.limits = { ...DEFAULT_HISTORY_LIMITS, ...limits };
  }

  /** Keeps a finished job, its text filtered for the embargo first. Returns what was kept. */
  record(job: NewJobRecord): JobRecord {
    const filtered = this.embargo.redactAll(job);
    const outcomes = filtered.outcomes.map((o) => ({ ...o, subject: clip(o.subject), detail: clip(o.detail) }));
    const record: JobRecord = {
      ...filtered,
      id: this.nextId++,
      // A job's failures are all kept (below, bounded apart); its outcomes up to MAX_OUTCOMES, then a count.
      outcomes: outcomes.length <= MAX_OUTCOMES
        ? outcomes
        : [...outcomes.slice(0, MAX_OUTCOMES), { subject: filtered.name, status: "unchanged", detail: `… and ${outcomes.length - MAX_OUTCOMES} more outcome(s) not kept` }],
    };
    let history = this.byRepo.get(record.repo);
    if (history) this.byRepo.delete(record.repo);
    history ??= { jobs: [], failures: [] };
    this.byRepo.set(record.repo, history);
    if (this.byRepo.size > this.limits.repos) this.byRepo.delete(this.byRepo.keys().next().value!);
    push(history.jobs, record, this.limits.perRepo);
    const failures: FailureRecord[] = [
      ...(record.status === "failed" ? [{ subject: record.name, reason: record.error ?? "failed" }] : []),
      ...outcomes.filter((o) => o.status === "failed").map((o) => ({ subject: o.subject, reason: o.detail })),
    ].map((f) => ({ ...f, at: record.finishedAt, repo: record.repo, job: record.name, jobId: record.id }));
    for (const failure of failures) push(history.failures, failure, this.limits.perRepo);
    for (const listener of this.listeners) listener(record);
    return record;
  }

  /** Called after each recorded job (the status page drops its cached schedule of that repository). */
  onRecord(listener: (record: JobRecord) => void): void {
    this.listeners.push(listener);
  }

  /** Newest first. */
  jobs(repo: string): JobRecord[] {
    return [...(this.byRepo.get(repo)?.jobs ?? [])].reverse();
  }

  /** Newest first. */
  failures(repo: string): FailureRecord[] {
    return [...(this.byRepo.get(repo)?.failures ?? [])].reverse();
  }

  /** Repositories with recorded jobs, most recently active first. */
  repositories(): string[] {
    return [...this.byRepo.keys()].reverse();
  }
}

function push<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

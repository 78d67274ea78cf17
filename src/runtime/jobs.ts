/**
 * From a webhook to a queued job: drop re-deliveries, bind the log to the repository, and give the job
 * what it needs (the GitHub port for this installation, the config loaded once, today's date).
 */
import type { Log } from "../log.js";
import type { Context } from "probot";
import type { IsoDate } from "../engine/types.js";
import { createOctokitPort, type OctokitLike } from "../github/octokit-port.js";
import type { WritePacer } from "../github/pacer.js";
import type { GitHubPort } from "../github/port.js";
import type { RetryPolicy } from "../github/retry.js";
import type { JobQueue, RecentDeliveries } from "./job-queue.js";
import { withPolicy, type JobConfig } from "../workflows/job-config.js";
import { createConfigReader, loadRepoConfig, type ConfigReader } from "./repo-config.js";
import { shareJob, type SharedCoordination } from "./redis/coordination.js";
import type { DurableQueue } from "./redis/durable-queue.js";
import { runWorkflow, type WorkflowCall } from "./workflow-registry.js";
import { createShadowPort, shadowedBy, type AppMode, type ShadowLedger } from "./shadow.js";
import { describeGitHubError, isGitHubError } from "../github/errors.js";
import type { JobHistory, JobStatus } from "./job-history.js";
import { JobJournal, type Journal } from "./journal.js";

export interface JobEnv {
  port: GitHubPort;
  /** The repository's config and the policy from it, loaded once per job on first need. */
  config: () => Promise<JobConfig>;
  today: IsoDate;
  log: Log;
  /** Logs why a repository without a usable config is left alone. */
  skipped: (config: Exclude<JobConfig, { status: "ok" }>) => void;
  /** Where the job notes its outcomes for the status page (src/runtime/journal.ts). */
  journal?: Journal;
}

/** The job's journal as an optional input field: `{ journal }`, or nothing. */
export const journalOf = (env: Pick<JobEnv, "journal">): { journal?: Journal } => (env.journal ? { journal: env.journal } : {});

export interface JobDeps {
  queue: JobQueue;
  deliveries: RecentDeliveries;
  pacer: WritePacer;
  retry: RetryPolicy;
  today: () => IsoDate;
  /** The App's bot login (`<slug>[bot]`), asked once. */
  botLogin: () => Promise<string>;
  /** Per-request timeout for GitHub calls. */
  requestTimeoutMs?: number;
  /** With REDIS_URL: delivery de-duplication and one job at a time per repository across replicas. */
  shared?: SharedCoordination;
  /** With REDIS_URL: the durable shared queue jobs are stored in (src/runtime/redis/durable-queue.ts). */
  durable?: Pick<DurableQueue, "add">;
  /** LTS_STEWARD_MODE: `shadow` shadows every repository; otherwise each repository's `mode` decides. */
  mode?: AppMode;
  /** Where shadowed writes are recorded (src/runtime/shadow.ts). */
  shadow?: ShadowLedger;
  /** Where finished jobs are recorded for the status page (src/runtime/job-history.ts). */
  history?: JobHistory;
  /** The clock for the history's times (tests). */
  now?: () => Date;
}

/** One repository's job, from any source (a repository webhook, or a global one fanned out to repositories). */
export interface RepoJob {
  owner: string;
  repo: string;
  installationId: number;
  /** The installation's client when the job runs in this process; a durable job authenticates again where it runs. */
  octokit: OctokitLike;
  readConfig: ConfigReader;
  /** Dedupe key: the delivery id (plus the repository, for fanned-out events). */
  deliveryKey: string;
  name: string;
  /** What makes two jobs of this repository redundant while one waits (`pull closed #12`, `daily tick`); none: never redundant. */
  coalesce?: string;
  log: Log;
  /** The work, as data (src/runtime/workflow-registry.ts). */
  call: WorkflowCall;
}

const MAX_ERROR_LENGTH = 500;

/** One line for people: GitHub's errors as the App describes them, others by their message's first line. */
function describeFailure(error: unknown): string {
  const text = isGitHubError(error) ? describeGitHubError(error) : error instanceof Error ? (error.message.split("\n", 1)[0] ?? error.name) : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/**
 * Runs a job's workflow with an environment built for it: the port for its installation and repository, its
 * config; then records it, with the outcomes it noted, in the job history (when there is one).
 */
export async function runRepoJob(deps: JobDeps, job: Pick<RepoJob, "owner" | "repo" | "installationId" | "octokit" | "readConfig" | "name" | "call">, log: Log): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const journal = new JobJournal();
  let status: JobStatus = "succeeded";
  let failure: string | null = null;
  let loaded: Promise<JobConfig> | undefined;
  try {
    await runJobWorkflow(deps, job, log, { journal, loaded: (config) => (loaded = config), skipped: () => (status = "skipped") });
  } catch (error) {
    status = "failed";
    failure = describeFailure(error);
    throw error;
  } finally {
    if (deps.history) {
      const finishedAt = now();
      // Only a config the job read anyway decides the mode: the history never costs a read.
      const repositoryMode = await loaded?.then((c) => (c.status === "ok" ? c.config.mode : undefined), () => undefined);
      for (const ids of journal.publishedIds) deps.history.embargo.allow(ids);
      deps.history.record({
        repo: `${job.owner}/${job.repo}`, name: job.name, workflow: job.call.workflow,
        startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - startedAt.getTime(),
        status, mode: deps.mode === "shadow" || repositoryMode === "shadow" ? "shadow" : "active", outcomes: journal.outcomes, error: failure,
      });
    }
  }
}

async function runJobWorkflow(
  deps: JobDeps,
  job: Pick<RepoJob, "owner" | "repo" | "installationId" | "octokit" | "readConfig" | "name" | "call">,
  log: Log,
  record: { journal: Journal; loaded: (config: Promise<JobConfig>) => void; skipped: () => void },
): Promise<void> {
  const live = createOctokitPort({
    octokit: job.octokit, owner: job.owner, repo: job.repo, installationId: job.installationId, botLogin: await deps.botLogin(),
    pacer: deps.pacer, retry: deps.retry, log, ...(deps.requestTimeoutMs ? { timeoutMs: deps.requestTimeoutMs } : {}),
  });
  let loaded: Promise<JobConfig> | undefined;
  const config = () => {
    if (!loaded) record.loaded((loaded = loadRepoConfig(job.readConfig, deps.retry).then(withPolicy)));
    return loaded;
  };
  const port = deps.shadow
    ? createShadowPort({
        port: live, ledger: deps.shadow, job: job.name, log,
        shadowed: shadowedBy({ deployment: deps.mode ?? "active", repository: async () => { const c = await config(); return c.status === "ok" ? c.config.mode : undefined; } }),
      })
    : live;
  const env: JobEnv = {
    port,
    config,
    today: deps.today(),
    log,
    skipped: (config) => {
      log.info(config.status === "invalid" ? { problems: config.problems } : {}, `no usable config (${config.status}): nothing done`);
      record.skipped();
      record.journal.note({ subject: ".github/lts-steward.yml", status: "skipped", detail: config.status === "missing" ? "no config: nothing done" : `the config has ${config.problems.length} problem(s): nothing done` });
    },
    journal: record.journal,
  };
  await runWorkflow(env, job.call);
}

/**
 * Queues a repository's job. With the shared queue (REDIS_URL), the job is stored in Redis before this
 * resolves and any replica runs it; when Redis cannot take it, and without REDIS_URL, it runs in this
 * process's queue. Never rejects.
 */
export function createRepoEnqueue(deps: JobDeps): (job: RepoJob) => Promise<void> {
  return async (job) => {
    if (!deps.deliveries.firstTime(job.deliveryKey)) {
      job.log.info({ delivery: job.deliveryKey }, "webhook delivered again: already handled");
      return;
    }
    const key = `${job.owner}/${job.repo}`;
    const log = job.log.child({ repo: key, job: job.name });
    let claimed = false;
    if (deps.durable && deps.shared) {
      if (!(await deps.shared.claimDelivery(job.deliveryKey))) {
        log.info({ delivery: job.deliveryKey }, "webhook already handled by another replica");
        return;
      }
      claimed = true;
      const { octokit: _octokit, readConfig: _readConfig, log: _log, ...data } = job;
      if (await deps.durable.add(data, log)) return;
    }
    deps.queue.enqueue(shareJob(deps.shared, job.deliveryKey, log, {
      key,
      name: `${key}: ${job.name}`,
      ...(job.coalesce !== undefined ? { coalesce: `${key} ${job.coalesce}` } : {}),
      run: async () => {
        try {
          await runRepoJob(deps, job, log);
        } catch (error) {
          deps.deliveries.forget(job.deliveryKey);
          throw error;
        }
      },
    }, { claimed }));
  };
}

type RepoContext = Context & { payload: { repository?: { name: string; owner: { login: string } }; installation?: { id: number } } };

/** `coalesce`: what makes two such jobs redundant while one waits (see RepoJob); omit it when each job counts. */
export type Enqueue = (context: Context, name: string, call: WorkflowCall, options?: { coalesce?: string }) => Promise<void>;

/** Enqueues a job for the repository a webhook is about. */
export function createEnqueue(deps: JobDeps): Enqueue {
  const enqueueRepo = createRepoEnqueue(deps);
  return async (context, name, call, options = {}) => {
    const ctx = context as RepoContext;
    const repository = ctx.payload.repository;
    const installationId = ctx.payload.installation?.id;
    if (!repository || installationId === undefined) {
      context.log.debug({ delivery: context.id, event: context.name }, `${!repository ? "no repository" : "no installation"} in the event: ${name} dropped`);
      return;
    }
    await enqueueRepo({
      ...(options.coalesce !== undefined ? { coalesce: options.coalesce } : {}),
      owner: repository.owner.login, repo: repository.name, installationId, octokit: context.octokit,
      readConfig: createConfigReader({ octokit: context.octokit, owner: repository.owner.login, repo: repository.name }), deliveryKey: context.id, name,
      log: context.log.child({ delivery: context.id }) as unknown as Log, call,
    });
  };
}

/**
 * From a webhook to a queued job: drop re-deliveries, bind the log to the repository, and give the job
 * what it needs (the GitHub port for this installation, the config loaded once, today's date).
 */
import type { Context } from "probot";
import type { IsoDate } from "../engine/types.js";
import { createOctokitPort } from "../github/octokit-port.js";
import type { WritePacer } from "../github/pacer.js";
import type { GitHubPort } from "../github/port.js";
import type { RetryPolicy } from "../github/retry.js";
import type { JobQueue, RecentDeliveries } from "../queue/job-queue.js";
import { loadRepoConfig, type RepoConfig } from "./repo-config.js";

export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobEnv {
  port: GitHubPort;
  config: () => Promise<RepoConfig>;
  today: IsoDate;
  log: JobLog;
  /** Logs why a repository without a usable config is left alone. */
  skipped: (config: Exclude<RepoConfig, { status: "ok" }>) => void;
}

export interface JobDeps {
  queue: JobQueue;
  deliveries: RecentDeliveries;
  pacer: WritePacer;
  retry: RetryPolicy;
  today: () => IsoDate;
}

type RepoContext = Context & { payload: { repository: { name: string; owner: { login: string } }; installation?: { id: number } } };

export type Enqueue = (context: Context, name: string, run: (env: JobEnv) => Promise<void>) => void;

export function createEnqueue(deps: JobDeps): Enqueue {
  return (context, name, run) => {
    const ctx = context as RepoContext;
    const repository = ctx.payload.repository;
    const installationId = ctx.payload.installation?.id;
    if (!repository || installationId === undefined) return;
    if (!deps.deliveries.firstTime(context.id)) {
      context.log.info({ delivery: context.id }, "webhook delivered again: already handled");
      return;
    }
    const owner = repository.owner.login;
    const key = `${owner}/${repository.name}`;
    const log = context.log.child({ repo: key, delivery: context.id, job: name });
    deps.queue.enqueue({
      key,
      name: `${key}: ${name}`,
      run: async () => {
        const port = createOctokitPort({ octokit: context.octokit, owner, repo: repository.name, installationId, pacer: deps.pacer, retry: deps.retry, log });
        let loaded: Promise<RepoConfig> | undefined;
        const env: JobEnv = {
          port,
          config: () => (loaded ??= loadRepoConfig(context, deps.retry)),
          today: deps.today(),
          log,
          skipped: (config) => log.info(config.status === "invalid" ? { problems: config.problems } : {}, `no usable config (${config.status}): nothing done`),
        };
        try {
          await run(env);
        } catch (error) {
          deps.deliveries.forget(context.id);
          throw error;
        }
      },
    });
  };
}

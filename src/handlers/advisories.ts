/**
 * Advisory webhooks. `repository_advisory` concerns this repository; only `published` (and a live re-read
 * confirming it) leads to work: a reported or draft advisory is under embargo, and the App only notes
 * that an event arrived, never its content. `security_advisory` comes from GitHub's global database with no
 * repository: a queued job fans it out to every installed repository whose config lists the package.
 */
import type { Context, Probot } from "probot";
import { recordRelease } from "../advisory/follow-up.js";
import { isPublic, runAdvisory } from "../advisory/run-advisory.js";
import { fromAdvisory, type RawAdvisory } from "../github/advisory-shapes.js";
import type { OctokitLike } from "../github/octokit-port.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { Enqueue, JobEnv, JobLog, RepoJob } from "./jobs.js";

async function onRepositoryAdvisory(env: JobEnv, context: Context<"repository_advisory">): Promise<void> {
  const config = await env.config();
  if (config.status !== "ok") return env.skipped(config);
  const payload = fromAdvisory(context.payload.repository_advisory as unknown as RawAdvisory);
  // Payloads are snapshots: the advisory's live state decides (it may have been unpublished since).
  const advisory = (await env.port.getRepositoryAdvisory(payload.ghsaId)) ?? payload;
  await runAdvisory({ port: env.port, config: config.config, today: env.today, defaultBranch: context.payload.repository.default_branch, advisory, global: false, log: env.log });
}

interface Fanout {
  app: Probot;
  queue: JobQueue;
  enqueueRepo: (job: RepoJob) => void;
}

type ConfigOctokit = OctokitLike & {
  paginate: (route: string, params?: Record<string, unknown>) => Promise<unknown[]>;
  config: { get: (options: { owner: string; repo: string; path: string }) => Promise<{ config: unknown; files: { config: unknown }[] }> };
};

/** Every installed repository gets a job; the job reads the repository's config and acts only if the package is listed. */
async function fanOut(fanout: Fanout, context: Context<"security_advisory">, log: JobLog): Promise<void> {
  const advisory = fromAdvisory(context.payload.security_advisory as unknown as RawAdvisory);
  const appOctokit = (await fanout.app.auth()) as unknown as ConfigOctokit;
  const installations = (await appOctokit.paginate("GET /app/installations", { per_page: 100 })) as { id: number }[];
  for (const installation of installations) {
    const octokit = (await fanout.app.auth(installation.id)) as unknown as ConfigOctokit;
    const repositories = (await octokit.paginate("GET /installation/repositories", { per_page: 100 })) as { name: string; owner: { login: string }; default_branch: string; archived?: boolean }[];
    for (const repository of repositories.filter((r) => !r.archived)) {
      const owner = repository.owner.login;
      fanout.enqueueRepo({
        owner, repo: repository.name, installationId: installation.id, octokit, log,
        deliveryKey: `${context.id}:${owner}/${repository.name}`, name: `security advisory ${context.payload.action}`,
        readConfig: async (file) => {
          const { config, files } = await octokit.config.get({ owner, repo: repository.name, path: `.github/${file}` });
          return files.every((f) => f.config === null) ? null : config;
        },
        run: async (env) => {
          const config = await env.config();
          if (config.status !== "ok") return;
          await runAdvisory({ port: env.port, config: config.config, today: env.today, defaultBranch: repository.default_branch, advisory, global: true, log: env.log });
        },
      });
    }
  }
}

export function registerAdvisoryHandlers(app: Probot, options: { enqueue: Enqueue; queue: JobQueue; enqueueRepo: (job: RepoJob) => void }): void {
  app.on("repository_advisory", (context) => {
    const { action, repository_advisory: advisory } = context.payload;
    if (action !== "published" || advisory.state !== "published") {
      context.log.info({ event: "repository_advisory", action }, "advisory event arrived; not public: nothing done");
      return;
    }
    options.enqueue(context, "advisory published", (env) => onRepositoryAdvisory(env, context));
  });
  app.on("security_advisory", (context) => {
    const advisory = fromAdvisory(context.payload.security_advisory as unknown as RawAdvisory);
    if (!isPublic(advisory)) {
      context.log.info({ event: "security_advisory", action: context.payload.action }, "advisory event arrived; not public: nothing done");
      return;
    }
    const log = context.log.child({ delivery: context.id }) as unknown as JobLog;
    options.queue.enqueue({ key: "app:security_advisory", name: `fan out security_advisory ${context.payload.action}`, run: () => fanOut({ app, ...options }, context, log) });
  });
  app.on("release.published", (context) => {
    if (context.payload.release.draft) return;
    options.enqueue(context, `release ${context.payload.release.tag_name}`, async (env) => {
      const config = await env.config();
      if (config.status !== "ok") return env.skipped(config);
      await recordRelease(env.port, config.config, context.payload.release.tag_name);
    });
  });
}

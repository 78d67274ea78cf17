/**
 * Advisory webhooks. `repository_advisory` concerns this repository; only `published` (and a live re-read
 * confirming it) leads to work: a reported or draft advisory is under embargo, and the App only notes
 * that an event arrived, never its content. `security_advisory` comes from GitHub's global database with no
 * repository: a queued job fans it out to every installed repository whose config lists the package.
 */
import type { Log } from "../log.js";
import type { Context, Probot } from "probot";
import { isPublic } from "../advisory/run-advisory.js";
import { fromAdvisory, type RawAdvisory } from "../github/advisory-shapes.js";
import type { JobQueue } from "../runtime/job-queue.js";
import { forEachInstalledRepository } from "../runtime/fan-out.js";
import type { Enqueue, RepoJob } from "../runtime/jobs.js";

interface Fanout {
  app: Probot;
  queue: JobQueue;
  enqueueRepo: (job: RepoJob) => Promise<void>;
}

/** Every installed repository gets a job; the job reads the repository's config and acts only if the package is listed. */
async function fanOut(fanout: Fanout, context: Context<"security_advisory">, log: Log): Promise<void> {
  const advisory = fromAdvisory(context.payload.security_advisory as unknown as RawAdvisory);
  await forEachInstalledRepository(fanout.app, ({ owner, repo, defaultBranch, installationId, octokit, readConfig }) => {
    return fanout.enqueueRepo({
      owner, repo, installationId, octokit, log, readConfig,
      deliveryKey: `${context.id}:${owner}/${repo}`, name: `security advisory ${context.payload.action}`,
      call: { workflow: "global-advisory", input: { advisory, defaultBranch } },
    });
  });
}

export function registerAdvisoryHandlers(app: Probot, options: { enqueue: Enqueue; queue: JobQueue; enqueueRepo: (job: RepoJob) => Promise<void> }): void {
  app.on("repository_advisory", async (context) => {
    const { action, repository_advisory: advisory } = context.payload;
    if (action !== "published" || advisory.state !== "published") {
      context.log.info({ event: "repository_advisory", action }, "advisory event arrived; not public: nothing done");
      return;
    }
    const event = { advisory: fromAdvisory(advisory as unknown as RawAdvisory), defaultBranch: context.payload.repository.default_branch };
    await options.enqueue(context, "advisory published", { workflow: "repository-advisory", input: event });
  });
  app.on("security_advisory", (context) => {
    const advisory = fromAdvisory(context.payload.security_advisory as unknown as RawAdvisory);
    if (!isPublic(advisory)) {
      context.log.info({ event: "security_advisory", action: context.payload.action }, "advisory event arrived; not public: nothing done");
      return;
    }
    const log = context.log.child({ delivery: context.id }) as unknown as Log;
    options.queue.enqueue({ key: "app:security_advisory", name: `fan out security_advisory ${context.payload.action}`, run: () => fanOut({ app, ...options }, context, log) });
  });
}

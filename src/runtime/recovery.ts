/**
 * Recovery at start-up: the App keeps no queue of its own, so work a dead process left unfinished is found
 * again from the durable records in GitHub (the request labels on recently merged PRs; an accepted
 * `/backport` command puts its label too) and resumed at once, without waiting for a webhook or the daily
 * tick. Each repository gets one queued job that runs the tick's reconcile: a bounded window
 * (`automation.reconcileDays`) of merged PRs, and the backport workflow, idempotent, for each one with a
 * request. A second recovery finds everything settled and writes nothing.
 */
import type { Log } from "../log.js";
import type { Probot } from "probot";
import { planReconcile } from "../calendar/reconcile.js";
import { forEachInstalledRepository } from "./fan-out.js";
import type { RepoJob } from "./jobs.js";

/** Queues a recovery job per installed repository; returns how many. Never throws: a failure is logged. */
export async function startRecovery(app: Probot, options: { enqueueRepo: (job: RepoJob) => void; log: Log; at?: string }): Promise<number> {
  const at = options.at ?? new Date().toISOString();
  const log = options.log.child({ job: "recovery" });
  let repositories = 0;
  try {
    await forEachInstalledRepository(app, ({ owner, repo, defaultBranch, installationId, octokit, readConfig }) => {
      repositories++;
      options.enqueueRepo({
        owner, repo, installationId, octokit, readConfig, log,
        deliveryKey: `recovery:${at}:${owner}/${repo}`, name: "recovery",
        run: async (env) => {
          const config = await env.config();
          if (config.status !== "ok") return env.skipped(config);
          const actions = await planReconcile(env.port, { config: config.config, policy: config.policy, today: env.today, defaultBranch, log: env.log });
          for (const action of actions) {
            try {
              await action.apply();
            } catch (error) {
              env.log.warn({ err: error }, `recovery: ${action.description} failed`);
            }
          }
          if (actions.length > 0) env.log.info({ checked: actions.length }, "recovery: recent backports checked");
        },
      });
    });
  } catch (error) {
    log.warn({ err: error }, "recovery: some installations could not be visited");
  }
  log.info({ repositories }, "recovery: a job queued per installed repository");
  return repositories;
}

/**
 * Recovery at start-up: the App keeps no queue of its own, so work a dead process left unfinished is found
 * again from the durable records in GitHub and resumed at once, without waiting for a webhook or the daily
 * tick. Each repository gets one queued job (src/workflows/recover.ts): the backports asked for on recently
 * merged PRs (request labels; an accepted `/backport` command puts its label too), the releases and this
 * repository's advisories published in the same bounded window (`automation.reconcileDays`). A second
 * recovery finds everything settled and writes nothing.
 */
import type { Log } from "../log.js";
import type { Probot } from "probot";
import { forEachInstalledRepository } from "./fan-out.js";
import type { RepoJob } from "./jobs.js";

/** Queues a recovery job per installed repository; returns how many. Never throws: a failure is logged. */
export async function startRecovery(app: Probot, options: { enqueueRepo: (job: RepoJob) => Promise<void>; log: Log; at?: string }): Promise<number> {
  const at = options.at ?? new Date().toISOString();
  const log = options.log.child({ job: "recovery" });
  let repositories = 0;
  try {
    await forEachInstalledRepository(app, ({ owner, repo, defaultBranch, installationId, octokit, readConfig }) => {
      repositories++;
      // Replicas starting together share one recovery per repository while it waits (coalesced).
      return options.enqueueRepo({
        owner, repo, installationId, octokit, readConfig, log,
        deliveryKey: `recovery:${at}:${owner}/${repo}`, name: "recovery", coalesce: "recovery",
        call: { workflow: "recovery", input: { defaultBranch } },
      });
    });
  } catch (error) {
    log.warn({ err: error }, "recovery: some installations could not be visited");
  }
  log.info({ repositories }, "recovery: a job queued per installed repository");
  return repositories;
}

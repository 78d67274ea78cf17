/**
 * Recovery of one repository at start-up (src/runtime/recovery.ts queues it): work a dead process left
 * unfinished is found again from GitHub's own records, in the window the daily tick reconciles
 * (`automation.reconcileDays`), and resumed with the same idempotent workflows a webhook would run:
 *
 * - backports asked for on recently merged PRs (their request labels; an accepted `/backport` puts its label);
 * - releases published in the window, oldest first: their advisory rows are marked released (the schedule
 *   issue and branch cuts are the daily tick's, which runs on its own; recovery creates nothing new there, so
 *   a first start in a repository writes nothing the people there did not ask for);
 * - this repository's advisories published in the window (their tracking issues and backports).
 *
 * Every read is bounded (one page of releases and of advisories, the reconcile's window of PRs). What is
 * already done is found and left alone: a second recovery writes nothing. A failure in one item is logged
 * and the others go on.
 */
import { runAdvisory } from "../advisory/run-advisory.js";
import { planReconcile } from "../calendar/reconcile.js";
import { addDaysTo } from "../engine/dates.js";
import { journalOf, type JobEnv } from "../runtime/jobs.js";
import { recordRelease } from "../advisory/follow-up.js";

export interface RecoverySummary {
  backports: number;
  releases: string[];
  advisories: string[];
}

export async function recoverRepository(env: JobEnv, options: { defaultBranch: string }): Promise<RecoverySummary | null> {
  const loaded = await env.config();
  if (loaded.status !== "ok") {
    env.skipped(loaded);
    return null;
  }
  const { config, policy } = loaded;
  const { port, log, today } = env;
  const days = config.automation.reconcileDays;
  const summary: RecoverySummary = { backports: 0, releases: [], advisories: [] };
  if (days <= 0) return summary;
  const since = addDaysTo(today, -days);
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      log.warn({ err: error }, `recovery: ${what} failed`);
    }
  };

  const actions = await planReconcile(port, { config, policy, today, defaultBranch: options.defaultBranch, log, ...journalOf(env) });
  for (const action of actions) await attempt(action.description, () => action.apply());
  summary.backports = actions.length;

  const releases = (await port.listReleases())
    .filter((r) => !r.draft && r.publishedAt !== null && r.publishedAt.slice(0, 10) >= since)
    .sort((a, b) => (a.publishedAt ?? "").localeCompare(b.publishedAt ?? ""));
  for (const release of releases) {
    await attempt(`the release ${release.tagName}`, async () => {
      await recordRelease(port, { config, policy, tag: release.tagName });
    });
    summary.releases.push(release.tagName);
  }

  const advisories = (await port.listPublishedAdvisories()).filter((a) => a.publishedAt !== null && a.publishedAt.slice(0, 10) >= since);
  for (const advisory of advisories.reverse()) {
    await attempt(`the advisory ${advisory.ghsaId}`, async () => {
      await runAdvisory({ port, config, policy, today, defaultBranch: options.defaultBranch, advisory, global: false, log, ...journalOf(env) });
    });
    summary.advisories.push(advisory.ghsaId);
  }
  return summary;
}

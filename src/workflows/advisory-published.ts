/**
 * A repository advisory published (re-read live: it may have been unpublished since the payload was made),
 * and a global advisory for one repository (the runtime fans it out; only repositories whose config lists
 * the package act on it).
 */
import { runAdvisory } from "../advisory/run-advisory.js";
import type { Advisory } from "../advisory/types.js";
import { journalOf, type JobEnv } from "../runtime/jobs.js";

export async function repositoryAdvisoryPublished(env: JobEnv, event: { advisory: Advisory; defaultBranch: string }): Promise<void> {
  const loaded = await env.config();
  if (loaded.status !== "ok") return env.skipped(loaded);
  const advisory = (await env.port.getRepositoryAdvisory(event.advisory.ghsaId)) ?? event.advisory;
  await runAdvisory({ port: env.port, config: loaded.config, policy: loaded.policy, today: env.today, defaultBranch: event.defaultBranch, advisory, global: false, log: env.log, ...journalOf(env) });
}

export async function globalAdvisory(env: JobEnv, event: { advisory: Advisory; defaultBranch: string }): Promise<void> {
  const loaded = await env.config();
  if (loaded.status !== "ok") return;
  await runAdvisory({ port: env.port, config: loaded.config, policy: loaded.policy, today: env.today, defaultBranch: event.defaultBranch, advisory: event.advisory, global: true, log: env.log, ...journalOf(env) });
}

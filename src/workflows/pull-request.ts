/**
 * Pull request workflows: a PR closed (a backport PR merged or closed moves its tracking rows; a fix merged
 * into the default branch is backported), a request label added after merge, and a conflict draft ready for
 * review.
 */
import { recordAdvisoryBackportClosed } from "../advisory/follow-up.js";
import { parseBackportBranch } from "../backport/process-target.js";
import { requestsFromLabels } from "../backport/requests.js";
import { runBackport } from "../backport/run-backport.js";
import { finishConflictDraft } from "../backport/finish-draft.js";
import { recordBackportClosed } from "../backport/tracking.js";
import type { JobEnv } from "../runtime/jobs.js";
import { answerBlockedRequest } from "./config-problems.js";

export interface ClosedPull {
  number: number;
  url: string;
  merged: boolean;
  headRef: string;
  baseRef: string;
  defaultBranch: string;
}

export async function pullClosed(env: JobEnv, pr: ClosedPull): Promise<void> {
  const loaded = await env.config();
  if (loaded.status === "invalid" && pr.merged && pr.baseRef === pr.defaultBranch) {
    // A fix that asked for backports is told why nothing happens (the labels are read only on this rare path).
    await answerBlockedRequest(env.port, { number: pr.number, labels: (await env.port.getPull(pr.number)).labels, problems: loaded.problems });
  }
  if (loaded.status !== "ok") return env.skipped(loaded);
  const { config, policy } = loaded;
  const backport = parseBackportBranch(config.backport.branchPrefix, pr.headRef);
  if (backport) {
    const issues = await env.port.listIssues({ labels: [config.tracking.label], state: "open" });
    const closed = { number: pr.number, url: pr.url, merged: pr.merged, target: pr.baseRef, source: backport.key };
    await recordBackportClosed({ port: env.port, config, issues }, closed);
    await recordAdvisoryBackportClosed(env.port, config, closed);
    return;
  }
  if (!pr.merged) return;
  await runBackport({ port: env.port, config, policy, today: env.today, number: pr.number, defaultBranch: pr.defaultBranch, log: env.log });
}

export async function pullLabeled(env: JobEnv, event: { number: number; label: string; defaultBranch: string }): Promise<void> {
  const loaded = await env.config();
  if (loaded.status === "invalid") await answerBlockedRequest(env.port, { number: event.number, labels: [event.label], problems: loaded.problems });
  if (loaded.status !== "ok") return env.skipped(loaded);
  const { config, policy } = loaded;
  if (requestsFromLabels([event.label], { labelPrefix: config.backport.labelPrefix, implied: config.backport.implied }).length === 0) return;
  await runBackport({ port: env.port, config, policy, today: env.today, number: event.number, defaultBranch: event.defaultBranch, log: env.log });
}

/** A conflict draft of the App's marked ready for review (or pushed to while ready): it may be the backport PR now. */
export async function conflictDraftReady(env: JobEnv, event: { number: number }): Promise<void> {
  const loaded = await env.config();
  if (loaded.status !== "ok") return env.skipped(loaded);
  const result = await finishConflictDraft({ port: env.port, config: loaded.config, number: event.number, log: env.log });
  env.log.info({ pr: event.number, result }, "conflict draft checked");
}

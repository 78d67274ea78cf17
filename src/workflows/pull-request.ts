/**
 * Pull request workflows: a PR closed (a backport PR merged or closed moves its tracking rows; a fix merged
 * into the default branch is backported), a request label added after merge, and a conflict draft ready for
 * review.
 */
import { recordAdvisoryBackportClosed } from "../advisory/follow-up.js";
import { parseCombinedBranch } from "../backport/combined.js";
import { parseBackportBranch } from "../backport/process-target.js";
import { readCombined } from "../backport/render-combined.js";
import { sourceKey } from "../backport/types.js";
import { isOwn } from "../state/records.js";
import { requestsFromLabels } from "../backport/requests.js";
import { runBackport } from "../backport/run-backport.js";
import { finishConflictDraft } from "../backport/finish-draft.js";
import { recordBackportClosed } from "../backport/tracking.js";
import { journalOf, type JobEnv } from "../runtime/jobs.js";
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
  const combined = parseCombinedBranch(config.backport.branchPrefix, pr.headRef);
  if (backport || combined) {
    // A combined PR's fixes are those its body names; only the App's own PR is read as state.
    const sources = backport ? [backport.key] : await combinedSources(env, pr.number);
    const issues = await env.port.listIssues({ labels: [config.tracking.label], state: "open" });
    const closed = { number: pr.number, url: pr.url, merged: pr.merged, target: pr.baseRef, sources };
    if (sources.length > 0) await recordBackportClosed({ port: env.port, config, issues }, closed);
    const advisories = await recordAdvisoryBackportClosed(env.port, config, closed);
    env.journal?.note({
      subject: `${combined ? "combined backport" : "backport"} PR #${pr.number} → ${pr.baseRef}`, status: "done", url: pr.url,
      detail: `${pr.merged ? "merged" : "closed without merging"}: tracking rows updated${advisories > 0 ? ` (and ${advisories} advisory issue${advisories === 1 ? "" : "s"})` : ""}`,
    });
    return;
  }
  if (!pr.merged) return;
  await runBackport({ port: env.port, config, policy, today: env.today, number: pr.number, defaultBranch: pr.defaultBranch, log: env.log, ...journalOf(env) });
}

async function combinedSources(env: JobEnv, number: number): Promise<string[]> {
  const pull = await env.port.getPull(number);
  if (!isOwn(env.port, pull.author)) return [];
  return (readCombined(pull.body)?.sources ?? []).map((s) => sourceKey(s));
}

export async function pullLabeled(env: JobEnv, event: { number: number; label: string; defaultBranch: string }): Promise<void> {
  const loaded = await env.config();
  if (loaded.status === "invalid") await answerBlockedRequest(env.port, { number: event.number, labels: [event.label], problems: loaded.problems });
  if (loaded.status !== "ok") return env.skipped(loaded);
  const { config, policy } = loaded;
  if (requestsFromLabels([event.label], { labelPrefix: config.backport.labelPrefix, implied: config.backport.implied }).length === 0) return;
  await runBackport({ port: env.port, config, policy, today: env.today, number: event.number, defaultBranch: event.defaultBranch, log: env.log, ...journalOf(env) });
}

/** A conflict draft of the App's marked ready for review (or pushed to while ready): it may be the backport PR now. */
export async function conflictDraftReady(env: JobEnv, event: { number: number }): Promise<void> {
  const loaded = await env.config();
  if (loaded.status !== "ok") return env.skipped(loaded);
  const result = await finishConflictDraft({ port: env.port, config: loaded.config, number: event.number, log: env.log });
  env.log.info({ pr: event.number, result }, "conflict draft checked");
}

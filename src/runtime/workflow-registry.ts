/**
 * Every job the App queues is one named workflow with plain-data input: a job is data, not a closure, so
 * it can wait in a durable queue (src/runtime/redis/durable-queue.ts) and run on another replica or after a
 * restart. The handlers, the daily tick, recovery and the advisory fan-out describe their work as a
 * `WorkflowCall`; `runWorkflow` is the one place that turns it back into code.
 */
import type { Advisory } from "../advisory/types.js";
import { recordCiRun, type CompletedRun } from "../calendar/ci-health.js";
import { runTick } from "../calendar/tick.js";
import { computeLines } from "../engine/lines.js";
import { readReleaseHistory } from "../workflows/release-state.js";
import { globalAdvisory, repositoryAdvisoryPublished } from "../workflows/advisory-published.js";
import { commentCommand, type CommandEvent } from "../workflows/comment-command.js";
import { runConfigCheck } from "../workflows/config-check.js";
import { trackConfigProblems } from "../workflows/config-problems.js";
import { conflictDraftReady, pullClosed, pullLabeled, type ClosedPull } from "../workflows/pull-request.js";
import { recoverRepository } from "../workflows/recover.js";
import { releasePublished } from "../workflows/release-published.js";
import { journalOf, type JobEnv } from "./jobs.js";
import { tickOutcomes } from "../workflows/outcomes.js";
import type { CiHealthResult } from "../calendar/ci-health.js";
import type { ConfigCheckOutcome } from "../workflows/config-check.js";

const CI_RESULT: Record<CiHealthResult, string> = {
  "not-watched": "not the watched CI workflow", "not-a-release-branch": "not a supported release branch", stale: "an older run than the last recorded",
  failing: "failed: the branch's CI issue is open", green: "passed: the branch's CI issue is closed", nothing: "nothing to record",
};

const CONFIG_CHECK: Record<ConfigCheckOutcome, string> = {
  "not-changed": "the PR does not change the config", closed: "the PR is closed", deleted: "the PR deletes the config",
  invalid: "check run: the config has problems", valid: "check run: the config is valid",
};

export type WorkflowCall =
  | { workflow: "pull-closed"; input: ClosedPull }
  | { workflow: "pull-labeled"; input: { number: number; label: string; defaultBranch: string } }
  | { workflow: "conflict-draft-ready"; input: { number: number } }
  | { workflow: "comment-command"; input: CommandEvent }
  | { workflow: "release-published"; input: { tag: string } }
  | { workflow: "config-check"; input: { number: number; defaultBranch: string } }
  | { workflow: "repository-advisory"; input: { advisory: Advisory; defaultBranch: string } }
  | { workflow: "global-advisory"; input: { advisory: Advisory; defaultBranch: string } }
  | { workflow: "daily-tick"; input: { defaultBranch: string } }
  | { workflow: "recovery"; input: { defaultBranch: string } }
  | { workflow: "ci-run"; input: CompletedRun };

export type WorkflowName = WorkflowCall["workflow"];

const NAMES: readonly WorkflowName[] = [
  "pull-closed", "pull-labeled", "conflict-draft-ready", "comment-command", "release-published", "config-check", "repository-advisory", "global-advisory", "daily-tick", "recovery", "ci-run",
];

/** True for a value that names a known workflow and carries an object as input (a job read back from Redis). */
export function isWorkflowCall(value: unknown): value is WorkflowCall {
  if (typeof value !== "object" || value === null) return false;
  const { workflow, input } = value as { workflow?: unknown; input?: unknown };
  return typeof workflow === "string" && (NAMES as readonly string[]).includes(workflow) && typeof input === "object" && input !== null;
}

async function dailyTick(env: JobEnv, defaultBranch: string): Promise<void> {
  const config = await env.config();
  // An invalid config is shown in an issue of its own, closed again once the file reads.
  if (config.status === "invalid") await trackConfigProblems(env.port, { problems: config.problems });
  if (config.status !== "ok") return env.skipped(config);
  await trackConfigProblems(env.port, { problems: null, config: config.config });
  const report = await runTick({ port: env.port, config: config.config, policy: config.policy, today: env.today, defaultBranch, dryRun: false, log: env.log, ...journalOf(env) });
  for (const outcome of tickOutcomes(report)) env.journal?.note(outcome);
  const failed = report.outcomes.filter((o) => o.status === "failed");
  if (failed.length > 0) env.log.warn({ failed: failed.map((o) => `${o.job}: ${o.description}: ${o.error ?? ""}`) }, `daily tick: ${failed.length} action(s) failed`);
}

async function recovery(env: JobEnv, defaultBranch: string): Promise<void> {
  const done = await recoverRepository(env, { defaultBranch });
  if (done && done.backports + done.releases.length + done.advisories.length > 0) env.log.info(done, "recovery: recent work checked");
  if (done) {
    env.journal?.note({
      subject: "recovery", status: "done",
      detail: `checked ${done.backports} merged PR(s) with backport requests, ${done.releases.length} release(s) and ${done.advisories.length} published advisory(ies) from the last days`,
    });
  }
}

async function ciRun(env: JobEnv, run: CompletedRun): Promise<void> {
  const config = await env.config();
  if (config.status !== "ok") return env.skipped(config);
  const lines = computeLines(config.policy, await readReleaseHistory(env.port, config.policy), env.today);
  const result = await recordCiRun(env.port, { config: config.config, lines, run });
  env.journal?.note({ subject: `CI run ${run.runNumber} on ${run.branch}`, status: result === "failing" || result === "green" ? "done" : "unchanged", detail: CI_RESULT[result], url: run.url });
  env.log.info({ branch: run.branch, run: run.runNumber, conclusion: run.conclusion, result }, "CI run recorded");
}

export async function runWorkflow(env: JobEnv, call: WorkflowCall): Promise<void> {
  switch (call.workflow) {
    case "pull-closed":
      return pullClosed(env, call.input);
    case "pull-labeled":
      return pullLabeled(env, call.input);
    case "conflict-draft-ready":
      return conflictDraftReady(env, call.input);
    case "comment-command":
      return commentCommand(env, call.input);
    case "release-published":
      return releasePublished(env, call.input);
    case "config-check": {
      const result = await runConfigCheck({ port: env.port, number: call.input.number, today: env.today, log: env.log, defaultBranch: call.input.defaultBranch });
      env.journal?.note({ subject: `config check #${call.input.number}`, status: result === "valid" || result === "invalid" ? "done" : "unchanged", detail: CONFIG_CHECK[result] });
      return;
    }
    case "repository-advisory":
      return repositoryAdvisoryPublished(env, call.input);
    case "global-advisory":
      return globalAdvisory(env, call.input);
    case "daily-tick":
      return dailyTick(env, call.input.defaultBranch);
    case "recovery":
      return recovery(env, call.input.defaultBranch);
    case "ci-run":
      return ciRun(env, call.input);
  }
}

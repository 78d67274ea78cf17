/**
 * The backport workflow for one merged PR: re-read its live requests → ask the engine for targets →
 * plan (targets already settled in the summary are kept, the rest are worked) → apply per target →
 * conflict issues, tracking issue, and one summary comment edited in place.
 */
import type { Log } from "../log.js";
import type { Config } from "../config/schema.js";
import type { IsoDate, Policy } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/types.js";
import { readReleaseState } from "../workflows/release-state.js";
import { collectRequests, PermissionCache } from "./collect.js";
import { findOwn, saveComment } from "../state/records.js";
import { planPicks, type PickPlan } from "./picks.js";

import { backportTargets, once } from "./backport-targets.js";
import { readSummary, renderSummary } from "./render.js";
import { rolesAtLeast, selectorsOf } from "./requests.js";
import { labelRefusalRef, renderLabelRefusal } from "./render-replies.js";
import { resolveRequests } from "./targets.js";
import { upsertTracking } from "./tracking.js";
import type { SkippedLine, SourcePull, TargetRow } from "./types.js";
import type { Journal } from "../runtime/journal.js";
import { backportOutcomes } from "../workflows/outcomes.js";

export interface BackportInput {
  port: GitHubPort;
  config: Config;
  /** Derived once per job from the config. */
  policy: Policy;
  today: IsoDate;
  number: number;
  defaultBranch: string;
  log: Pick<Log, "info" | "warn">;
  /** Shared with the command handler so a person's permission is asked once per job. */
  permissions?: PermissionCache;
  /** Where the job notes each target's outcome (the status page). */
  journal?: Journal;
}

export interface BackportReport {
  source: SourcePull;
  rows: TargetRow[];
  /** Targets worked on in this run (the others were settled before). */
  worked: string[];
  /** Lines the requests named that get nothing, with the engine's reason (end of support…). */
  skipped: SkippedLine[];
  summary: "created" | "updated" | "unchanged";
}

export const toSourcePull = (pull: PullRequest): SourcePull => ({ number: pull.number, title: pull.title, url: pull.htmlUrl, author: pull.author, mergedBy: pull.mergedBy });

export async function runBackport(input: BackportInput): Promise<BackportReport | null> {
  const { port, config, today, log } = input;
  const pull = await port.getPull(input.number);
  if (!pull.merged) return null;
  if (pull.base.ref !== input.defaultBranch) {
    log.info({ pr: pull.number, base: pull.base.ref }, "not merged into the default branch: no backports");
    return null;
  }
  const permissions = input.permissions ?? new PermissionCache(port);
  const { requests, comments, refusedLabels } = await collectRequests({ port, pull, config, permissions });
  for (const refused of refusedLabels) {
    // Said once per label (found by its marker); nothing is done for it.
    const body = renderLabelRefusal({ ...refused, required: rolesAtLeast(config.backport.permission) });
    const { action } = await saveComment(port, { number: pull.number, ref: labelRefusalRef(refused.label), body, comments });
    if (action === "created") log.info({ pr: pull.number, label: refused.label, actor: refused.actor, permission: refused.permission }, "request label from someone who may not ask: refused");
    input.journal?.note({ subject: `backport #${pull.number}`, status: "skipped", detail: `label ${refused.label} refused: ${refused.actor ? `@${refused.actor} has ${refused.permission ?? "no"} permission` : "who added it is not known"}` });
  }
  if (requests.length === 0) return null;
  const selectors = selectorsOf(requests);
  const state = await readReleaseState(port, { policy: input.policy, on: today });
  const resolved = resolveRequests({ lines: state.lines, selectors, on: today, policy: state.policy });
  const summaryRef = { kind: "summary", key: `pr-${pull.number}` };
  const summaryComment = findOwn(port, comments, summaryRef);
  const previous = new Map((readSummary(summaryComment?.body ?? null)?.rows ?? []).map((r) => [r.branch, r]));
  const source = toSourcePull(pull);
  const { rows, worked } = await backportTargets({
    port, config, source, labels: pull.labels, defaultBranch: input.defaultBranch, log,
    plan: once<PickPlan>(() => planPicks(port, pull)),
    targets: resolved.targets,
    previous,
  });
  const security = selectors.some((s) => s.toLowerCase() === "security");
  const wantsTracking = config.tracking.for === "all" || (config.tracking.for === "security" && security);
  if (worked.length > 0 && wantsTracking) {
    const issues = await port.listIssues({ labels: [config.tracking.label], state: "open" });
    await upsertTracking({ port, config, source, issues, security }, rows);
  }
  const problems = resolved.problems.map((p) => `\`${p.selector}\`: ${p.reason}`);
  const skipped = resolved.skipped.filter((s) => !rows.some((r) => r.branch === s.branch));
  const body = renderSummary({ source, rows, skipped, requests, problems });
  const { action: summary } = await saveComment(port, { number: pull.number, ref: summaryRef, body, comments });
  log.info({ pr: pull.number, worked, rows: rows.map((r) => `${r.label}:${r.outcome.kind}`) }, "backports done");
  const report: BackportReport = { source, rows, worked, skipped, summary };
  for (const outcome of backportOutcomes(report)) input.journal?.note(outcome);
  return report;
}

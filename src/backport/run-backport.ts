/**
 * The backport workflow for one merged PR: re-read its live requests → ask the engine for targets →
 * plan (targets already settled in the summary are kept, the rest are worked) → apply per target →
 * conflict issues, tracking issue, and one summary comment edited in place.
 */
import type { Log } from "../log.js";
import type { Config } from "../config/schema.js";
import type { IsoDate, Policy, Target } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { IssueComment, PullRequest } from "../github/types.js";
import { readReleaseState } from "../workflows/release-state.js";
import { collectRequests, PermissionCache } from "./collect.js";
import { findOwn, saveComment } from "../state/records.js";
import { planPicks, type PickPlan } from "./picks.js";

import { backportTargets, once, settled } from "./backport-targets.js";
import { backportCombined, isCombined, type CombinedContext, type CombinedSource } from "./combined.js";
import { readSummary, renderSummary } from "./render.js";
import { rolesAtLeast, selectorsOf } from "./requests.js";
import { labelRefusalRef, renderLabelRefusal } from "./render-replies.js";
import { resolveRequests, type ResolvedRequests } from "./targets.js";
import { upsertTracking } from "./tracking.js";
import { sourceKey, type BackportRequest, type SkippedLine, type SourcePull, type TargetOutcome, type TargetRow } from "./types.js";
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
  const [report] = await runBackports({ ...input, numbers: [input.number] });
  return report ?? null;
}

/** A source PR's live requests and targets, read before any backport is made. */
interface Prepared {
  pull: PullRequest;
  source: SourcePull;
  requests: BackportRequest[];
  comments: IssueComment[];
  resolved: ResolvedRequests;
  selectors: string[];
  previous: Map<string, TargetRow>;
  combined: boolean;
  plan: () => Promise<PickPlan>;
}

async function prepare(input: Omit<BackportInput, "number">, number: number, permissions: PermissionCache): Promise<Prepared | null> {
  const { port, config, today, log } = input;
  const pull = await port.getPull(number);
  if (!pull.merged) return null;
  if (pull.base.ref !== input.defaultBranch) {
    log.info({ pr: pull.number, base: pull.base.ref }, "not merged into the default branch: no backports");
    return null;
  }
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
  const summaryComment = findOwn(port, comments, summaryRef(pull.number));
  const previous = new Map((readSummary(summaryComment?.body ?? null)?.rows ?? []).map((r) => [r.branch, r]));
  return {
    pull, source: toSourcePull(pull), requests, comments, resolved, selectors, previous,
    combined: isCombined(config, pull.labels, selectors),
    plan: once<PickPlan>(() => planPicks(port, pull)),
  };
}

const summaryRef = (number: number) => ({ kind: "summary", key: `pr-${number}` });

/** Landing order on the default branch: merge time, then PR number. */
const landed = (a: Prepared, b: Prepared) => (a.pull.mergedAt ?? "").localeCompare(b.pull.mergedAt ?? "") || a.pull.number - b.pull.number;

/**
 * The backport workflow for several merged PRs at once (a combined `/backport`; one PR is the usual case).
 * Fixes whose backports are combined are put into each line's combined PR together, in the order they
 * landed: one build and one PR write per line. Each fix keeps its own summary, tracking and conflict issues.
 */
export async function runBackports(input: Omit<BackportInput, "number"> & { numbers: number[] }): Promise<BackportReport[]> {
  const { port, config, log } = input;
  const permissions = input.permissions ?? new PermissionCache(port);
  const prepared: Prepared[] = [];
  for (const number of [...new Set(input.numbers)]) {
    const p = await prepare(input, number, permissions);
    if (p) prepared.push(p);
  }
  prepared.sort(landed);
  const ctx = { port, config, defaultBranch: input.defaultBranch, log, milestones: once(() => port.listMilestones()) };
  // Per line, the combined fixes that still need it, in landing order.
  const batches = new Map<string, { target: Target; sources: Prepared[] }>();
  for (const p of prepared.filter((x) => x.combined)) {
    for (const target of p.resolved.targets) {
      const before = p.previous.get(target.branch);
      if (before && settled(before.outcome)) continue;
      const batch = batches.get(target.branch) ?? { target, sources: [] };
      batch.sources.push(p);
      batches.set(target.branch, batch);
    }
  }
  const asSource = (p: Prepared): CombinedSource => ({ source: p.source, labels: p.pull.labels, plan: p.plan });
  const done = new Map<string, TargetOutcome>();
  for (const { target, sources } of batches.values()) {
    const outcomes = await backportCombined(ctx, target, sources.map(asSource));
    for (const [key, outcome] of outcomes) done.set(`${key}/${target.branch}`, outcome);
  }
  const reports: BackportReport[] = [];
  for (const p of prepared) reports.push(await finish(input, p, done, ctx));
  return reports;
}

async function finish(input: Omit<BackportInput, "number">, p: Prepared, done: Map<string, TargetOutcome>, ctx: CombinedContext): Promise<BackportReport> {
  const { port, config, log } = input;
  const { pull, source, resolved, selectors, requests, comments } = p;
  const key = sourceKey(source);
  const { rows, worked } = await backportTargets({
    port, config, source, labels: pull.labels, defaultBranch: input.defaultBranch, log,
    plan: p.plan,
    targets: resolved.targets,
    previous: p.previous,
    ...(p.combined
      ? { work: async (target: Target) => done.get(`${key}/${target.branch}`) ?? (await backportCombined(ctx, target, [{ source, labels: pull.labels, plan: p.plan }])).get(key) ?? { kind: "failed", reason: "the combined backport did not report on this fix" } }
      : {}),
  });
  const security = selectors.some((s) => s.toLowerCase() === "security");
  const wantsTracking = config.tracking.for === "all" || (config.tracking.for === "security" && security);
  if (worked.length > 0 && wantsTracking) {
    const issues = await port.listIssues({ labels: [config.tracking.label], state: "open" });
    await upsertTracking({ port, config, source, issues, security }, rows);
  }
  const problems = resolved.problems.map((pr) => `\`${pr.selector}\`: ${pr.reason}`);
  const skipped = resolved.skipped.filter((s) => !rows.some((r) => r.branch === s.branch));
  const body = renderSummary({ source, rows, skipped, requests, problems });
  const { action: summary } = await saveComment(port, { number: pull.number, ref: summaryRef(pull.number), body, comments });
  log.info({ pr: pull.number, worked, rows: rows.map((r) => `${r.label}:${r.outcome.kind}`) }, "backports done");
  const report: BackportReport = { source, rows, worked, skipped, summary };
  for (const outcome of backportOutcomes(report)) input.journal?.note(outcome);
  return report;
}

/**
 * The core every backport shares (a merged PR's, or an advisory's fix): work each target not yet settled,
 * one after another, then open an issue for each new conflict. Rows settled in an earlier run are kept.
 */
import type { Log } from "../log.js";
import type { Config } from "../config/schema.js";
import type { Target } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { PickPlan } from "./picks.js";
import { convergeDecoration, processTarget } from "./process-target.js";
import { upsertConflictIssues } from "./tracking.js";
import type { SourcePull, TargetOutcome, TargetRow } from "./types.js";

/** Outcomes that are final: a re-run keeps them instead of working the target again. */
export const settled = (o: TargetOutcome) => o.kind === "opened" || o.kind === "exists" || o.kind === "empty" || o.kind === "conflict";

export const once = <T>(read: () => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
};

export interface BackportTargetsInput {
  port: GitHubPort;
  config: Config;
  source: SourcePull;
  labels: string[];
  plan: () => Promise<PickPlan>;
  targets: Target[];
  /** Rows from an earlier run, by branch. */
  previous: Map<string, TargetRow>;
  defaultBranch: string;
  log: Pick<Log, "info" | "warn">;
  /** Works one target; by default a backport PR of the source's own (processTarget), or its combined PR's outcome. */
  work?: (target: Target) => Promise<TargetOutcome>;
}

export interface BackportTargetsResult {
  rows: TargetRow[];
  /** Branches worked on in this run. */
  worked: string[];
}

export async function backportTargets(input: BackportTargetsInput): Promise<BackportTargetsResult> {
  const { port, config, source, previous } = input;
  const ctx = {
    port, config, source, labels: input.labels, defaultBranch: input.defaultBranch, log: input.log, plan: input.plan,
    milestones: once(() => port.listMilestones()),
  };
  const worked: string[] = [];
  let rows: TargetRow[] = [];
  for (const target of input.targets) {
    const before = previous.get(target.branch);
    if (before && settled(before.outcome)) {
      const o = before.outcome;
      if (o.kind === "opened" || (o.kind === "exists" && o.state === "open")) await convergeDecoration(ctx, target, o.pull.number);
      rows.push(before);
      continue;
    }
    worked.push(target.branch);
    const outcome = input.work ? await input.work(target) : await processTarget(ctx, target);
    rows.push({ branch: target.branch, line: target.line, label: target.label, lineKind: target.kind, nextPatch: target.nextPatch, reason: target.reason, outcome });
  }
  // Rows from earlier runs whose target is no longer requested (a label removed) stay on record.
  for (const [branch, row] of previous) if (!rows.some((r) => r.branch === branch)) rows.push(row);
  if (rows.some((r) => r.outcome.kind === "conflict" && !r.outcome.issue)) {
    const issues = await port.listIssues({ labels: [config.tracking.label], state: "open" });
    rows = await upsertConflictIssues({ port, config, source, issues, security: false }, rows);
  }
  return { rows, worked };
}

/**
 * Backports an advisory's fixes to its affected lines through the backport pipeline, and folds each
 * target's outcome into the advisory's rows. Rows that already have progress are not worked again.
 */
import type { Log } from "../log.js";
import { backportTargets, once } from "../backport/backport-targets.js";
import { backportCombined, isCombined } from "../backport/combined.js";
import { planPicks, type PickPlan } from "../backport/picks.js";

import { toSourcePull } from "../backport/run-backport.js";
import { sourceKey, type SourcePull, type TargetOutcome } from "../backport/types.js";
import type { Config } from "../config/schema.js";
import type { ReleaseLine, Target } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { AdvisoryFix, AdvisoryRow } from "./types.js";

/** Rows still waiting for a backport (a closed or failed one is tried again). */
const needsWork = (row: AdvisoryRow) => row.status === "pending" || row.status === "failed" || row.status === "closed";

function applyOutcome(row: AdvisoryRow, outcome: TargetOutcome): AdvisoryRow {
  switch (outcome.kind) {
    case "opened":
      return { ...row, status: "open", pull: outcome.pull };
    case "exists":
      return { ...row, status: outcome.state, pull: outcome.pull };
    case "empty":
      return { ...row, status: "already-on-target" };
    case "conflict":
      // With `backport.conflicts: draft-pr` the draft PR is the row's link; it becomes the backport once ready.
      return { ...row, status: "conflict", issue: outcome.issue, ...(outcome.pull ? { pull: outcome.pull } : {}) };
    case "failed":
      return { ...row, status: "failed" };
    case "skipped":
      return row;
  }
}

const toTarget = (line: ReleaseLine, row: AdvisoryRow): Target => ({
  branch: line.branch, line: line.line, label: line.label, kind: line.kind, status: line.status, endOfSupport: line.endOfSupport,
  reason: `security advisory: ${row.reason}`, nextPatch: row.nextPatch, latest: line.latest,
});

async function sourceOf(port: GitHubPort, fix: AdvisoryFix): Promise<{ source: SourcePull; labels: string[]; plan: () => Promise<PickPlan> }> {
  if (fix.kind === "pull") {
    const pull = await port.getPull(fix.number);
    return { source: toSourcePull(pull), labels: pull.labels, plan: once(() => planPicks(port, pull)) };
  }
  const commit = await port.getCommit(fix.sha);
  const source: SourcePull = { number: 0, commit: fix.sha, title: fix.title, url: "", author: "", mergedBy: null };
  const plan: PickPlan = { method: "squash", picks: [{ sha: commit.sha, parent: commit.parents[0] ?? "", message: commit.message, author: commit.author, coAuthors: [commit.author] }] };
  return { source, labels: [], plan: async () => plan };
}

export async function backportFixes(input: {
  port: GitHubPort;
  config: Config;
  fixes: AdvisoryFix[];
  rows: AdvisoryRow[];
  lines: ReleaseLine[];
  defaultBranch: string;
  log: Pick<Log, "info" | "warn">;
}): Promise<AdvisoryRow[]> {
  let rows = input.rows;
  for (const fix of input.fixes) {
    const work = rows.filter(needsWork).flatMap((row) => {
      const line = input.lines.find((l) => l.branch === row.branch);
      return line ? [toTarget(line, row)] : [];
    });
    if (work.length === 0) break;
    const { source, labels, plan } = await sourceOf(input.port, fix);
    // A fix whose backports are combined (security in backport.combine.selectors) joins each line's combined PR.
    const ctx = { port: input.port, config: input.config, defaultBranch: input.defaultBranch, log: input.log, milestones: once(() => input.port.listMilestones()) };
    const combined = isCombined(input.config, labels, ["security"])
      ? { work: async (target: Target) => (await backportCombined(ctx, target, [{ source, labels, plan }])).get(sourceKey(source)) ?? ({ kind: "failed", reason: "the combined backport did not report on this fix" } as TargetOutcome) }
      : {};
    const { rows: results } = await backportTargets({
      port: input.port, config: input.config, source, labels, plan, targets: work, previous: new Map(), defaultBranch: input.defaultBranch, log: input.log, ...combined,
    });
    rows = rows.map((row) => {
      const result = results.find((r) => r.branch === row.branch);
      return result ? applyOutcome(row, result.outcome) : row;
    });
  }
  return rows;
}

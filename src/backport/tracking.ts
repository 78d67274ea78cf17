/**
 * Tracking issues (one per fix, or one per target line) and conflict issues. GitHub is the database: each
 * issue carries a hidden marker and its rows as embedded state, so it is found and updated in place.
 */
import type { Config } from "../config/schema.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";
import { hasMarker } from "../state/markers.js";
import { readTracking, renderConflictIssue, renderFixTracking, renderLineTracking, trackingDone } from "./render.js";
import { lineLabel } from "./targets.js";
import { sourceKey, type SourcePull, type TargetOutcome, type TargetRow, type TrackingRow, type TrackingStatus } from "./types.js";

export interface TrackingContext {
  port: GitHubPort;
  config: Config;
  source: SourcePull;
  /** Open issues with the tracking label, read once per job. */
  issues: Issue[];
  /** Whether the fix was asked for with the security selector (the issue says so). */
  security: boolean;
}

export function trackingStatus(outcome: TargetOutcome): TrackingStatus | null {
  switch (outcome.kind) {
    case "opened":
      return "open";
    case "exists":
      return outcome.state;
    case "empty":
      return "already-on-target";
    case "conflict":
      return "conflict";
    case "failed":
      return "failed";
    case "skipped":
      return null;
  }
}

/** Statuses only move forward: a re-run that sees the PR as "open" does not undo a recorded merge. */
const SETTLED: TrackingStatus[] = ["merged", "closed", "already-on-target"];

export function mergeRows(previous: TrackingRow[], next: TrackingRow[]): TrackingRow[] {
  const key = (r: TrackingRow) => `${r.source.number}/${r.branch}`;
  const merged = new Map(previous.map((r) => [key(r), r]));
  for (const row of next) {
    const before = merged.get(key(row));
    const keep = before && SETTLED.includes(before.status) && !SETTLED.includes(row.status);
    merged.set(key(row), keep ? before : { ...row, issue: row.issue ?? before?.issue ?? null });
  }
  return [...merged.values()];
}

function toTrackingRows(source: SourcePull, rows: TargetRow[]): TrackingRow[] {
  return rows.flatMap((row) => {
    const status = trackingStatus(row.outcome);
    if (!status) return [];
    const pull = row.outcome.kind === "opened" || row.outcome.kind === "exists" ? row.outcome.pull : null;
    const issue = row.outcome.kind === "conflict" ? row.outcome.issue : null;
    return [{ source: { number: source.number, title: source.title }, branch: row.branch, line: lineLabel(row), nextPatch: row.nextPatch, status, pull, issue }];
  });
}

async function upsertIssue(ctx: TrackingContext, options: { found: Issue | undefined; title: string; body: string; close: boolean; assignees?: string[] }): Promise<Issue> {
  const { port, config } = ctx;
  const { found, title, body, close } = options;
  if (!found) {
    const created = await port.createIssue({ title, body, labels: [config.tracking.label], ...(options.assignees?.length ? { assignees: options.assignees } : {}) });
    ctx.issues.push(created);
    return close ? port.updateIssue({ number: created.number, state: "closed" }) : created;
  }
  if (found.body === body && found.title === title && !close) return found;
  const updated = await port.updateIssue({ number: found.number, title, body, ...(close ? { state: "closed" as const } : {}) });
  ctx.issues[ctx.issues.indexOf(found)] = updated;
  return updated;
}

/** Opens one issue per new conflict, assigned to the fix's author, and links it from the row. */
export async function upsertConflictIssues(ctx: TrackingContext, rows: TargetRow[]): Promise<TargetRow[]> {
  const result: TargetRow[] = [];
  for (const row of rows) {
    const outcome = row.outcome;
    if (outcome.kind !== "conflict" || outcome.issue) {
      result.push(row);
      continue;
    }
    const { title, body } = renderConflictIssue({ source: ctx.source, row, outcome });
    const found = ctx.issues.find((i) => hasMarker(i.body, "conflict", `${sourceKey(ctx.source)}/${row.branch}`));
    const assignees = ctx.source.author === "" || ctx.source.author.endsWith("[bot]") ? [] : [ctx.source.author];
    const issue = found ?? (await upsertIssue(ctx, { found, title, body, close: false, assignees }));
    result.push({ ...row, outcome: { ...outcome, issue: { number: issue.number, url: issue.htmlUrl } } });
  }
  return result;
}

/** Creates or updates the tracking issue(s) for these rows; closes them when every row is done. */
export async function upsertTracking(ctx: TrackingContext, rows: TargetRow[]): Promise<void> {
  const next = toTrackingRows(ctx.source, rows);
  if (next.length === 0) return;
  if (ctx.config.tracking.mode === "fix") {
    const found = ctx.issues.find((i) => hasMarker(i.body, "tracking", `pr-${ctx.source.number}`));
    const merged = mergeRows(readTracking(found?.body ?? null)?.rows ?? [], next);
    const { title, body } = renderFixTracking({ source: ctx.source, rows: merged, security: ctx.security });
    await upsertIssue(ctx, { found, title, body, close: trackingDone(merged) });
    return;
  }
  for (const row of next) {
    // The renderer keys a line's issue by the line's label (`line-36.0.x`).
    const found = ctx.issues.find((i) => hasMarker(i.body, "tracking", `line-${row.line}`));
    const merged = mergeRows(readTracking(found?.body ?? null)?.rows ?? [], [row]);
    const { title, body } = renderLineTracking({ branch: row.branch, line: row.line, nextPatch: row.nextPatch, rows: merged });
    await upsertIssue(ctx, { found, title, body, close: trackingDone(merged) });
  }
}

/**
 * A backport PR was merged or closed: update its row wherever it is tracked, close the tracking issue when
 * every row is done, and close the conflict issue once a hand-made backport lands.
 */
export async function recordBackportClosed(
  ctx: Omit<TrackingContext, "source" | "security">,
  closed: { number: number; url: string; merged: boolean; target: string; /** `pr-123` or `commit-…`. */ source: string },
): Promise<number> {
  let updated = 0;
  const status: TrackingStatus = closed.merged ? "merged" : "closed";
  for (const issue of [...ctx.issues]) {
    const tracking = readTracking(issue.body);
    if (tracking) {
      const row = tracking.rows.find((r) => `pr-${r.source.number}` === closed.source && r.branch === closed.target);
      if (!row || (row.status === status && row.pull?.number === closed.number)) continue;
      const rows = tracking.rows.map((r) => (r === row ? { ...r, status, pull: { number: closed.number, url: closed.url } } : r));
      const rendered = tracking.mode === "fix"
        ? renderFixTracking({ source: { number: row.source.number, title: row.source.title, url: "", author: "", mergedBy: null }, rows, security: tracking.security })
        : renderLineTracking({ branch: row.branch, line: row.line, nextPatch: row.nextPatch, rows });
      await ctx.port.updateIssue({ number: issue.number, title: issue.title, body: rendered.body, ...(trackingDone(rows) ? { state: "closed" as const } : {}) });
      updated++;
    } else if (closed.merged && hasMarker(issue.body, "conflict", `${closed.source}/${closed.target}`)) {
      await ctx.port.updateIssue({ number: issue.number, state: "closed" });
      updated++;
    }
  }
  return updated;
}

/**
 * Tracking issues (one per fix, or one per target line) and conflict issues. GitHub is the database: each
 * issue carries a hidden marker and its rows as embedded state, so it is found and updated in place through
 * the state layer's writer (src/state/records.ts); only the App's own issues count.
 */
import type { Config } from "../config/schema.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";
import { hasMarker } from "../state/markers.js";
import { findOwn, ownOnly, saveIssue } from "../state/records.js";
import { advance, statusOfOutcome } from "../state/rows.js";
import { readTracking, renderConflictIssue, renderFixTracking, renderLineTracking, trackingDone } from "./render.js";
import { sourceKey, type SourcePull, type TargetRow, type TrackingRow, type TrackingStatus } from "./types.js";

export interface TrackingContext {
  port: GitHubPort;
  config: Pick<Config, "tracking">;
  source: SourcePull;
  /** Open issues with the tracking label, read once per job. */
  issues: Issue[];
  /** Whether the fix was asked for with the security selector (the issue says so). */
  security: boolean;
}

/** New rows over recorded ones: statuses only move forward (src/state/rows.ts); links are kept. */
export function mergeRows(previous: TrackingRow[], next: TrackingRow[]): TrackingRow[] {
  const key = (r: TrackingRow) => `${r.source.number}/${r.branch}`;
  const merged = new Map(previous.map((r) => [key(r), r]));
  for (const row of next) {
    const before = merged.get(key(row));
    if (!before) {
      merged.set(key(row), row);
      continue;
    }
    const status = advance(before.status, row.status);
    merged.set(key(row), status === before.status && status !== row.status ? before : { ...row, status, pull: row.pull ?? before.pull, issue: row.issue ?? before.issue });
  }
  return [...merged.values()];
}

function toTrackingRows(source: SourcePull, rows: TargetRow[]): TrackingRow[] {
  return rows.flatMap((row) => {
    const status = statusOfOutcome(row.outcome);
    if (!status) return [];
    const pull = row.outcome.kind === "opened" || row.outcome.kind === "exists" ? row.outcome.pull : row.outcome.kind === "conflict" ? (row.outcome.pull ?? null) : null;
    const issue = row.outcome.kind === "conflict" ? row.outcome.issue : null;
    return [{ source: { number: source.number, title: source.title }, branch: row.branch, line: row.line, label: row.label, nextPatch: row.nextPatch, status, pull, issue }];
  });
}

/** Saves an issue and keeps the job's list of issues current. */
async function save(ctx: TrackingContext, input: Omit<Parameters<typeof saveIssue>[1], "labels">): Promise<Issue> {
  const { issue } = await saveIssue(ctx.port, { ...input, labels: [ctx.config.tracking.label] });
  const index = ctx.issues.findIndex((i) => i.number === issue.number);
  if (index >= 0) ctx.issues[index] = issue;
  else ctx.issues.push(issue);
  return issue;
}

/** Opens one issue per new conflict, assigned to the fix's author, and links it from the row. */
export async function upsertConflictIssues(ctx: TrackingContext, rows: TargetRow[]): Promise<TargetRow[]> {
  const result: TargetRow[] = [];
  for (const row of rows) {
    const outcome = row.outcome;
    // A conflict with a draft PR (`backport.conflicts: draft-pr`) is finished in the draft: no issue.
    if (outcome.kind !== "conflict" || outcome.issue || outcome.pull) {
      result.push(row);
      continue;
    }
    const ref = { kind: "conflict", key: `${sourceKey(ctx.source)}/${row.branch}` };
    const { title, body } = renderConflictIssue({ source: ctx.source, row, outcome });
    const assignees = ctx.source.author === "" || ctx.source.author.endsWith("[bot]") ? [] : [ctx.source.author];
    // A conflict issue is written once: people discuss in it, and the row links it.
    const issue = findOwn(ctx.port, ctx.issues, ref) ?? (await save(ctx, { ref, title, body, assignees, found: null }));
    result.push({ ...row, outcome: { ...outcome, issue: { number: issue.number, url: issue.htmlUrl } } });
  }
  return result;
}

/** Creates or updates the tracking issue(s) for these rows; closes them when every row is done. */
export async function upsertTracking(ctx: TrackingContext, rows: TargetRow[]): Promise<void> {
  const next = toTrackingRows(ctx.source, rows);
  if (next.length === 0) return;
  if (ctx.config.tracking.mode === "fix") {
    const ref = { kind: "tracking", key: `pr-${ctx.source.number}` };
    const found = findOwn(ctx.port, ctx.issues, ref) ?? null;
    const merged = mergeRows(readTracking(found?.body ?? null)?.rows ?? [], next);
    const { title, body } = renderFixTracking({ source: ctx.source, rows: merged, security: ctx.security });
    await save(ctx, { ref, title, body, close: trackingDone(merged), found });
    return;
  }
  for (const row of next) {
    // A line's issue is keyed by the line's label (`line-36.0.x`).
    const ref = { kind: "tracking", key: `line-${row.label}` };
    const found = findOwn(ctx.port, ctx.issues, ref) ?? null;
    const merged = mergeRows(readTracking(found?.body ?? null)?.rows ?? [], [row]);
    const { title, body } = renderLineTracking({ branch: row.branch, label: row.label, nextPatch: row.nextPatch, rows: merged });
    await save(ctx, { ref, title, body, close: trackingDone(merged), found });
  }
}

/**
 * Moves the rows of a backport PR in a tracking issue to `status` (rows only move forward): one row per source
 * it carries (a combined PR carries several). Whether the issue changed.
 */
async function moveTrackedRow(
  ctx: Omit<TrackingContext, "source" | "security">,
  issue: Issue,
  pull: { number: number; url: string; target: string; sources: string[]; status: TrackingStatus },
): Promise<boolean> {
  const tracking = readTracking(issue.body);
  if (!tracking) return false;
  const moved = tracking.rows.filter(
    (r) => pull.sources.includes(`pr-${r.source.number}`) && r.branch === pull.target && !(advance(r.status, pull.status) === r.status && r.pull?.number === pull.number),
  );
  const row = moved[0];
  if (!row) return false;
  const rows = tracking.rows.map((r) => (moved.includes(r) ? { ...r, status: advance(r.status, pull.status), pull: { number: pull.number, url: pull.url } } : r));
  const rendered = tracking.mode === "fix"
    ? renderFixTracking({ source: { number: row.source.number, title: row.source.title, url: "", author: "", mergedBy: null }, rows, security: tracking.security })
    : renderLineTracking({ branch: row.branch, label: row.label, nextPatch: row.nextPatch, rows });
  const ref = { kind: "tracking", key: tracking.mode === "fix" ? `pr-${row.source.number}` : `line-${row.label}` };
  await saveIssue(ctx.port, { ref, title: issue.title, body: rendered.body, labels: [ctx.config.tracking.label], close: trackingDone(rows), found: issue });
  return true;
}

/** A conflict draft became the backport PR (markers resolved, ready for review): its rows read "open". */
export async function recordBackportReady(
  ctx: Omit<TrackingContext, "source" | "security">,
  ready: { number: number; url: string; target: string; /** `pr-123` or `commit-…`. */ source: string },
): Promise<number> {
  let updated = 0;
  for (const issue of ownOnly(ctx.port, ctx.issues)) if (await moveTrackedRow(ctx, issue, { ...ready, sources: [ready.source], status: "open" })) updated++;
  return updated;
}

/**
 * A backport PR was merged or closed: update its row wherever it is tracked, close the tracking issue when
 * every row is done, and close the conflict issue once a hand-made backport lands.
 */
export async function recordBackportClosed(
  ctx: Omit<TrackingContext, "source" | "security">,
  closed: { number: number; url: string; merged: boolean; target: string; /** `pr-123` or `commit-…`; a combined PR carries several. */ sources: string[] },
): Promise<number> {
  let updated = 0;
  const status: TrackingStatus = closed.merged ? "merged" : "closed";
  for (const issue of ownOnly(ctx.port, ctx.issues)) {
    if (readTracking(issue.body)) {
      if (await moveTrackedRow(ctx, issue, { ...closed, status })) updated++;
    } else if (closed.merged && issue.state === "open" && closed.sources.some((source) => hasMarker(issue.body, "conflict", `${source}/${closed.target}`))) {
      await ctx.port.updateIssue({ number: issue.number, state: "closed" });
      updated++;
    }
  }
  return updated;
}

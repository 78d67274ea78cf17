/**
 * The tracked-row model shared by fix tracking (a backport's rows) and advisory tracking (an advisory's
 * affected lines): one status set, one outcome mapper, transitions as a table, and one "done" rule.
 *
 * Rows only move forward: a re-run that sees an older fact (a PR as "open" after its merge was recorded)
 * never undoes progress. Fix tracking is done once every row is merged (or settled otherwise); advisory
 * tracking waits for the patch release.
 */
import type { TargetOutcome } from "../backport/types.js";

export const ROW_STATUSES = ["pending", "failed", "conflict", "open", "closed", "merged", "already-on-target", "released", "dismissed"] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** From each status, the statuses a row may move to. Anything else keeps the row as it is. */
const TRANSITIONS: Record<RowStatus, readonly RowStatus[]> = {
  pending: ["failed", "conflict", "open", "closed", "merged", "already-on-target", "released", "dismissed"],
  failed: ["pending", "conflict", "open", "closed", "merged", "already-on-target", "released", "dismissed"],
  conflict: ["failed", "open", "closed", "merged", "already-on-target", "released", "dismissed"],
  open: ["closed", "merged", "released", "dismissed"],
  // Closed without merging is a maintainer's decision; a PR reopened and merged after all still counts.
  closed: ["merged", "released", "dismissed"],
  merged: ["released", "dismissed"],
  "already-on-target": ["released", "dismissed"],
  released: [],
  dismissed: [],
};

/** The status a row moves to when `next` is observed: `next` when the table allows it, else `current`. */
export function advance(current: RowStatus, next: RowStatus): RowStatus {
  return current === next || TRANSITIONS[current].includes(next) ? next : current;
}

export const canAdvance = (current: RowStatus, next: RowStatus): boolean => current !== next && TRANSITIONS[current].includes(next);

/** How far a kind of tracking follows a row: to the merged backport, or to the patch release. */
export type TrackedUntil = "merged" | "released";

const DONE: Record<TrackedUntil, ReadonlySet<RowStatus>> = {
  // Closed without merging counts as dismissed: a maintainer decided.
  merged: new Set<RowStatus>(["merged", "already-on-target", "closed", "released", "dismissed"]),
  released: new Set<RowStatus>(["released", "dismissed"]),
};

export const rowDone = (status: RowStatus, until: TrackedUntil): boolean => DONE[until].has(status);

/** Every row done. A record with no rows is not done: it has tracked nothing yet. */
export function allDone(rows: readonly { status: RowStatus }[], until: TrackedUntil): boolean {
  return rows.length > 0 && rows.every((r) => rowDone(r.status, until));
}

/** Rows still waiting for a backport to be made (a failed one is tried again). */
export const needsBackport = (status: RowStatus): boolean => status === "pending" || status === "failed";

/** What a backport outcome means for a row; null for a target that was skipped (no row). */
export function statusOfOutcome(outcome: TargetOutcome): RowStatus | null {
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

/**
 * Tracking issues: one per fix (a row per target) or one per release line (a row per source PR). The checklist
 * is for people; the embedded state is what the App reads back, so ticking a box by hand changes nothing.
 */
import { embedState, marker } from "../state/markers.js";
import { readState } from "../state/read-state.js";
import { allDone } from "../state/rows.js";
import { trackingStateSchema } from "../state/schemas.js";
import { code, inline, ref } from "./render-summary.js";
import type { SourcePull, TrackingRow } from "./types.js";

export type TrackingMode = "fix" | "line";

export interface TrackingState {
  mode: TrackingMode;
  rows: TrackingRow[];
  /** Per-fix issues for a security fix; kept in the state so a re-render does not lose it. */
  security: boolean;
}

const pullSuffix = (row: TrackingRow) => (row.pull ? ` ${ref(row.pull)}` : "");

function describeStatus(row: TrackingRow): string {
  switch (row.status) {
    case "pending":
      return "pending";
    case "open":
      return row.pull ? `backport PR ${ref(row.pull)} open` : "backport PR open";
    case "merged":
      return row.pull ? `merged in ${ref(row.pull)}` : "merged";
    case "closed":
      return `closed without merging${pullSuffix(row)}`;
    case "conflict":
      if (row.pull && !row.issue) return `conflict: draft ${ref(row.pull)} to finish`;
      return row.issue ? `conflict: see ${ref(row.issue)}` : "conflict";
    case "already-on-target":
      return "already on this line";
    case "failed":
      return "failed";
    case "released":
      return row.pull ? `released (${ref(row.pull)})` : "released";
    case "dismissed":
      return "dismissed";
  }
}

const box = (row: TrackingRow) => (["merged", "already-on-target", "released"].includes(row.status) ? "- [x]" : "- [ ]");

export interface FixTrackingInput {
  source: SourcePull;
  rows: TrackingRow[];
  security: boolean;
}

export function renderFixTracking(input: FixTrackingInput): { title: string; body: string } {
  const { source, rows, security } = input;
  const items = rows.map((r) => `${box(r)} ${inline(r.label)} (${code(r.branch)}), ships in ${inline(r.nextPatch)}: ${describeStatus(r)}`);
  const body = [
    marker("tracking", `pr-${source.number}`),
    `Backports of #${source.number} (${inline(source.title)}), one row per target. ` +
      "lts-steward updates this list as backport PRs are merged or closed, and closes this issue when every row is done.",
    ...(security ? ["This is a security fix: the affected release lines get their patch releases together."] : []),
    items.length > 0 ? items.join("\n") : "No targets yet.",
    embedState({ version: 1, mode: "fix", security, rows }),
  ];
  return { title: `Backports of #${source.number}: ${source.title.replace(/\s+/g, " ").trim()}`, body: body.join("\n\n") };
}

export interface LineTrackingInput {
  branch: string;
  /** The line's label as people read it, e.g. `36.0.x` (it keys the issue's marker). */
  label: string;
  nextPatch: string;
  rows: TrackingRow[];
}

export function renderLineTracking(input: LineTrackingInput): { title: string; body: string } {
  const { branch, label, nextPatch, rows } = input;
  const items = rows.map((r) => `${box(r)} #${r.source.number} ${inline(r.source.title)}: ${describeStatus(r)}`);
  const body = [
    marker("tracking", `line-${label}`),
    `Backports to ${code(branch)} (release line ${inline(label)}) that ship in ${inline(nextPatch)}, one row per source PR. ` +
      "lts-steward updates this list as backport PRs are merged or closed.",
    items.length > 0 ? items.join("\n") : "No backports yet.",
    embedState({ version: 1, mode: "line", branch, line: label, rows }),
  ];
  return { title: `Backports to ${branch} (${label})`, body: body.join("\n\n") };
}

/** The mode and rows a tracking issue was rendered from; null when absent or not of this shape. */
export function readTracking(body: string | null): TrackingState | null {
  const state = readState(body, trackingStateSchema);
  if (!state) return null;
  return { mode: state.mode, rows: state.rows, security: state.mode === "fix" && state.security };
}

/** Fix tracking follows a row until its backport is merged (or settled otherwise). */
export const trackingDone = (rows: TrackingRow[]): boolean => allDone(rows, "merged");

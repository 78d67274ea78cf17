/**
 * Tracking issues: one per fix (a row per target) or one per release line (a row per source PR). The checklist
 * is for people; the embedded state is what the App reads back, so ticking a box by hand changes nothing.
 */
import { embedState, marker, readState } from "../state/markers.js";
import { code, inline, ref } from "./render-summary.js";
import type { SourcePull, TrackingRow, TrackingStatus } from "./types.js";

export type TrackingMode = "fix" | "line";

export interface TrackingState {
  mode: TrackingMode;
  rows: TrackingRow[];
  /** Per-fix issues for a security fix; kept in the state so a re-render does not lose it. */
  security: boolean;
}

const STATUSES = new Set<TrackingStatus>(["pending", "open", "merged", "closed", "conflict", "already-on-target", "failed"]);

/** Rows that need nothing more; closed without merging counts as dismissed. */
const FINISHED = new Set<TrackingStatus>(["merged", "already-on-target", "closed"]);

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
      return row.issue ? `conflict: see ${ref(row.issue)}` : "conflict";
    case "already-on-target":
      return "already on this line";
    case "failed":
      return "failed";
  }
}

const box = (row: TrackingRow) => (row.status === "merged" || row.status === "already-on-target" ? "- [x]" : "- [ ]");

export interface FixTrackingInput {
  source: SourcePull;
  rows: TrackingRow[];
  security: boolean;
}

export function renderFixTracking(input: FixTrackingInput): { title: string; body: string } {
  const { source, rows, security } = input;
  const items = rows.map((r) => `${box(r)} ${inline(r.line)} (${code(r.branch)}), ships in ${inline(r.nextPatch)}: ${describeStatus(r)}`);
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
  /** The line's label as people read it, e.g. `36.0.x`. */
  line: string;
  nextPatch: string;
  rows: TrackingRow[];
}

export function renderLineTracking(input: LineTrackingInput): { title: string; body: string } {
  const { branch, line, nextPatch, rows } = input;
  const items = rows.map((r) => `${box(r)} #${r.source.number} ${inline(r.source.title)}: ${describeStatus(r)}`);
  const body = [
    marker("tracking", `line-${line}`),
    `Backports to ${code(branch)} (release line ${inline(line)}) that ship in ${inline(nextPatch)}, one row per source PR. ` +
      "lts-steward updates this list as backport PRs are merged or closed.",
    items.length > 0 ? items.join("\n") : "No backports yet.",
    embedState({ version: 1, mode: "line", branch, line, rows }),
  ];
  return { title: `Backports to ${branch} (${line})`, body: body.join("\n\n") };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function isRow(value: unknown): value is TrackingRow {
  if (!isObject(value) || !isObject(value.source)) return false;
  return (
    typeof value.source.number === "number" &&
    typeof value.branch === "string" &&
    typeof value.line === "string" &&
    STATUSES.has(value.status as TrackingStatus)
  );
}

/** The mode and rows a tracking issue was rendered from; null when absent or not ours. */
export function readTracking(body: string | null): TrackingState | null {
  const state = readState(body);
  if (!isObject(state) || state.version !== 1) return null;
  if (state.mode !== "fix" && state.mode !== "line") return null;
  if (!Array.isArray(state.rows) || !state.rows.every(isRow)) return null;
  return { mode: state.mode, rows: state.rows, security: state.security === true };
}

/** Every row merged, already on its target or closed. An issue with no rows is not done: it has tracked nothing yet. */
export function trackingDone(rows: TrackingRow[]): boolean {
  return rows.length > 0 && rows.every((r) => FINISHED.has(r.status));
}

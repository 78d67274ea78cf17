/**
 * The monthly "LTS automation check-in" issue: what the App did last month, what is due next month, a short
 * checklist for the maintainers, and what the App has done so far this month. The activity lives in the
 * embedded state so each tick can append to it; everything else is re-rendered from GitHub and the engine.
 */
import { embedState, marker } from "../state/markers.js";
import { readState } from "../state/read-state.js";
import { checkinStateSchema, type CheckinState } from "../state/schemas.js";
import { code, inline } from "../backport/render-summary.js";
import type { IsoDate, LineKind } from "../engine/types.js";
import type { ActivityEntry } from "./types.js";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const MONTH_KEY = /^(\d{4})-(\d{2})$/;

/** `2025-11-21` → `2025-11`. */
export const monthKey = (day: IsoDate): string => day.slice(0, 7);

/** `2025-11` → `November 2025`; anything else as written. */
export function monthName(key: string): string {
  const match = MONTH_KEY.exec(key);
  const name = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && name ? `${name} ${match[1]}` : key;
}

/** The month `delta` months after `key` (before, when negative): `shiftMonth("2025-01", -1)` → `2024-12`. */
export function shiftMonth(key: string, delta: number): string {
  const match = MONTH_KEY.exec(key);
  if (!match) throw new Error(`not a month: ${key}`);
  const index = Number(match[1]) * 12 + (Number(match[2]) - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export const isMonthKey = (key: string): boolean => MONTH_KEY.test(key) && Number(key.slice(5)) >= 1 && Number(key.slice(5)) <= 12;

export const checkinTitle = (key: string): string => `LTS automation check-in: ${monthName(key)}`;

/** The marker kind of check-in issues; the key is the month (`2025-11`). */
export const CHECKIN_KIND = "checkin";

export type { CheckinState };

/** A backport PR the App opened (its head branch carries the backport prefix). */
export interface CheckinPull {
  number: number;
  /** The release branch it goes into. */
  target: string;
  state: "open" | "closed" | "merged";
}

/** A conflict issue: a backport that needed a person. */
export interface CheckinConflict {
  number: number;
  /** The source PR, when the issue's state names it. */
  source: number | null;
  branch: string | null;
  state: "open" | "closed";
}

export interface CheckinAdvisory {
  number: number;
  ghsaId: string;
}

/** What the App did in a month: read from GitHub (PRs, issues) and from that month's check-in activity. */
export interface LastMonthSummary {
  month: string;
  cuts: ActivityEntry[];
  backportPulls: CheckinPull[];
  conflicts: CheckinConflict[];
  advisories: CheckinAdvisory[];
  /** `dispatch` and `dispatch-failed` entries. */
  dispatches: ActivityEntry[];
  endsOfSupport: ActivityEntry[];
  errors: ActivityEntry[];
}

export interface DueEvent {
  /** The engine's line key: `40`, `1.4`. */
  line: string;
  /** As people write it: `40.0.x`. */
  label: string;
  branch: string;
  kind: LineKind;
  date: IsoDate;
}

export interface DueRelease extends DueEvent {
  version: string;
  /** The line's nominal cut, when the calendar has one. */
  cut: IsoDate | null;
}

export interface NextLts {
  line: string;
  label: string;
  branch: string;
  nominalRelease: IsoDate | null;
}

/** What the calendar says happens in a month (the one after the check-in's). */
export interface DueNextMonth {
  month: string;
  cuts: DueEvent[];
  releases: DueRelease[];
  endsOfSupport: (DueEvent & { projected: boolean })[];
  /** The first LTS line not released yet. */
  nextLts: NextLts | null;
  /** The next release whatever its month, for the checklist. */
  nextRelease: DueRelease | null;
}

export interface CheckinInput {
  month: string;
  lastMonth: LastMonthSummary;
  due: DueNextMonth;
  activity: ActivityEntry[];
}

const KIND_NAMES: Record<ActivityEntry["kind"], string> = {
  cut: "branch cut",
  dispatch: "CI dispatched",
  "dispatch-failed": "CI dispatch failed",
  "end-of-support": "end of support",
  error: "error",
};

/** `the backport PR still open`, `the 2 backport PRs still open`. */
const stillOpen = (count: number, one: string) => (count === 1 ? `the ${one} still open` : `the ${count} ${one}s still open`);

const renderEntry = (e: ActivityEntry): string =>
  `${inline(e.on)} ${KIND_NAMES[e.kind]} ${code(e.subject)}${e.detail.trim() ? `: ${inline(e.detail)}` : ""}`;

/** `- Heading: none`, `- Heading: text`, or a heading with a nested list. */
function item(heading: string, summary: string | null, entries: string[]): string {
  if (entries.length === 0) return `- ${heading}: ${summary ?? "none"}`;
  return [`- ${heading}: ${summary ?? entries.length}`, ...entries.map((e) => `  - ${e}`)].join("\n");
}

const pullState = (p: CheckinPull) => (p.state === "open" ? "open" : p.state === "merged" ? "merged" : "closed without merging");

/** `#120: backport of #45 onto `release-36.0.0` (open)`. */
function renderConflict(c: CheckinConflict): string {
  const of = c.source !== null ? ` of #${c.source}` : "";
  const onto = c.branch ? ` onto ${code(c.branch)}` : "";
  return `#${c.number}: backport${of}${onto} (${c.state})`;
}

function renderLastMonth(s: LastMonthSummary): string {
  const failed = s.dispatches.filter((d) => d.kind === "dispatch-failed");
  const dispatchSummary = s.dispatches.length === 0 ? null : `${s.dispatches.length}${failed.length > 0 ? `, ${failed.length} failed` : ", none failed"}`;
  const items = [
    item("Branch cuts", null, s.cuts.map(renderEntry)),
    item("Backport PRs opened", null, s.backportPulls.map((p) => `#${p.number} into ${code(p.target)} (${pullState(p)})`)),
    item("Conflicts that needed a person", null, s.conflicts.map(renderConflict)),
    item("Advisories tracked", null, s.advisories.map((a) => `${inline(a.ghsaId)} (#${a.number})`)),
    // Only the failures are listed: a successful dispatch needs nothing from anyone.
    s.dispatches.length === 0 ? item("CI dispatches", null, []) : item("CI dispatches", dispatchSummary, failed.map(renderEntry)),
    ...(s.endsOfSupport.length > 0 ? [item("Ends of support", null, s.endsOfSupport.map(renderEntry))] : []),
    item("Errors", null, s.errors.map(renderEntry)),
  ];
  return `### Last month (${monthName(s.month)})\n\n${items.join("\n")}`;
}

const lineAndBranchOf = (e: { label: string; branch: string }) => `${inline(e.label)} (${code(e.branch)})`;

function renderDue(due: DueNextMonth): string {
  const join = (parts: string[]) => (parts.length > 0 ? parts.join("; ") : "none");
  const lts = due.nextLts
    ? `${lineAndBranchOf(due.nextLts)}${due.nextLts.nominalRelease ? `, nominal release ${due.nextLts.nominalRelease}` : ", release date not known"}`
    : "none planned";
  const items = [
    `- Branch cuts: ${join(due.cuts.map((c) => `${code(c.branch)} on ${c.date}`))}`,
    `- Releases: ${join(due.releases.map((r) => `${inline(r.version)}${r.kind === "lts" ? " (LTS)" : ""} on ${r.date}`))}`,
    `- Ends of support: ${join(due.endsOfSupport.map((e) => `${lineAndBranchOf(e)} on ${e.date}${e.projected ? " (projected)" : ""}`))}`,
    `- Next LTS line: ${lts}`,
  ];
  return `### Due in ${monthName(due.month)}\n\n${items.join("\n")}`;
}

function renderChecklist(s: LastMonthSummary, due: DueNextMonth): string {
  const openPulls = s.backportPulls.filter((p) => p.state === "open");
  const openConflicts = s.conflicts.filter((c) => c.state === "open");
  const dispatched = [...new Set(s.dispatches.map((d) => d.subject))];
  const next = due.nextRelease;
  const items = [
    openPulls.length > 0
      ? `Review ${stillOpen(openPulls.length, "backport PR")} from last month: ${openPulls.map((p) => `#${p.number}`).join(", ")}`
      : null,
    openConflicts.length > 0
      ? `Finish ${stillOpen(openConflicts.length, "conflict issue")} from last month: ${openConflicts.map((c) => `#${c.number}`).join(", ")}`
      : null,
    dispatched.length > 0 ? `Check the LTS CI results on the dispatched branches: ${dispatched.map(code).join(", ")}` : null,
    next
      ? `Confirm the next release: ${inline(next.version)} on ${next.date}${next.cut ? ` (nominal cut of ${code(next.branch)}: ${next.cut})` : ""}`
      : "Confirm the next release date: the calendar has none",
    "Confirm the lts-steward automation runs: this issue opening on time says it ran; \"This month so far\" below grows as it works",
  ];
  return `### Checklist\n\n${items.filter((i): i is string => i !== null).map((i) => `- [ ] ${i}`).join("\n")}`;
}

function renderActivity(activity: ActivityEntry[]): string {
  const body = activity.length > 0 ? activity.map((e) => `- ${renderEntry(e)}`).join("\n") : "Nothing yet: lts-steward lists what it does here as the month goes on.";
  return `### This month so far\n\n${body}`;
}

export function renderCheckin(input: CheckinInput): string {
  const { month, lastMonth, due, activity } = input;
  const state: CheckinState = { version: 1, month, activity };
  return [
    marker(CHECKIN_KIND, month),
    `lts-steward's check-in for ${monthName(month)}: what it did in ${monthName(lastMonth.month)}, what is due in ${monthName(due.month)}, ` +
      "and what the maintainers should look at. It updates this issue as the month goes on and closes it when the next one opens.",
    renderLastMonth(lastMonth),
    renderDue(due),
    renderChecklist(lastMonth, due),
    renderActivity(activity),
    embedState(state),
  ].join("\n\n");
}

/**
 * The rendered body with the boxes people ticked in `previous` ticked again (same item text), so a re-render
 * neither undoes their ticks nor counts them as a change.
 */
export function keepTicks(body: string, previous: string | null): string {
  if (previous === null) return body;
  const ticked = new Set(
    previous
      .replace(/\r\n/g, "\n")
      .split("\n")
      .flatMap((line) => {
        const match = /^- \[[xX]\] (.*)$/.exec(line);
        return match?.[1] !== undefined ? [match[1].trimEnd()] : [];
      }),
  );
  if (ticked.size === 0) return body;
  return body
    .split("\n")
    .map((line) => {
      const match = /^- \[ \] (.*)$/.exec(line);
      return match?.[1] !== undefined && ticked.has(match[1].trimEnd()) ? `- [x] ${match[1]}` : line;
    })
    .join("\n");
}

/** Bodies compared as GitHub keeps them: people's edits may turn line ends into CRLF. */
export const sameBody = (a: string | null, b: string | null): boolean =>
  (a ?? "").replace(/\r\n/g, "\n").trimEnd() === (b ?? "").replace(/\r\n/g, "\n").trimEnd();

/** The state a check-in was rendered from; null when absent, corrupt or not a check-in. */
export function readCheckin(body: string | null): CheckinState | null {
  return readState(body, checkinStateSchema);
}

const entryKey = (e: ActivityEntry) => JSON.stringify([e.on, e.kind, e.subject, e.detail]);

/** `known` followed by the entries of `added` it does not already hold (identical entries count once). */
export function mergeActivity(known: ActivityEntry[], added: ActivityEntry[]): ActivityEntry[] {
  const seen = new Set(known.map(entryKey));
  const merged = [...known];
  for (const e of added) {
    const key = entryKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push({ on: e.on, kind: e.kind, subject: e.subject, detail: e.detail });
  }
  return merged;
}

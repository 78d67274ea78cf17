/**
 * A history that stops short: a clone last fetched months ago has no tags for the lines released since, and
 * every answer would silently leave those lines out. With a calendar, the lines after the newest released one
 * whose nominal release is more than a grace period before the query day should exist: say so.
 */
import { addDaysTo } from "../engine/dates.js";
import { lineFrame } from "../engine/lines.js";
import { compareLines, lineOfVersion, type LineId, type Naming } from "../engine/naming.js";
import type { IsoDate, Policy, ReleaseHistory } from "../engine/types.js";

/** A release a few days late is not a stale history. */
export const GRACE_DAYS = 7;
/** The most missing lines named (the rest are counted). */
const NAMED = 6;

export interface StaleHistory {
  /** The newest release in the history, or null when it has none. */
  newest: { version: string; date: IsoDate } | null;
  /** First versions the calendar says were due by the query day (less the grace), oldest first. */
  missing: { version: string; due: IsoDate }[];
}

const nextLine = (id: LineId, naming: Naming): LineId => (naming.granularity === "major" ? { major: id.major + 1, minor: 0 } : { major: id.major, minor: id.minor + 1 });
const firstVersion = (id: LineId) => `${id.major}.${id.minor}.0`;

/** The lines due by `on` that the history does not have, or null when there is nothing to say. */
export function staleHistory(policy: Policy, naming: Naming, history: ReleaseHistory, on: IsoDate): StaleHistory | null {
  if (!policy.calendar) return null;
  // Final releases only: a release candidate does not release its line.
  const released = history.releases.filter((r) => r.date <= on && !r.version.includes("-"));
  if (released.length === 0) return null;
  const ids = released.map((r) => lineOfVersion(r.version, naming.granularity));
  let id = ids.reduce((a, b) => (compareLines(a, b) >= 0 ? a : b));
  const newest = released.reduce((a, b) => (b.date > a.date ? b : a));
  const frame = lineFrame(policy, naming, ids);
  const cutoff = addDaysTo(on, -GRACE_DAYS);
  const missing: StaleHistory["missing"] = [];
  // At most a few hundred lines (twenty years of monthly releases): the calendar is bounded.
  for (let i = 0; i < 240; i++) {
    id = nextLine(id, naming);
    const ordinal = frame.ordinals.of(id);
    const due = ordinal === null ? null : frame.nominal(ordinal).release;
    if (due === null || due > cutoff) break;
    missing.push({ version: firstVersion(id), due });
  }
  return missing.length > 0 ? { newest: { version: newest.version, date: newest.date }, missing } : null;
}

/** The warning, for stderr: what is missing, the newest release seen, and what to do. */
export function describeStale(stale: StaleHistory, source: "git" | "json"): string {
  const named = stale.missing.slice(0, NAMED).map((m) => m.version);
  const more = stale.missing.length - named.length;
  const list = more > 0 ? `${named.join(", ")} and ${more} more` : named.length > 1 ? `${named.slice(0, -1).join(", ")} and ${named.at(-1)}` : named[0];
  const last = stale.missing.at(-1)!;
  const newest = stale.newest ? `its newest release is ${stale.newest.version} (${stale.newest.date})` : "it has no release";
  const hint = source === "git" ? "fetch the tags and branches (`git fetch --tags origin`) and ask again" : "bring the releases file up to date and ask again";
  return (
    `lts-steward: warning: this history stops short: ${newest}, but the calendar says ${list} ${stale.missing.length === 1 ? "was" : "were"} due by ${last.due}. ` +
    `The answer below leaves ${stale.missing.length === 1 ? "that line" : "those lines"} out or takes ${stale.missing.length === 1 ? "it" : "them"} as not released yet; ${hint}. (A release that is only late shows here too.)`
  );
}

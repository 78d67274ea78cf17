/** End of support: how long a line's window runs, from a duration or a count of newer lines. */
import { nominalRelease } from "./calendar.js";
import { addDaysTo, addDuration, formatDuration, orUnknown } from "./dates.js";
import type { Calendar, Duration, IsoDate, LtsRule, SupportWindow } from "./types.js";

/** What the window computation needs to know about one line. */
export interface WindowLine {
  key: string;
  ordinal: number;
  nominalRelease: IsoDate | null;
  released: IsoDate | null;
}

export interface EndOfSupport {
  date: IsoDate | null;
  basis: string;
  projected: boolean;
}

export interface WindowContext {
  calendar: Calendar | null;
  anchorOrdinal: number;
  windowFrom: "nominal" | "actual";
  /** Released lines of the window's cohort (all lines, or LTS lines), in line order. */
  releasedCohort: WindowLine[];
  /** Ordinals of the cohort's future lines after `ordinal`, nearest first (at most `count`). */
  futureOrdinals: (ordinal: number, count: number) => number[];
  cohortName: string;
}

export function endOfSupport(line: WindowLine, window: SupportWindow, ctx: WindowContext): EndOfSupport {
  const end = orUnknown(() => (window.type === "duration" ? durationEnd(line, window.duration, ctx) : countEnd(line, window.latest, ctx)));
  // An end beyond the years the engine computes in is not known: the line counts as supported.
  return end ?? { date: null, basis: "beyond the year 9999", projected: true };
}

function durationEnd(line: WindowLine, duration: Duration, ctx: WindowContext): EndOfSupport {
  const span = formatDuration(duration);
  if (ctx.windowFrom === "nominal" && line.nominalRelease) {
    return { date: addDuration(line.nominalRelease, duration), basis: `${span} from nominal release ${line.nominalRelease}`, projected: false };
  }
  if (line.released) {
    return { date: addDuration(line.released, duration), basis: `${span} from release ${line.released}`, projected: false };
  }
  if (line.nominalRelease) {
    return { date: addDuration(line.nominalRelease, duration), basis: `${span} from its release, due ${line.nominalRelease}`, projected: true };
  }
  return { date: null, basis: `${span} from its release`, projected: true };
}

function countEnd(line: WindowLine, latest: number, ctx: WindowContext): EndOfSupport {
  const rule = `latest ${latest} ${ctx.cohortName}`;
  const cohort = ctx.releasedCohort;
  const firstNewer = firstIndexAfter(cohort, line.ordinal);
  const replacing = cohort[firstNewer + latest - 1];
  if (replacing?.released) {
    return { date: addDaysTo(replacing.released, -1), basis: `until ${replacing.key} was released on ${replacing.released} (${rule})`, projected: false };
  }
  const newerCount = cohort.length - firstNewer;
  const lastKnown = newerCount > 0 ? (cohort.at(-1)?.ordinal ?? line.ordinal) : line.ordinal;
  const needed = latest - newerCount;
  const ordinal = ctx.futureOrdinals(lastKnown, needed)[needed - 1];
  const what = needed === 1 ? `the next ${ctx.cohortName.replace(/s$/, "")} is` : `${needed} more ${ctx.cohortName} are`;
  if (ctx.calendar && ordinal !== undefined) {
    const due = nominalRelease(ctx.calendar, ordinal - ctx.anchorOrdinal);
    return { date: addDaysTo(due, -1), basis: `until ${what} released, due ${due} (${rule})`, projected: true };
  }
  return { date: null, basis: `until ${what} released (${rule})`, projected: true };
}

/** Index of the first line with an ordinal above `ordinal` (binary search: the cohort is sorted). */
function firstIndexAfter(cohort: WindowLine[], ordinal: number): number {
  let low = 0;
  let high = cohort.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cohort[mid]?.ordinal ?? Infinity) > ordinal) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Ordinals of the LTS lines after `ordinal` under a rule (nearest first). */
export function futureLtsOrdinals(rule: LtsRule, ordinalOf: (line: string) => number | null) {
  return (ordinal: number, count: number): number[] => {
    if (count <= 0) return [];
    if (rule.type === "every") {
      const from = ordinalOf(rule.from);
      if (from === null) return [];
      const first = ordinal < from ? from : from + (Math.floor((ordinal - from) / rule.every) + 1) * rule.every;
      return Array.from({ length: count }, (_, i) => first + i * rule.every);
    }
    if (rule.type === "list") {
      return rule.lines
        .map(ordinalOf)
        .filter((o): o is number => o !== null && o > ordinal)
        .sort((a, b) => a - b)
        .slice(0, count);
    }
    return [];
  };
}

export function laterOf(a: EndOfSupport, b: EndOfSupport): EndOfSupport {
  if (a.date === null) return a;
  if (b.date === null) return b;
  return b.date > a.date ? b : a;
}

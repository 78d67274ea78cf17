/**
 * The engine's own guard on a `Policy`: the config schema never produces a bad one, but the engine is a
 * library too (the CLI, tests, other callers build policies), and a count of 0 or a NaN day would otherwise
 * surface as a RangeError or an endless projection. A bad field is an `EngineError` (`bad-policy`) naming it.
 */
import { parseIsoDate } from "./dates.js";
import { EngineError } from "./errors.js";
import type { Duration, Policy, SupportWindow } from "./types.js";

/** The most lines a count window can wait for ("latest N releases"); the schema allows far fewer. */
export const MAX_WINDOW_COUNT = 10_000;

const UNITS = ["day", "week", "month", "year"];

function fail(field: string, value: unknown, expected: string): never {
  throw new EngineError({ code: "bad-policy", field, value: JSON.stringify(value) ?? String(value), expected });
}

const isInt = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;

function checkDuration(field: string, duration: Duration): void {
  if (!isInt(duration.amount, 1)) fail(`${field}.amount`, duration.amount, "a whole number of at least 1");
  if (!UNITS.includes(duration.unit)) fail(`${field}.unit`, duration.unit, UNITS.join(", "));
}

function checkWindow(field: string, window: SupportWindow): void {
  if (window.type === "duration") checkDuration(`${field}.duration`, window.duration);
  else if (!isInt(window.latest, 1, MAX_WINDOW_COUNT)) fail(`${field}.latest`, window.latest, `a whole number from 1 to ${MAX_WINDOW_COUNT}`);
}

function checkDay(field: string, value: string): void {
  try {
    parseIsoDate(value);
  } catch {
    fail(field, value, "a calendar day as YYYY-MM-DD");
  }
}

export function checkPolicy(policy: Policy): void {
  const cal = policy.calendar;
  if (cal) {
    checkDuration("calendar.cadence", cal.cadence);
    checkDay("calendar.anchorDate", cal.anchorDate);
    if (cal.releaseDay !== null && !isInt(cal.releaseDay, 1, 31)) fail("calendar.releaseDay", cal.releaseDay, "a day of the month, 1 to 31");
    if (cal.cutDay !== null && !isInt(cal.cutDay, 1, 31)) fail("calendar.cutDay", cal.cutDay, "a day of the month, 1 to 31");
    if (cal.cutDaysBefore !== null && !isInt(cal.cutDaysBefore, 0)) fail("calendar.cutDaysBefore", cal.cutDaysBefore, "a whole number of days, 0 or more");
  }
  checkWindow("regular", policy.regular);
  checkWindow("lts.window", policy.lts.window);
  if (policy.lts.rule.type === "every" && !isInt(policy.lts.rule.every, 1)) fail("lts.rule.every", policy.lts.rule.every, "a whole number of at least 1");
  policy.overrides.forEach((o, i) => {
    if (o.endOfSupport !== undefined) checkDay(`overrides[${i}].endOfSupport`, o.endOfSupport);
    if (o.extend !== undefined) checkDuration(`overrides[${i}].extend`, o.extend);
  });
}

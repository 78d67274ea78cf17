/** Calendar-day arithmetic in UTC. Policy dates are days, never instants. */
import { UTCDate } from "@date-fns/utc";
import { addDays, addMonths, addWeeks, addYears, getDaysInMonth } from "date-fns";
import { EngineError } from "./errors.js";
import type { Duration, IsoDate } from "./types.js";

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(value: string): UTCDate {
  const match = ISO_DAY.exec(value);
  if (!match) throw new EngineError({ code: "bad-date", value });
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new UTCDate(year, month - 1, day);
  if (date.getMonth() !== month - 1 || date.getDate() !== day) {
    throw new EngineError({ code: "bad-date", value });
  }
  return date;
}

export function isIsoDate(value: string): boolean {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** The UTC calendar day of an instant (a git timestamp, `new Date()`, a UTCDate). */
export function toIsoDay(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10);
}

/** Adds `times` × duration to a day. Months clamp to the month's end (Jan 31 + 1 month = Feb 28/29). */
export function addDuration(day: IsoDate, duration: Duration, times = 1): IsoDate {
  const date = parseIsoDate(day);
  const n = duration.amount * times;
  switch (duration.unit) {
    case "day":
      return toIsoDay(addDays(date, n));
    case "week":
      return toIsoDay(addWeeks(date, n));
    case "month":
      return toIsoDay(addMonths(date, n));
    case "year":
      return toIsoDay(addYears(date, n));
  }
}

export function addDaysTo(day: IsoDate, days: number): IsoDate {
  return toIsoDay(addDays(parseIsoDate(day), days));
}

/** The same month as `day`, on day-of-month `dayOfMonth` (clamped to the month's length). */
export function withDayOfMonth(day: IsoDate, dayOfMonth: number): IsoDate {
  const date = parseIsoDate(day);
  const clamped = Math.min(dayOfMonth, getDaysInMonth(date));
  return toIsoDay(new UTCDate(date.getFullYear(), date.getMonth(), clamped));
}

export function formatDuration(duration: Duration): string {
  return `${duration.amount} ${duration.unit}${duration.amount === 1 ? "" : "s"}`;
}

const DURATION = /^\s*(\d+)\s*(day|week|month|year)s?\s*$/;

export function parseDuration(value: string): Duration {
  const match = DURATION.exec(value);
  if (!match || Number(match[1]) <= 0) throw new EngineError({ code: "bad-duration", value });
  return { amount: Number(match[1]), unit: match[2] as Duration["unit"] };
}

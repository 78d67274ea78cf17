/**
 * Calendar-day arithmetic in UTC. Policy dates are days, never instants. Every day the engine reads or
 * computes lies in the years 0000–9999 (`YYYY-MM-DD`): arithmetic that leaves them is an `EngineError`
 * (`date-out-of-range`), never a `RangeError` or an invalid date. `orUnknown` turns such a date into "not
 * known" where a projection may reach that far (a line thousands of years away on the calendar).
 */
import { UTCDate } from "@date-fns/utc";
import { addDays, addMonths, addWeeks, addYears, getDaysInMonth } from "date-fns";
import { EngineError } from "./errors.js";
import type { Duration, IsoDate } from "./types.js";

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_YEAR = 9999;

export function parseIsoDate(value: string): UTCDate {
  const match = ISO_DAY.exec(value);
  if (!match) throw new EngineError({ code: "bad-date", value });
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, not the constructor: the constructor reads years 0–99 as 1900–1999.
  const date = new UTCDate(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
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
  const time = instant.getTime();
  const year = Number.isNaN(time) ? NaN : instant.getUTCFullYear();
  if (!(year >= 0 && year <= MAX_YEAR)) throw new EngineError({ code: "date-out-of-range", computation: Number.isNaN(time) ? "an invalid date" : `a day in the year ${year}` });
  return instant.toISOString().slice(0, 10);
}

/** The day computed by `compute`, or an `EngineError` naming `computation` when it leaves the years 0000–9999. */
function checked(computation: () => string, compute: () => Date): IsoDate {
  const date = compute();
  const year = Number.isNaN(date.getTime()) ? NaN : date.getUTCFullYear();
  if (!(year >= 0 && year <= MAX_YEAR)) throw new EngineError({ code: "date-out-of-range", computation: computation() });
  return date.toISOString().slice(0, 10);
}

/** Adds `times` × duration to a day. Months clamp to the month's end (Jan 31 + 1 month = Feb 28/29). */
export function addDuration(day: IsoDate, duration: Duration, times = 1): IsoDate {
  const date = parseIsoDate(day);
  const n = duration.amount * times;
  const computation = () => `${day} ${n < 0 ? "-" : "+"} ${formatDuration({ amount: Math.abs(n), unit: duration.unit })}`;
  // Beyond this, no day in 0000–9999 can result (and date-fns would get NaN or lose precision).
  if (!Number.isSafeInteger(n) || Math.abs(n) > 4_000_000) throw new EngineError({ code: "date-out-of-range", computation: computation() });
  return checked(computation, () => {
    switch (duration.unit) {
      case "day":
        return addDays(date, n);
      case "week":
        return addWeeks(date, n);
      case "month":
        return addMonths(date, n);
      case "year":
        return addYears(date, n);
    }
  });
}

export function addDaysTo(day: IsoDate, days: number): IsoDate {
  return addDuration(day, { amount: days, unit: "day" });
}

/** The same month as `day`, on day-of-month `dayOfMonth` (clamped to the month's length). */
export function withDayOfMonth(day: IsoDate, dayOfMonth: number): IsoDate {
  const date = parseIsoDate(day);
  const clamped = Math.min(Math.max(1, Math.trunc(dayOfMonth)), getDaysInMonth(date));
  return checked(
    () => `day ${dayOfMonth} of ${day.slice(0, 7)}`,
    () => {
      const moved = new UTCDate(date.getTime());
      moved.setUTCDate(clamped);
      return moved;
    },
  );
}

/**
 * A projected date, or null when it falls outside the years the engine computes in: a line so far away
 * on the calendar that its dates are not known, rather than an error for the whole answer.
 */
export function orUnknown<T>(compute: () => T): T | null {
  try {
    return compute();
  } catch (error) {
    if (error instanceof EngineError && error.code === "date-out-of-range") return null;
    throw error;
  }
}

export function formatDuration(duration: Duration): string {
  return `${duration.amount} ${duration.unit}${duration.amount === 1 ? "" : "s"}`;
}

const DURATION = /^\s*(\d+)\s*(day|week|month|year)s?\s*$/;

export function parseDuration(value: string): Duration {
  const match = DURATION.exec(value);
  const amount = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(amount) || amount <= 0) throw new EngineError({ code: "bad-duration", value });
  return { amount, unit: match[2] as Duration["unit"] };
}

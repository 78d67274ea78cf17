/** Nominal dates: where a line's cut and release fall on the policy's calendar. */
import { addDaysTo, addDuration, withDayOfMonth } from "./dates.js";
import type { Calendar, IsoDate } from "./types.js";

/**
 * The nominal release of the line `steps` lines after the anchor (negative: before). Always projected
 * from the anchor, never chained, so a month-end anchor stays at the month's end (31st → 28th → 31st).
 */
export function nominalRelease(calendar: Calendar, steps: number): IsoDate {
  const projected = addDuration(calendar.anchorDate, calendar.cadence, steps);
  const monthly = calendar.cadence.unit === "month" || calendar.cadence.unit === "year";
  return monthly && calendar.releaseDay !== null ? withDayOfMonth(projected, calendar.releaseDay) : projected;
}

export function nominalCut(calendar: Calendar, release: IsoDate): IsoDate | null {
  if (calendar.cutDaysBefore !== null) return addDaysTo(release, -calendar.cutDaysBefore);
  if (calendar.cutDay === null) return null;
  const releaseDay = Number(release.slice(8, 10));
  const month = calendar.cutDay <= releaseDay ? release : addDuration(release, { amount: 1, unit: "month" }, -1);
  return withDayOfMonth(month, calendar.cutDay);
}

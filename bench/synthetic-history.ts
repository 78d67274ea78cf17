/**
 * A deterministic, Wasmtime-like release history of any size, for the engine benchmark.
 *
 * One major line a month, as the `wasmtime` preset's calendar has it: line N is released on the 20th
 * of its month (nominal date 2024-04-20 + (N − 20) months, from major 20 on), with its branch
 * `release-N.0.0` cut on the 5th of that month. Each line gets RELEASES_PER_LINE patch releases
 * (N.0.0, N.0.1, … two days apart) until the history holds `releaseCount` releases; the last line may
 * have fewer. Large histories reach far into the future (10,000 releases → 1,000 lines → year 2107);
 * query them on `queryDate(history)`, the day after the last release.
 */
import { addDaysTo, addDuration } from "../src/engine/dates.js";
import type { BranchRecord, IsoDate, ReleaseHistory, ReleaseRecord } from "../src/engine/types.js";

export const FIRST_MAJOR = 20;
export const ANCHOR_DATE: IsoDate = "2024-04-20";
export const RELEASES_PER_LINE = 10;
/** Days between a line's consecutive patch releases. */
export const PATCH_SPACING_DAYS = 2;

const MONTH = { amount: 1, unit: "month" } as const;

/** Nominal release day of major `major`: the anchor plus (major − 20) months, on the 20th. */
export function nominalReleaseOf(major: number): IsoDate {
  return addDuration(ANCHOR_DATE, MONTH, major - FIRST_MAJOR);
}

export function syntheticHistory(releaseCount: number): ReleaseHistory {
  if (!Number.isInteger(releaseCount) || releaseCount < 1) throw new Error(`releaseCount must be a positive integer, got ${releaseCount}`);
  const releases: ReleaseRecord[] = [];
  const branches: BranchRecord[] = [];
  for (let major = FIRST_MAJOR; releases.length < releaseCount; major++) {
    const released = nominalReleaseOf(major);
    branches.push({ name: `release-${major}.0.0`, createdAt: `${released.slice(0, 8)}05` });
    for (let patch = 0; patch < RELEASES_PER_LINE && releases.length < releaseCount; patch++) {
      releases.push({ version: `${major}.0.${patch}`, date: addDaysTo(released, patch * PATCH_SPACING_DAYS) });
    }
  }
  return { releases, branches };
}

/** The newest release date in a history. */
export function lastReleaseDate(history: ReleaseHistory): IsoDate {
  let last: IsoDate | null = null;
  for (const r of history.releases) if (last === null || r.date > last) last = r.date;
  if (last === null) throw new Error("empty history");
  return last;
}

/** The day to query a history on: the day after its last release, so every release counts. */
export function queryDate(history: ReleaseHistory): IsoDate {
  return addDaysTo(lastReleaseDate(history), 1);
}

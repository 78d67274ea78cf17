/** The projected schedule: what the calendar says happens next. */
import type { IsoDate, LineKind, ReleaseLine } from "./types.js";

export interface ScheduleEvent {
  line: string;
  branch: string;
  kind: LineKind;
  date: IsoDate;
  /** The day has passed and it has not happened yet. */
  overdue: boolean;
}

export interface Schedule {
  on: IsoDate;
  nextCut: ScheduleEvent | null;
  nextRelease: (ScheduleEvent & { version: string }) | null;
  /** Supported lines by end of support, soonest first (projected ends included, marked). */
  endsOfSupport: (ScheduleEvent & { projected: boolean })[];
}

export function projectSchedule(lines: ReleaseLine[], on: IsoDate): Schedule {
  const event = (line: ReleaseLine, date: IsoDate): ScheduleEvent => ({
    line: line.line,
    branch: line.branch,
    kind: line.kind,
    date,
    overdue: date < on,
  });
  const cut = lines.find((l) => l.status === "projected" && l.nominalCut !== null);
  const unreleased = lines.filter((l) => (l.status === "upcoming" || l.status === "projected") && l.nominalRelease !== null);
  const release = unreleased[0];
  return {
    on,
    nextCut: cut?.nominalCut ? event(cut, cut.nominalCut) : null,
    nextRelease: release?.nominalRelease ? { ...event(release, release.nominalRelease), version: release.nextPatch } : null,
    endsOfSupport: lines
      .filter((l) => l.status === "supported" && l.endOfSupport !== null)
      .map((l) => ({ ...event(l, l.endOfSupport as IsoDate), projected: l.endOfSupportProjected }))
      .sort((a, b) => a.date.localeCompare(b.date) || a.line.localeCompare(b.line, undefined, { numeric: true })),
  };
}

/** The lines a schedule shows by default: live ones and the next projected line. */
export function scheduleLines(lines: ReleaseLine[], all = false): ReleaseLine[] {
  if (all) return lines;
  const firstProjected = lines.find((l) => l.status === "projected");
  return lines.filter((l) => l.status === "supported" || l.status === "upcoming" || l === firstProjected);
}

/** The support schedule as a Mermaid `gantt` chart (GitHub renders it in issues and comments). */
import type { IsoDate, ReleaseLine } from "../types.js";

const TAG: Record<ReleaseLine["status"], string> = {
  supported: "active, ",
  "end-of-support": "done, ",
  upcoming: "",
  projected: "",
};

/** One bar of the chart: a line from its release (actual, else nominal) to its end of support. */
export interface GanttBar {
  section: "LTS" | "Regular";
  /** The line's key, with `(upcoming)` or `(projected)` for lines not released yet. */
  label: string;
  line: string;
  status: ReleaseLine["status"];
  start: IsoDate;
  end: IsoDate;
}

/**
 * The chart's bars, LTS lines first, newest first within each section; lines with neither a release nor an
 * end of support are left out. The Mermaid text and the status page's SVG (src/status/chart.ts) draw these.
 */
export function ganttBars(lines: ReleaseLine[]): GanttBar[] {
  const newestFirst = [...lines].reverse();
  const bars = (section: GanttBar["section"], kind: ReleaseLine["kind"]) =>
    newestFirst.filter((l) => l.kind === kind).flatMap((line): GanttBar[] => {
      const start = line.released ?? line.nominalRelease;
      if (!start || !line.endOfSupport) return [];
      const label = `${line.line}${line.status === "upcoming" || line.status === "projected" ? ` (${line.status})` : ""}`;
      return [{ section, label, line: line.line, status: line.status, start, end: line.endOfSupport }];
    });
  return [...bars("LTS", "lts"), ...bars("Regular", "regular")];
}

/**
 * `today: "fixed"` (default) draws the query day as a milestone and names it in the title, for a snapshot.
 * `today: "viewer"` leaves that to Mermaid's own today marker, drawn when the chart is viewed: the text
 * then changes only when the lines do, so an issue holding it is not edited every day.
 */
export function renderGantt(lines: ReleaseLine[], options: { on: IsoDate; title?: string; today?: "fixed" | "viewer" }): string {
  const bars = ganttBars(lines);
  const section = (name: GanttBar["section"]) => {
    const rows = bars.filter((b) => b.section === name).map((b) => `    ${b.label} : ${TAG[b.status]}${b.start}, ${b.end}`);
    return rows.length > 0 ? [`    section ${name}`, ...rows] : [];
  };
  const title = (options.title ?? "Support schedule").replace(/[:#;]/g, " ");
  const fixed = options.today !== "viewer";
  return [
    "gantt",
    `    title ${title}${fixed ? ` (as of ${options.on})` : ""}`,
    "    dateFormat YYYY-MM-DD",
    "    axisFormat %Y-%m",
    ...(fixed ? ["    todayMarker off"] : []),
    ...section("LTS"),
    ...section("Regular"),
    // A task name may not start with a date (Mermaid would read it as one), hence "Today".
    ...(fixed ? ["    section Today", `    Today : milestone, ${options.on}, 0d`] : []),
  ].join("\n");
}

/** The support schedule as a Mermaid `gantt` chart (GitHub renders it in issues and comments). */
import type { IsoDate, ReleaseLine } from "../types.js";

const TAG: Record<ReleaseLine["status"], string> = {
  supported: "active, ",
  "end-of-support": "done, ",
  upcoming: "",
  projected: "",
};

/** Bars run from release (actual, else nominal) to end of support; lines with neither are left out. */
function bar(line: ReleaseLine): string | null {
  const start = line.released ?? line.nominalRelease;
  if (!start || !line.endOfSupport) return null;
  const label = `${line.line}${line.status === "upcoming" || line.status === "projected" ? ` (${line.status})` : ""}`;
  return `    ${label} : ${TAG[line.status]}${start}, ${line.endOfSupport}`;
}

/**
 * `today: "fixed"` (default) draws the query day as a milestone and names it in the title, for a snapshot.
 * `today: "viewer"` leaves that to Mermaid's own today marker, drawn when the chart is viewed: the text
 * then changes only when the lines do, so an issue holding it is not edited every day.
 */
export function renderGantt(lines: ReleaseLine[], options: { on: IsoDate; title?: string; today?: "fixed" | "viewer" }): string {
  const newestFirst = [...lines].reverse();
  const section = (name: string, kind: ReleaseLine["kind"]) => {
    const bars = newestFirst.filter((l) => l.kind === kind).map(bar).filter((b): b is string => b !== null);
    return bars.length > 0 ? [`    section ${name}`, ...bars] : [];
  };
  const title = (options.title ?? "Support schedule").replace(/[:#;]/g, " ");
  const fixed = options.today !== "viewer";
  return [
    "gantt",
    `    title ${title}${fixed ? ` (as of ${options.on})` : ""}`,
    "    dateFormat YYYY-MM-DD",
    "    axisFormat %Y-%m",
    ...(fixed ? ["    todayMarker off"] : []),
    ...section("LTS", "lts"),
    ...section("Regular", "regular"),
    // A task name may not start with a date (Mermaid would read it as one), hence "Today".
    ...(fixed ? ["    section Today", `    Today : milestone, ${options.on}, 0d`] : []),
  ].join("\n");
}

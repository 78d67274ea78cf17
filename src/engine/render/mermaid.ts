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

export function renderGantt(lines: ReleaseLine[], options: { on: IsoDate; title?: string }): string {
  const newestFirst = [...lines].reverse();
  const section = (name: string, kind: ReleaseLine["kind"]) => {
    const bars = newestFirst.filter((l) => l.kind === kind).map(bar).filter((b): b is string => b !== null);
    return bars.length > 0 ? [`    section ${name}`, ...bars] : [];
  };
  return [
    "gantt",
    `    title ${(options.title ?? "Support schedule").replace(/[:#;]/g, " ")} (as of ${options.on})`,
    "    dateFormat YYYY-MM-DD",
    "    axisFormat %Y-%m",
    "    todayMarker off",
    ...section("LTS", "lts"),
    ...section("Regular", "regular"),
    "    section Today",
    `    ${options.on} : milestone, ${options.on}, 0d`,
  ].join("\n");
}

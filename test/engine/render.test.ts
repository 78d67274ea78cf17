import { computeLines } from "../../src/engine/lines.js";
import { renderGantt } from "../../src/engine/render/mermaid.js";
import { toReleaseCycles } from "../../src/engine/render/json.js";
import { renderTable } from "../../src/engine/render/table.js";
import { projectSchedule, scheduleLines } from "../../src/engine/schedule.js";
import { acceptanceHistory, wasmtime } from "../fixtures/policies.js";

const lines = () => {
  const h = acceptanceHistory();
  h.branches.push({ name: "release-40.0.0", createdAt: "2025-12-05" });
  return computeLines(wasmtime(), h, "2025-12-10");
};

describe("renderers", () => {
  test("Markdown table of the live lines and the next projected one", () => {
    expect(renderTable(scheduleLines(lines()))).toMatchInlineSnapshot(`
"| Line | Branch | Kind | Released | End of support | Latest | Status |
|---|---|---|---|---|---|---|
| 41 | \`release-41.0.0\` | regular | due 2026-01-20 | 2026-03-20 | — | projected |
| 40 | \`release-40.0.0\` | regular | due 2025-12-20 | 2026-02-20 | — | upcoming |
| 39 | \`release-39.0.0\` | regular | 2025-11-20 | 2026-01-20 | 39.0.0 | supported |
| 38 | \`release-38.0.0\` | regular | 2025-10-20 | 2025-12-20 | 38.0.0 | supported |
| 36 | \`release-36.0.0\` | LTS | 2025-08-20 | 2027-08-20 | 36.0.0 | supported |
| 24 | \`release-24.0.0\` | LTS | 2024-08-20 | 2026-08-20 | 24.0.0 | supported |"
`);
  });

  test("Mermaid gantt: LTS and regular sections, bars from release to end of support, the day marked", () => {
    expect(renderGantt(lines(), { on: "2025-12-10", title: "Wasmtime: support" })).toMatchInlineSnapshot(`
"gantt
    title Wasmtime  support (as of 2025-12-10)
    dateFormat YYYY-MM-DD
    axisFormat %Y-%m
    todayMarker off
    section LTS
    36 : active, 2025-08-20, 2027-08-20
    24 : active, 2024-08-20, 2026-08-20
    section Regular
    41 (projected) : 2026-01-20, 2026-03-20
    40 (upcoming) : 2025-12-20, 2026-02-20
    39 : active, 2025-11-20, 2026-01-20
    38 : active, 2025-10-20, 2025-12-20
    37 : done, 2025-09-20, 2025-11-20
    section Today
    Today : milestone, 2025-12-10, 0d"
`);
  });

  test("JSON close to endoflife.date's release records", () => {
    const cycles = toReleaseCycles(lines());
    expect(cycles.find((c) => c.releaseCycle === "36")).toEqual({
      releaseCycle: "36",
      branch: "release-36.0.0",
      releaseDate: "2025-08-20",
      lts: true,
      eol: "2027-08-20",
      latest: "36.0.0",
      status: "supported",
      nominalReleaseDate: "2025-08-20",
      branchCutDate: "2025-08-05",
      eolBasis: "24 months from nominal release 2025-08-20",
      eolProjected: false,
    });
  });
});

describe("schedule projection", () => {
  test("next cut, next release and the coming ends of support", () => {
    const schedule = projectSchedule(lines(), "2025-12-10");
    expect(schedule.nextCut).toMatchObject({ branch: "release-41.0.0", date: "2026-01-05", overdue: false });
    expect(schedule.nextRelease).toMatchObject({ version: "40.0.0", date: "2025-12-20", overdue: false });
    expect(schedule.endsOfSupport.map((e) => `${e.line} ${e.date}`)).toEqual(["38 2025-12-20", "39 2026-01-20", "24 2026-08-20", "36 2027-08-20"]);
  });

  test("an overdue cut and a delayed release are flagged", () => {
    const h = acceptanceHistory();
    h.branches.push({ name: "release-40.0.0", createdAt: "2025-12-05" });
    const schedule = projectSchedule(computeLines(wasmtime(), h, "2025-12-22"), "2025-12-22");
    expect(schedule.nextRelease).toMatchObject({ version: "40.0.0", date: "2025-12-20", overdue: true });
    const noBranch = projectSchedule(computeLines(wasmtime(), acceptanceHistory(), "2025-12-10"), "2025-12-10");
    expect(noBranch.nextCut).toMatchObject({ branch: "release-40.0.0", date: "2025-12-05", overdue: true });
  });
});

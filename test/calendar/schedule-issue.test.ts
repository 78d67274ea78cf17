/** The schedule issue's text: a Mermaid gantt chart Mermaid itself parses, the table and the next events. */
import { renderScheduleIssue } from "../../src/calendar/schedule-issue.js";
import { toPolicy } from "../../src/config/policy.js";
import { parseConfig } from "../../src/config/load.js";
import { computeLines } from "../../src/engine/lines.js";
import { renderGantt } from "../../src/engine/render/mermaid.js";
import type { ReleaseHistory } from "../../src/engine/types.js";
import { parseMermaid } from "./mermaid-parser.js";

const config = parseConfig({ preset: "wasmtime" });
if (!config.ok) throw new Error("preset invalid");
const policy = toPolicy(config.config);

function history(last: number): ReleaseHistory {
  const releases = [];
  const branches = [];
  for (let v = 20; v <= last; v++) {
    const month = new Date(Date.UTC(2024, 3 + v - 20, 20)).toISOString().slice(0, 10);
    releases.push({ version: `${v}.0.0`, date: month });
    branches.push({ name: `release-${v}.0.0` });
  }
  return { releases, branches };
}

const chartOf = (body: string) => /```mermaid\n([\s\S]*?)\n```/.exec(body)?.[1] ?? "";

describe("schedule issue", () => {
  const lines = computeLines(policy, history(39), "2025-11-21");

  test("its chart, and both chart styles, are gantt charts Mermaid parses; a broken chart is rejected", async () => {
    const chart = chartOf(renderScheduleIssue({ lines, today: "2025-11-21" }));
    expect(chart.startsWith("gantt\n")).toBe(true);
    const styles = (["fixed", "viewer"] as const).map((today) => renderGantt(lines, { on: "2025-11-21", title: "Wasmtime: support; #1", today }));
    for (const style of styles) expect(style).toMatch(/section LTS[\s\S]*section Regular/);
    const results = await parseMermaid([chart, ...styles, "gantt\n    section\n"]);
    expect(results.slice(0, 3)).toEqual([{ ok: true, type: "gantt" }, { ok: true, type: "gantt" }, { ok: true, type: "gantt" }]);
    expect(results[3]).toEqual({ ok: false, error: expect.stringMatching(/Parse error/) });
  }, 30_000);

  test("the text does not change from one day to the next unless the lines do", () => {
    const a = renderScheduleIssue({ lines: computeLines(policy, history(39), "2025-11-22"), today: "2025-11-22" });
    const b = renderScheduleIssue({ lines: computeLines(policy, history(39), "2025-11-23"), today: "2025-11-23" });
    expect(b).toBe(a);
    const afterEol = renderScheduleIssue({ lines: computeLines(policy, history(39), "2025-12-21"), today: "2025-12-21" });
    expect(afterEol).not.toBe(a);
  });

  test("holds the table and the next events", () => {
    const body = renderScheduleIssue({ lines, today: "2025-11-21" });
    expect(body).toContain("| 36 | `release-36.0.0` | LTS |");
    expect(body).toContain("Next branch cut: `release-40.0.0` on 2025-12-05");
    expect(body).toContain("Next release: 40.0.0 on 2025-12-20");
  });
});

test("every Mermaid chart in the README parses", async () => {
  const { readFileSync } = await import("node:fs");
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const charts = [...readme.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  expect(charts.length).toBeGreaterThan(0);
  expect(await parseMermaid(charts)).toEqual(charts.map(() => ({ ok: true, type: "gantt" })));
}, 30_000);

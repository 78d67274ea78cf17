/**
 * The schedule chart as SVG (src/status/chart.ts) from the Mermaid chart's bars, and the HTML helpers it is
 * built with (src/status/html.ts). The browser tier checks it as laid out; here, its structure and geometry.
 */
import type { GanttBar } from "../../src/engine/render/mermaid.js";
import { renderScheduleSvg } from "../../src/status/chart.js";
import { escapeHtml, html, link, safeHref } from "../../src/status/html.js";

const bars: GanttBar[] = [
  { section: "LTS", label: "36", line: "36", status: "supported", start: "2025-08-20", end: "2027-08-20" },
  { section: "Regular", label: "40 (projected)", line: "40", status: "projected", start: "2025-12-20", end: "2026-02-20" },
  { section: "Regular", label: "37", line: "37", status: "end-of-support", start: "2025-09-20", end: "2025-11-20" },
];

const attributes = (svg: string, element: string) =>
  [...svg.matchAll(new RegExp(`<${element} ([^>]*)>`, "g"))].map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));

test("a group per bar in the engine's order, each with its dates and a rectangle; sections; today's line; a legend", () => {
  const svg = renderScheduleSvg(bars, { today: "2025-11-21" }).text;
  expect(svg).toMatch(/^<svg class="schedule-chart" role="img" aria-label="Support schedule as of 2025-11-21"/);
  expect(attributes(svg, "g class=\"line\"")).toEqual([
    { "data-line": "36", "data-status": "supported", "data-start": "2025-08-20", "data-end": "2027-08-20" },
    { "data-line": "40", "data-status": "projected", "data-start": "2025-12-20", "data-end": "2026-02-20" },
    { "data-line": "37", "data-status": "end-of-support", "data-start": "2025-09-20", "data-end": "2025-11-20" },
  ]);
  const rects = attributes(svg, "rect class=\"bar\"");
  expect(rects).toHaveLength(3);
  // Longer support, longer bar; every bar starts right of the labels and ends inside the chart.
  const [lts, projected, ended] = rects.map((r) => ({ x: Number(r.x), width: Number(r.width) }));
  expect(lts!.width).toBeGreaterThan(10 * projected!.width);
  for (const r of [lts!, projected!, ended!]) {
    expect(r.x).toBeGreaterThanOrEqual(170);
    expect(r.x + r.width).toBeLessThanOrEqual(960);
  }
  expect(ended!.x).toBeLessThan(projected!.x);
  expect([...svg.matchAll(/<text class="section"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(["LTS", "Regular"]);
  const today = attributes(svg, "line class=\"today\"")[0]!;
  expect(today["data-date"]).toBe("2025-11-21");
  expect(Number(today.x1)).toBeGreaterThan(ended!.x + ended!.width - 2);
  expect(Number(today.x1)).toBeLessThan(projected!.x);
  expect([...svg.matchAll(/<g class="legend">.*?<text[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(["supported", "end of support", "upcoming", "projected"]);
  // Month ticks from the first bar's month, every 3 months over a span of two years.
  expect([...svg.matchAll(/<g class="tick">.*?<text[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(["2025-10", "2026-01", "2026-04", "2026-07", "2026-10", "2027-01", "2027-04", "2027-07"]);
});

test("labels are escaped, and no line gives a short chart that says so", () => {
  const svg = renderScheduleSvg([{ ...bars[0]!, label: `<script>"x"</script>`, line: `"><b>` }], { today: "2025-11-21" }).text;
  expect(svg).not.toMatch(/<script|<b>/);
  expect(svg).toContain("&lt;script&gt;&quot;x&quot;&lt;/script&gt;");
  expect(renderScheduleSvg([], { today: "2025-11-21" }).text).toContain("No line has dates to draw yet.");
});

test("html escapes what it is given, keeps what it built, and links only to http(s) addresses and this server's paths", () => {
  const name = `<a href="x">'&'</a>`;
  expect(html`<td>${name}</td>`.text).toBe("<td>&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</td>");
  expect(html`<ul>${[html`<li>${"a<b"}</li>`, html`<li>${2}</li>`]}${null}${false}</ul>`.text).toBe("<ul><li>a&lt;b</li><li>2</li></ul>");
  expect(escapeHtml(`"'<>&`)).toBe("&quot;&#39;&lt;&gt;&amp;");
  for (const bad of ["javascript:alert(1)", "//evil.example/x", "/\\evil.example", "data:text/html,x", "https://x/\"onmouseover=\"y", null, ""]) expect(safeHref(bad)).toBeNull();
  expect(safeHref("https://github.com/acme/engine/pull/40")).toBe("https://github.com/acme/engine/pull/40");
  expect(safeHref("/status/acme/engine")).toBe("/status/acme/engine");
  expect(link("javascript:alert(1)", "click").text).toBe("click");
});

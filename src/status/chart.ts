/**
 * The support schedule as an inline SVG gantt chart, drawn on the server from the same bars as the Mermaid
 * chart of the schedule issue (`ganttBars`, src/engine/render/mermaid.ts): LTS lines, then regular ones,
 * newest first, each from its release to its end of support, with today's line. The page needs no script
 * and nothing from elsewhere; colours are presentation attributes, so a strict Content-Security-Policy holds.
 */
import type { GanttBar } from "../engine/render/mermaid.js";
import type { IsoDate } from "../engine/types.js";
import { html, type Html } from "./html.js";

const WIDTH = 960;
const LABEL_WIDTH = 170;
const RIGHT = 20;
const AXIS = 28;
const ROW = 26;
const BAR = 16;
const SECTION = 22;

const FILL: Record<GanttBar["status"], string> = {
  supported: "#2f7d32",
  "end-of-support": "#9e9e9e",
  upcoming: "#1e63b5",
  projected: "#8fb3de",
};

const dayNumber = (day: IsoDate): number => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;

/** First days of months from the month of `from` to the month after `to`, every `step` months. */
function monthTicks(from: IsoDate, to: IsoDate): IsoDate[] {
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const span = (Number(to.slice(0, 4)) - year) * 12 + Number(to.slice(5, 7)) - month + 1;
  const step = span <= 18 ? 1 : span <= 36 ? 3 : span <= 72 ? 6 : 12;
  const ticks: IsoDate[] = [];
  for (let i = 0; i <= span; i++) {
    const day = `${year}-${String(month).padStart(2, "0")}-01`;
    if ((month - 1) % step === 0) ticks.push(day);
    if (++month > 12) {
      month = 1;
      year++;
    }
  }
  return ticks;
}

/** The bars (`ganttBars(lines)`) as a chart, with today's line. */
export function renderScheduleSvg(bars: GanttBar[], options: { today: IsoDate; title?: string }): Html {
  const title = `${options.title ?? "Support schedule"} as of ${options.today}`;
  if (bars.length === 0) {
    return html`<svg class="schedule-chart" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="40" viewBox="0 0 ${WIDTH} 40"><title>${title}</title><text x="10" y="25" font-size="13">No line has dates to draw yet.</text></svg>`;
  }
  const days = [...bars.flatMap((b) => [b.start, b.end]), options.today].sort();
  const first = `${days[0]!.slice(0, 7)}-01`;
  const last = days.at(-1)!;
  const ticks = monthTicks(first, last);
  const span = Math.max(1, dayNumber(last) - dayNumber(first) + 15);
  const x = (day: IsoDate) => LABEL_WIDTH + ((dayNumber(day) - dayNumber(first)) / span) * (WIDTH - LABEL_WIDTH - RIGHT);

  const rows: Html[] = [];
  let y = AXIS;
  for (const section of ["LTS", "Regular"] as const) {
    const inSection = bars.filter((b) => b.section === section);
    if (inSection.length === 0) continue;
    rows.push(html`<text class="section" x="4" y="${y + 16}" font-size="13" font-weight="bold">${section}</text>`);
    y += SECTION;
    for (const bar of inSection) {
      const left = x(bar.start);
      const width = Math.max(2, x(bar.end) - left);
      const tip = `${bar.label}${section === "LTS" ? " (LTS)" : ""}: ${bar.start} to ${bar.end}, ${bar.status.replace(/-/g, " ")}`;
      rows.push(html`<g class="line" data-line="${bar.line}" data-status="${bar.status}" data-start="${bar.start}" data-end="${bar.end}"><title>${tip}</title><text x="14" y="${y + BAR - 3}" font-size="12">${bar.label}</text><rect class="bar" x="${left.toFixed(1)}" y="${y + (ROW - BAR) / 2 - 4}" width="${width.toFixed(1)}" height="${BAR}" rx="3" fill="${FILL[bar.status]}"/></g>`);
      y += ROW;
    }
  }
  const bottom = y + 2;
  // The legend: what each colour means.
  y += 6;
  const legend = (Object.keys(FILL) as GanttBar["status"][]).map((status, i) => {
    const left = LABEL_WIDTH + i * 150;
    return html`<g class="legend"><rect x="${left}" y="${y}" width="14" height="10" rx="2" fill="${FILL[status]}"/><text x="${left + 20}" y="${y + 9}" font-size="11" fill="#555">${status.replace(/-/g, " ")}</text></g>`;
  });
  y += 14;
  const height = y + 8;
  const grid = ticks.map((tick) => html`<g class="tick"><line x1="${x(tick).toFixed(1)}" y1="${AXIS - 6}" x2="${x(tick).toFixed(1)}" y2="${bottom}" stroke="#e0e0e0"/><text x="${(x(tick) + 3).toFixed(1)}" y="${AXIS - 10}" font-size="11" fill="#555">${tick.slice(0, 7)}</text></g>`);
  const todayX = x(options.today).toFixed(1);
  return html`<svg class="schedule-chart" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif"><title>${title}</title>${grid}${rows}${legend}<line class="today" data-date="${options.today}" x1="${todayX}" y1="${AXIS - 6}" x2="${todayX}" y2="${bottom}" stroke="#d32f2f" stroke-width="2"><title>today, ${options.today}</title></line></svg>`;
}

/**
 * The support schedule issue: a Mermaid gantt chart of the lines, the table and the next events, found by
 * its marker and edited only when its text changes. The chart leaves "today" to Mermaid's own marker, so
 * the text changes when the lines do (a release, a cut, an end of support), not every day.
 * GitHub's REST API cannot pin issues (only GraphQL can), so the issue is not pinned.
 */
import type { Config } from "../config/schema.js";
import { addDaysTo } from "../engine/dates.js";
import { renderGantt } from "../engine/render/mermaid.js";
import { renderTable } from "../engine/render/table.js";
import { projectSchedule, scheduleLines } from "../engine/schedule.js";
import type { IsoDate, ReleaseLine } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";
import { embedState, marker } from "../state/markers.js";
import { findOwn, saveIssue } from "../state/records.js";
import type { TickAction } from "./types.js";

export const SCHEDULE_TITLE = "Support schedule";
const SCHEDULE_REF = { kind: "schedule", key: "support" };

/** Lines worth drawing: live ones, the next projected one, and those that ended in the last 60 days. */
export function chartLines(lines: ReleaseLine[], today: IsoDate): ReleaseLine[] {
  const recently = addDaysTo(today, -60);
  const live = new Set(scheduleLines(lines));
  return lines.filter((l) => live.has(l) || (l.status === "end-of-support" && l.endOfSupport !== null && l.endOfSupport >= recently));
}

export function renderScheduleIssue(options: { lines: ReleaseLine[]; today: IsoDate }): string {
  const { lines, today } = options;
  const schedule = projectSchedule(lines, today);
  const events = [
    schedule.nextCut ? `- Next branch cut: \`${schedule.nextCut.branch}\` on ${schedule.nextCut.date}` : null,
    schedule.nextRelease ? `- Next release: ${schedule.nextRelease.version} on ${schedule.nextRelease.date}` : null,
    ...schedule.endsOfSupport.map((e) => `- End of support: \`${e.branch}\`${e.kind === "lts" ? " (LTS)" : ""} after ${e.date}${e.projected ? " (projected)" : ""}`),
  ].filter((line): line is string => line !== null);
  return [
    marker("schedule", "support"),
    "The release lines of this repository and how long each is supported, kept up to date by lts-steward from the policy in `.github/lts-steward.yml`. The chart's red line is today.",
    "```mermaid\n" + renderGantt(chartLines(lines, today), { on: today, title: SCHEDULE_TITLE, today: "viewer" }) + "\n```",
    renderTable(scheduleLines(lines)),
    `### Next events\n\n${events.join("\n") || "Nothing scheduled."}`,
    embedState({ version: 1, kind: "schedule" }),
  ].join("\n\n");
}

export async function findScheduleIssue(port: GitHubPort, config: Config): Promise<Issue | undefined> {
  const issues = await port.listIssues({ labels: [config.tracking.label], state: "open" });
  return findOwn(port, issues, SCHEDULE_REF);
}

export async function planScheduleIssue(port: GitHubPort, options: { config: Config; lines: ReleaseLine[]; today: IsoDate; /** Open tracking-label issues, if already read. */ openIssues?: Issue[] }): Promise<TickAction[]> {
  if (!options.config.automation.scheduleIssue) return [];
  const body = renderScheduleIssue(options);
  const found = options.openIssues ? findOwn(port, options.openIssues, SCHEDULE_REF) : await findScheduleIssue(port, options.config);
  if (found?.body === body) return [];
  return [{
    job: "schedule",
    description: found ? `update the support schedule issue #${found.number}` : "open the support schedule issue",
    apply: async () => {
      await saveIssue(port, { ref: SCHEDULE_REF, title: found?.title ?? SCHEDULE_TITLE, body, labels: [options.config.tracking.label], found: found ?? null });
    },
  }];
}

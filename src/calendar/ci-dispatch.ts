/**
 * Weekly CI on LTS branches ("at minimum we can schedule a full CI job for the LTS branch(es) to run
 * ~weekly"): on the configured weekday, or the first tick after it in the same ISO week, dispatch the
 * workflow on each supported LTS branch (or every supported one). The month's check-in issue records each
 * dispatch, which is how a second tick that week knows it was done.
 */
import { getISODay, getISOWeek, getISOWeekYear } from "date-fns";
import type { Config } from "../config/schema.js";
import { parseIsoDate } from "../engine/dates.js";
import type { IsoDate, ReleaseLine } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { ActivityEntry, TickAction } from "./types.js";

const WEEKDAY_NUMBER = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 } as const;

/** `2025-W47`: the ISO week a day belongs to. */
export function isoWeek(day: IsoDate): string {
  const date = parseIsoDate(day);
  return `${getISOWeekYear(date)}-W${String(getISOWeek(date)).padStart(2, "0")}`;
}

export function planDispatches(port: GitHubPort, options: { config: Config; lines: ReleaseLine[]; today: IsoDate; recorded: ActivityEntry[] }): TickAction[] {
  const ci = options.config.automation.ci;
  if (!ci) return [];
  const { today } = options;
  if (getISODay(parseIsoDate(today)) < WEEKDAY_NUMBER[ci.weekday]) return [];
  const week = isoWeek(today);
  const done = new Set(options.recorded.filter((e) => e.kind === "dispatch" && isoWeek(e.on) === week).map((e) => e.subject));
  const branches = options.lines.filter((l) => l.status === "supported" && (ci.lines === "supported" || l.kind === "lts") && l.branchExists).map((l) => l.branch);
  return branches.filter((branch) => !done.has(branch)).map((branch) => ({
    job: "ci" as const,
    description: `dispatch ${ci.workflow} on ${branch} (weekly, ${week})`,
    activity: { on: today, kind: "dispatch" as const, subject: branch, detail: `${ci.workflow} (${week})` },
    apply: () => port.dispatchWorkflow({ workflow: ci.workflow, ref: branch, ...(Object.keys(ci.inputs).length ? { inputs: ci.inputs } : {}) }),
  }));
}

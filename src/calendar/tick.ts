/**
 * The daily tick for one repository: plan each job from live state, then apply the plan (a dry run stops
 * after planning). Jobs: cut the branch that is due, the schedule issue, end-of-support notices, weekly
 * LTS CI, reconcile lost backports, patched versions for draft advisories (opt-in), and last the month's
 * check-in, which records what the others did.
 * Every job decides from GitHub's state, so a second tick the same day plans nothing that writes.
 */
import type { Log } from "../log.js";
import { hasMarker } from "../state/markers.js";
import { ownOnly } from "../state/records.js";
import { readCheckin } from "./render-checkin.js";

import type { Config } from "../config/schema.js";
import { computeLines } from "../engine/lines.js";
import type { IsoDate, Policy, ReleaseLine } from "../engine/types.js";
import { describeGitHubError, isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import type { Journal } from "../runtime/journal.js";
import type { Issue } from "../github/types.js";
import { readReleaseHistory } from "../workflows/release-state.js";
import { planDraftSuggestions } from "../advisory/drafts.js";
import { planCheckin } from "./checkin.js";
import { planDispatches } from "./ci-dispatch.js";
import { planCuts } from "./cut.js";
import { planEndOfSupportNotices } from "./end-of-support.js";
import { planReconcile } from "./reconcile.js";
import { planScheduleIssue } from "./schedule-issue.js";
import type { ActivityEntry, TickAction, TickJob, TickOutcome, TickReport } from "./types.js";

export interface TickInput {
  port: GitHubPort;
  config: Config;
  /** Derived once per job from the config. */
  policy: Policy;
  today: IsoDate;
  defaultBranch: string;
  dryRun: boolean;
  log: Pick<Log, "info" | "warn">;
  /** Where the backports reconcile finishes note their outcomes (the status page). */
  journal?: Journal;
}

const monthOf = (day: IsoDate) => day.slice(0, 7);
const previousMonth = (month: string) => {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, "0")}`;
};

/** Activity the check-ins of this month and last month recorded (dispatches this week, among others). */
export function recordedActivity(port: Pick<GitHubPort, "botLogin">, issues: Issue[], today: IsoDate): ActivityEntry[] {
  const months = [monthOf(today), previousMonth(monthOf(today))];
  return ownOnly(port, issues).flatMap((issue) => {
    if (!months.some((m) => hasMarker(issue.body, "checkin", m))) return [];
    return readCheckin(issue.body)?.activity ?? [];
  });
}

const describe = (error: unknown) => (isGitHubError(error) ? describeGitHubError(error) : (error as Error).message);

class TickRun {
  readonly outcomes: TickOutcome[] = [];
  readonly activity: ActivityEntry[] = [];

  constructor(private readonly input: TickInput) {}

  /** Plans a job; a job that cannot even be planned is reported and the others go on. */
  async plan(job: TickJob, planner: () => Promise<TickAction[]> | TickAction[]): Promise<TickAction[]> {
    try {
      return await planner();
    } catch (error) {
      this.fail({ job, description: `plan ${job}` }, error);
      return [];
    }
  }

  async apply(actions: TickAction[]): Promise<void> {
    for (const action of actions) {
      if (this.input.dryRun) {
        this.outcomes.push({ job: action.job, description: action.description, status: "planned" });
        if (action.activity) this.activity.push(action.activity);
        continue;
      }
      try {
        await action.apply();
        this.outcomes.push({ job: action.job, description: action.description, status: "done" });
        if (action.activity) this.activity.push(action.activity);
      } catch (error) {
        this.fail(action, error);
      }
    }
  }

  private fail(action: { job: TickJob; description: string }, error: unknown): void {
    const message = describe(error);
    this.input.log.warn({ err: error, job: action.job }, `tick: ${action.description} failed`);
    this.outcomes.push({ job: action.job, description: action.description, status: "failed", error: message });
    const kind = action.job === "ci" ? "dispatch-failed" : "error";
    this.activity.push({ on: this.input.today, kind, subject: action.job, detail: `${action.description}: ${message}` });
  }
}

async function linesOn(input: TickInput): Promise<ReleaseLine[]> {
  return computeLines(input.policy, await readReleaseHistory(input.port, input.policy), input.today);
}

export async function runTick(input: TickInput): Promise<TickReport> {
  const { port, config, today, defaultBranch } = input;
  const run = new TickRun(input);
  let lines = await linesOn(input);
  // Read once, when a job needs it: last month's check-in may be closed already, and it holds this week's
  // dispatches when a week spans two months.
  let allIssues: Promise<Issue[]> | undefined;
  const everyIssue = () => (allIssues ??= port.listIssues({ labels: [config.tracking.label], state: "all" }));
  const recorded = async () => recordedActivity(port, await everyIssue(), today);
  const cuts = await run.plan("cut", () => planCuts(port, { config, lines, today, defaultBranch, recorded }));
  await run.apply(cuts);
  // A cut by the App makes the branch; a dispatched cut makes it later, when the project's workflow runs.
  if (cuts.length > 0 && !input.dryRun && !config.automation.cut) lines = await linesOn(input);
  const issues = await port.listIssues({ labels: [config.tracking.label], state: "open" });
  await run.apply(await run.plan("schedule", () => planScheduleIssue(port, { config, lines, today, openIssues: issues })));
  await run.apply(await run.plan("end-of-support", () => planEndOfSupportNotices(port, { config, lines, today, trackingIssues: issues })));
  await run.apply(await run.plan("ci", async () => (config.automation.ci ? planDispatches(port, { config, lines, today, recorded: await recorded() }) : [])));
  await run.apply(await run.plan("reconcile", () => planReconcile(port, { config, policy: input.policy, today, defaultBranch, log: input.log, ...(input.journal ? { journal: input.journal } : {}) })));
  await run.apply(await run.plan("advisory-drafts", () => planDraftSuggestions(port, { config, policy: input.policy, lines, today })));
  await run.apply(await run.plan("checkin", async () => (config.automation.checkin ? planCheckin(port, { config, policy: input.policy, today, lines, activity: run.activity, allIssues: await everyIssue() }) : [])));
  input.log.info({ on: today, dryRun: input.dryRun, outcomes: run.outcomes.map((o) => `${o.job}:${o.status}`) }, "tick done");
  return { on: today, dryRun: input.dryRun, outcomes: run.outcomes };
}

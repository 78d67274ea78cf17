/**
 * The monthly check-in issue. The first tick of a month opens "LTS automation check-in: <month>" (what the App
 * did last month, what is due next month, a checklist) and closes the earlier ones; later ticks append the
 * day's activity to it. The plan is made from what GitHub holds, so ticking the same day twice writes nothing
 * the second time.
 */
import { readAdvisoryIssue } from "../advisory/render.js";
import { findMarkerKeys } from "../state/markers.js";
import { ownOnly, saveIssue } from "../state/records.js";
import { readBackportRef } from "../backport/render.js";
import type { Config } from "../config/schema.js";
import { addDaysTo } from "../engine/dates.js";
import { projectLines } from "../engine/projection.js";
import type { IsoDate, Policy, ReleaseLine } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";
import {
  CHECKIN_KIND, checkinTitle, isMonthKey, keepTicks, mergeActivity, monthKey, monthName, readCheckin, renderCheckin, sameBody, shiftMonth,
  type CheckinAdvisory, type CheckinConflict, type CheckinPull, type DueEvent, type DueNextMonth, type DueRelease, type LastMonthSummary, type NextLts,
} from "./render-checkin.js";
import type { ActivityEntry, TickAction } from "./types.js";

/** The UTC month of an ISO 8601 instant, or null when it does not parse. */
function monthOfInstant(instant: string): string | null {
  const time = Date.parse(instant);
  return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 7);
}

const byNumber = (a: { number: number }, b: { number: number }) => a.number - b.number;

/**
 * What the App did in `month`: the backport PRs it opened (head branch with the backport prefix) and the
 * conflict and advisory issues it opened that month, from GitHub; cuts, CI dispatches, ends of support and
 * errors from that month's check-in activity.
 */
export async function summariseLastMonth(
  port: GitHubPort,
  options: { config: Config; month: string; previousActivity: ActivityEntry[]; /** The tracking-label issues of any state, if already read. */ issues?: Issue[] },
): Promise<LastMonthSummary> {
  const { config, month, previousActivity } = options;
  const inMonth = (instant: string) => monthOfInstant(instant) === month;

  const pulls = await port.listPullsCreatedSince(`${month}-01T00:00:00Z`);
  const backportPulls: CheckinPull[] = pulls
    .filter((p) => p.head.ref.startsWith(config.backport.branchPrefix) && inMonth(p.createdAt))
    .map((p) => ({ number: p.number, target: p.base.ref, state: p.merged ? ("merged" as const) : p.state }))
    .sort(byNumber);

  const issues = ownOnly(port, options.issues ?? (await port.listIssues({ labels: [config.tracking.label], state: "all" })));
  const conflicts: CheckinConflict[] = [];
  const advisories: CheckinAdvisory[] = [];
  for (const issue of issues) {
    if (issue.isPullRequest || !inMonth(issue.createdAt)) continue;
    const advisory = readAdvisoryIssue(issue.body);
    if (advisory) {
      advisories.push({ number: issue.number, ghsaId: advisory.ghsaId });
    } else if (findMarkerKeys(issue.body, "conflict").length > 0) {
      const ref = readBackportRef(issue.body);
      conflicts.push({ number: issue.number, source: ref?.source ?? null, branch: ref?.branch ?? null, state: issue.state });
    }
  }

  const ofKind = (...kinds: ActivityEntry["kind"][]) => previousActivity.filter((e) => kinds.includes(e.kind));
  return {
    month,
    cuts: ofKind("cut"),
    backportPulls,
    conflicts: conflicts.sort(byNumber),
    advisories: advisories.sort(byNumber),
    dispatches: ofKind("dispatch", "dispatch-failed"),
    endsOfSupport: ofKind("end-of-support"),
    errors: ofKind("error"),
  };
}

const unreleased = (l: ReleaseLine) => l.status === "upcoming" || l.status === "projected";

/** How many lines past the newest to project, at most (the next LTS line may be far away, or never come). */
const LOOKAHEAD = 1000;

/**
 * The engine's lines, then (with a policy) the lines the engine projects beyond them through `month` and up
 * to the next LTS line: it lists only up to the next cut, so on the 1st of a month next month's cut and
 * release, and the next LTS line (Wasmtime: every 12th), are usually further away.
 */
function candidates(lines: ReleaseLine[], month: string, policy: Policy | undefined): ReleaseLine[] {
  if (!policy) return lines;
  const through = addDaysTo(`${shiftMonth(month, 1)}-01`, -1);
  return [...lines, ...projectLines(policy, lines, { through, untilLts: true, max: LOOKAHEAD })];
}

/**
 * What falls in the calendar month after `today`'s: cuts of projected lines, releases of upcoming and
 * projected lines, ends of support of supported lines; and the next LTS line and next release whenever they
 * are. With the policy, lines past those the engine lists are projected on its calendar (the engine lists
 * only up to the next cut); without it, only `lines` count.
 */
export function dueNextMonth(lines: ReleaseLine[], today: IsoDate, policy?: Policy): DueNextMonth {
  const month = shiftMonth(monthKey(today), 1);
  const all = candidates(lines, month, policy);
  const inMonth = (day: IsoDate | null): day is IsoDate => day !== null && monthKey(day) === month;
  const event = (l: ReleaseLine, date: IsoDate): DueEvent => ({ line: l.line, label: l.label, branch: l.branch, kind: l.kind, date });
  const release = (l: ReleaseLine, date: IsoDate): DueRelease => ({ ...event(l, date), version: l.nextPatch, cut: l.nominalCut });
  const byDate = (a: DueEvent, b: DueEvent) => a.date.localeCompare(b.date) || a.line.localeCompare(b.line, undefined, { numeric: true });

  const cuts = all.flatMap((c) => (c.status === "projected" && inMonth(c.nominalCut) ? [event(c, c.nominalCut)] : [])).sort(byDate);
  const releases = all.flatMap((c) => (unreleased(c) && inMonth(c.nominalRelease) ? [release(c, c.nominalRelease)] : [])).sort(byDate);
  const endsOfSupport = all
    .flatMap((c) => (c.status === "supported" && inMonth(c.endOfSupport) ? [{ ...event(c, c.endOfSupport), projected: c.endOfSupportProjected }] : []))
    .sort(byDate);
  const nextRelease = all.flatMap((c) => (unreleased(c) && c.nominalRelease !== null ? [release(c, c.nominalRelease)] : [])).sort(byDate)[0] ?? null;
  const lts = all.find((c) => c.kind === "lts" && unreleased(c));
  const nextLts: NextLts | null = lts ? { line: lts.line, label: lts.label, branch: lts.branch, nominalRelease: lts.nominalRelease } : null;
  return { month, cuts, releases, endsOfSupport, nextLts, nextRelease };
}

/** The check-in month an issue's marker names, or null when it is not a check-in. */
function checkinMonth(issue: Issue): string | null {
  if (issue.isPullRequest) return null;
  return findMarkerKeys(issue.body, CHECKIN_KIND).find(isMonthKey) ?? null;
}

/**
 * The day's check-in work: open this month's issue if it does not exist (with last month's summary), append
 * today's new activity to it when that changes its body, and close the earlier months' check-ins still open.
 * Nothing when everything is as it should be.
 */
export async function planCheckin(
  port: GitHubPort,
  options: { config: Config; policy: Policy; today: IsoDate; lines: ReleaseLine[]; activity: ActivityEntry[]; /** The tracking-label issues of any state, when the caller has them. */ allIssues?: Issue[] },
): Promise<TickAction[]> {
  const { config, today, lines } = options;
  if (!config.automation.checkin) return [];
  const month = monthKey(today);
  const previous = shiftMonth(month, -1);

  const issues = ownOnly(port, options.allIssues ?? (await port.listIssues({ labels: [config.tracking.label], state: "all" })));
  const checkins = issues.flatMap((issue) => {
    const key = checkinMonth(issue);
    return key ? [{ issue, month: key }] : [];
  });
  // Newest first, as GitHub lists them; should there be two for a month, the newest is the one kept up to date.
  const current = checkins.find((c) => c.month === month)?.issue ?? null;
  const last = checkins.find((c) => c.month === previous)?.issue ?? null;

  const lastMonth = await summariseLastMonth(port, { config, month: previous, previousActivity: readCheckin(last?.body ?? null)?.activity ?? [], issues });
  const due = dueNextMonth(lines, today, options.policy);
  const known = current ? (readCheckin(current.body)?.activity ?? []) : [];
  const activity = mergeActivity(known, options.activity.filter((e) => monthKey(e.on) === month));
  const body = renderCheckin({ month, lastMonth, due, activity });
  const title = checkinTitle(month);

  const actions: TickAction[] = [];
  if (!current) {
    actions.push({
      job: "checkin",
      description: `open the check-in issue "${title}"`,
      apply: async () => {
        await saveIssue(port, { ref: { kind: CHECKIN_KIND, key: month }, title, body, labels: [config.tracking.label], found: null });
      },
    });
  } else {
    const next = keepTicks(body, current.body);
    if (!sameBody(next, current.body)) {
      const added = activity.length - known.length;
      const why = added > 0 ? `${added} new activity ${added === 1 ? "entry" : "entries"}` : "refresh the summary";
      actions.push({
        job: "checkin",
        description: `update the check-in issue #${current.number} for ${monthName(month)}: ${why}`,
        apply: async () => {
          await port.updateIssue({ number: current.number, body: next });
        },
      });
    }
  }
  for (const { issue, month: key } of checkins) {
    if (key >= month || issue.state !== "open") continue;
    actions.push({
      job: "checkin",
      description: `close the check-in issue #${issue.number} for ${monthName(key)}: ${monthName(month)}'s takes over`,
      apply: async () => {
        await port.updateIssue({ number: issue.number, state: "closed" });
      },
    });
  }
  return actions;
}

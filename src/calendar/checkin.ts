/**
 * The monthly check-in issue. The first tick of a month opens "LTS automation check-in: <month>" (what the App
 * did last month, what is due next month, a checklist) and closes the earlier ones; later ticks append the
 * day's activity to it. The plan is made from what GitHub holds, so ticking the same day twice writes nothing
 * the second time.
 */
import { readAdvisoryIssue } from "../advisory/render.js";
import { findMarkerKeys } from "../state/markers.js";
import { readBackportRef } from "../backport/render.js";
import { toPolicy } from "../config/policy.js";
import type { Config } from "../config/schema.js";
import { nominalCut, nominalRelease } from "../engine/calendar.js";
import { compareLines, firstVersion, lineLabel, Naming, nextLine, parseLineName, type LineId } from "../engine/naming.js";
import { LineOrdinals } from "../engine/ordinals.js";
import type { IsoDate, LineKind, LineStatus, Policy, ReleaseLine } from "../engine/types.js";
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

  const issues = options.issues ?? (await port.listIssues({ labels: [config.tracking.label], state: "all" }));
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

/** A line as the due list sees it: one the engine lists, or one projected further on the policy's calendar. */
interface Candidate {
  line: string;
  label: string;
  branch: string;
  kind: LineKind;
  status: LineStatus;
  nominalCut: IsoDate | null;
  nominalRelease: IsoDate | null;
  endOfSupport: IsoDate | null;
  endOfSupportProjected: boolean;
  /** The version its next release would be. */
  version: string;
}

/** `40.0.x` for major lines, `1.4.x` for minor ones (the engine's keys are `40` and `1.4`). */
const fromLine = (l: ReleaseLine): Candidate => ({
  line: l.line,
  label: lineLabel({ major: l.major, minor: l.minor }, l.line.includes(".") ? "minor" : "major"),
  branch: l.branch,
  kind: l.kind,
  status: l.status,
  nominalCut: l.nominalCut,
  nominalRelease: l.nominalRelease,
  endOfSupport: l.endOfSupport,
  endOfSupportProjected: l.endOfSupportProjected,
  version: l.nextPatch,
});

const unreleased = (c: Candidate) => c.status === "upcoming" || c.status === "projected";

/** Whether the policy makes the line at `ordinal` an LTS line (overrides first, as the engine classifies). */
function ltsAt(policy: Policy, ordinal: number, ordinalOf: (line: string) => number | null): boolean {
  const override = policy.overrides.find((o) => o.lts !== undefined && ordinalOf(o.line) === ordinal);
  if (override?.lts !== undefined) return override.lts;
  const rule = policy.lts.rule;
  if (rule.type === "every") {
    const from = ordinalOf(rule.from);
    return from !== null && ordinal >= from && (ordinal - from) % rule.every === 0;
  }
  return rule.type === "list" && rule.lines.some((line) => ordinalOf(line) === ordinal);
}

/** How many lines past the newest to look at, at most. */
const LOOKAHEAD = 1000;

/**
 * The lines after the newest of `lines`, on the policy's calendar, counted as the engine counts them. The
 * engine projects only up to the next cut, so on the 1st of a month next month's cut and release, and the next
 * LTS line (Wasmtime: every 12th), are usually further away than the lines it lists.
 */
function* projectBeyond(lines: ReleaseLine[], policy: Policy): Generator<Candidate> {
  const { granularity, calendar } = policy;
  const rule = policy.lts.rule;
  const parse = (line: string) => parseLineName(line, granularity);
  const configured = [
    calendar?.anchorLine,
    rule.type === "every" ? rule.from : undefined,
    ...(rule.type === "list" ? rule.lines : []),
    ...policy.overrides.map((o) => o.line),
  ].flatMap((line) => {
    const id = line === undefined ? null : parse(line);
    return id ? [id] : [];
  });
  const known: LineId[] = lines.map((l) => ({ major: l.major, minor: l.minor }));
  const newest = [...known].sort(compareLines).at(-1);
  if (!newest) return;
  const ordinals = new LineOrdinals(granularity, [...known, ...configured]);
  const ordinalOf = (line: string) => {
    const id = parse(line);
    return id ? ordinals.of(id) : null;
  };
  const anchorOrdinal = calendar ? (ordinalOf(calendar.anchorLine) ?? 0) : 0;
  const naming = new Naming(granularity, policy.branchPattern, policy.tagPattern);
  let id = newest;
  for (let step = 0; step < LOOKAHEAD; step++) {
    id = nextLine(id, granularity);
    const ordinal = ordinals.of(id);
    if (ordinal === null) return;
    const release = calendar ? nominalRelease(calendar, ordinal - anchorOrdinal) : null;
    yield {
      line: naming.key(id),
      label: lineLabel(id, granularity),
      branch: naming.branchOf(id),
      kind: ltsAt(policy, ordinal, ordinalOf) ? "lts" : "regular",
      status: "projected",
      nominalCut: calendar && release ? nominalCut(calendar, release) : null,
      nominalRelease: release,
      endOfSupport: null,
      endOfSupportProjected: true,
      version: firstVersion(id),
    };
  }
}

/** The engine's lines, then (with a policy) the projected ones needed to see `month` and the next LTS line. */
function candidates(lines: ReleaseLine[], month: string, policy: Policy | undefined): Candidate[] {
  const listed = lines.map(fromLine);
  if (!policy) return listed;
  let lts = listed.some((c) => c.kind === "lts" && unreleased(c));
  const extra: Candidate[] = [];
  for (const c of projectBeyond(lines, policy)) {
    // A line is cut before it is released: once the cut is past the month (or unknown), so is everything after.
    const reachesMonth = c.nominalCut !== null ? monthKey(c.nominalCut) <= month : c.nominalRelease !== null && monthKey(c.nominalRelease) <= month;
    if (reachesMonth || (!lts && c.kind === "lts")) extra.push(c);
    lts ||= c.kind === "lts";
    if (lts && !reachesMonth) break;
  }
  return [...listed, ...extra];
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
  const event = (c: Candidate, date: IsoDate): DueEvent => ({ line: c.line, label: c.label, branch: c.branch, kind: c.kind, date });
  const release = (c: Candidate, date: IsoDate): DueRelease => ({ ...event(c, date), version: c.version, cut: c.nominalCut });
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
  options: { config: Config; today: IsoDate; lines: ReleaseLine[]; activity: ActivityEntry[]; /** The tracking-label issues of any state, when the caller has them. */ allIssues?: Issue[] },
): Promise<TickAction[]> {
  const { config, today, lines } = options;
  if (!config.automation.checkin) return [];
  const month = monthKey(today);
  const previous = shiftMonth(month, -1);

  const issues = options.allIssues ?? (await port.listIssues({ labels: [config.tracking.label], state: "all" }));
  const checkins = issues.flatMap((issue) => {
    const key = checkinMonth(issue);
    return key ? [{ issue, month: key }] : [];
  });
  // Newest first, as GitHub lists them; should there be two for a month, the newest is the one kept up to date.
  const current = checkins.find((c) => c.month === month)?.issue ?? null;
  const last = checkins.find((c) => c.month === previous)?.issue ?? null;

  const lastMonth = await summariseLastMonth(port, { config, month: previous, previousActivity: readCheckin(last?.body ?? null)?.activity ?? [], issues });
  const due = dueNextMonth(lines, today, toPolicy(config));
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
        await port.createIssue({ title, body, labels: [config.tracking.label] });
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

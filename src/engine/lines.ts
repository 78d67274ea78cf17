/**
 * The support-window engine's core: policy + release history + a day → every release line with its
 * kind, dates, status and the reasons for each.
 */
import semver from "semver";
import { nominalCut, nominalRelease } from "./calendar.js";
import { checkPolicy } from "./check-policy.js";
import { addDuration, orUnknown, parseIsoDate } from "./dates.js";
import { groupHistory, releasedAsOf, type LineFacts } from "./history.js";
import { firstVersion, lineLabel, Naming, nextLine, parseLineName, type LineId } from "./naming.js";
import { LineOrdinals } from "./ordinals.js";
import { endOfSupport, futureLtsOrdinals, laterOf, type EndOfSupport, type WindowLine } from "./windows.js";
import type { IsoDate, LineKind, Policy, ReleaseHistory, ReleaseLine } from "./types.js";

/** How many projected lines at most; enough to show the next cut and release on any sane calendar. */
const MAX_PROJECTED = 3;

/** A line on its way to becoming a `ReleaseLine`. */
export interface LineDraft extends WindowLine {
  id: LineId;
  branch: string;
  branchExists: boolean;
  branchCreatedAt: IsoDate | null;
  nominalCut: IsoDate | null;
  latest: string | null;
  versions: string[];
  kind: LineKind;
  kindReason: string;
}

/** What every line computation reads from the policy: names, ordinals and nominal dates. */
export interface LineFrame {
  policy: Policy;
  naming: Naming;
  ordinals: LineOrdinals;
  ordinalOf: (line: string) => number | null;
  anchorOrdinal: number;
  nominal: (ordinal: number) => { release: IsoDate | null; cut: IsoDate | null };
}

/** The frame for a set of known lines (the lines the policy names count too: they fix minor ordinals). */
export function lineFrame(policy: Policy, naming: Naming, known: LineId[]): LineFrame {
  checkPolicy(policy);
  const parse = (line: string) => parseLineName(line, policy.granularity);
  const configured = [
    policy.calendar?.anchorLine,
    policy.lts.rule.type === "every" ? policy.lts.rule.from : undefined,
    ...(policy.lts.rule.type === "list" ? policy.lts.rule.lines : []),
    ...policy.overrides.map((o) => o.line),
  ].flatMap((line) => (line !== undefined ? [parse(line)].filter((id): id is LineId => id !== null) : []));
  const ordinals = new LineOrdinals(policy.granularity, [...known, ...configured]);
  const ordinalOf = (line: string) => {
    const id = parse(line);
    return id ? ordinals.of(id) : null;
  };
  const anchorOrdinal = policy.calendar ? (ordinalOf(policy.calendar.anchorLine) ?? 0) : 0;
  const calendar = policy.calendar;
  // A line so far from the anchor that its dates leave the years 0000–9999 (a stray tag v20240101.0.0 on a
  // monthly calendar) has no nominal dates, rather than failing every answer for the repository.
  const nominal = (ordinal: number) => {
    if (!calendar) return { release: null, cut: null };
    const release = orUnknown(() => nominalRelease(calendar, ordinal - anchorOrdinal));
    return { release, cut: release === null ? null : orUnknown(() => nominalCut(calendar, release)) };
  };
  return { policy, naming, ordinals, ordinalOf, anchorOrdinal, nominal };
}

/** The policy's nominal cut day of a line, or null without a calendar (the CLI dates a branch's cut by it). */
export function nominalCutOf(policy: Policy, naming: Naming): (line: LineId) => IsoDate | null {
  return (line) => {
    const frame = lineFrame(policy, naming, [line]);
    const ordinal = frame.ordinals.of(line);
    return ordinal === null ? null : frame.nominal(ordinal).cut;
  };
}

export function computeLines(policy: Policy, history: ReleaseHistory, on: IsoDate): ReleaseLine[] {
  parseIsoDate(on);
  const naming = new Naming(policy.granularity, policy.branchPattern, policy.tagPattern);
  const facts = groupHistory(history, naming);
  const frame = lineFrame(policy, naming, facts.map((f) => f.id));

  const drafts: LineDraft[] = [];
  for (const fact of facts) {
    const draft = draftFromFacts(fact, on, frame);
    if (draft) drafts.push(draft);
  }
  drafts.push(...projectNext(drafts.at(-1)?.id ?? null, on, frame));

  for (const draft of drafts) Object.assign(draft, classifyKind(draft, frame));
  const endFor = supportEnds(frame, drafts.filter((d) => d.released !== null));
  return drafts.map((draft) => finishLine(draft, endFor(draft), on, frame));
}

/**
 * End of support for any line, given the released lines (in line order) that count windows look at:
 * the regular window, for LTS lines the later of it and the LTS window, then the line's override.
 */
export function supportEnds(frame: LineFrame, released: (WindowLine & { kind: LineKind })[]): (line: WindowLine & { kind: LineKind }) => EndOfSupport {
  const { policy } = frame;
  // Override lines are normalised keys already (config/policy.ts).
  const overrides = new Map(policy.overrides.map((o) => [o.line, o]));
  const regularCtx = {
    calendar: policy.calendar,
    anchorOrdinal: frame.anchorOrdinal,
    windowFrom: policy.windowFrom,
    releasedCohort: released,
    futureOrdinals: (ordinal: number, count: number) => Array.from({ length: Math.max(count, 0) }, (_, i) => ordinal + i + 1),
    cohortName: "releases",
  };
  const ltsCtx = {
    ...regularCtx,
    releasedCohort: released.filter((d) => d.kind === "lts"),
    futureOrdinals: futureLtsOrdinals(policy.lts.rule, frame.ordinalOf),
    cohortName: "LTS releases",
  };
  return (line) => {
    const regularEnd = endOfSupport(line, policy.regular, regularCtx);
    const computed = line.kind === "lts" ? laterOf(endOfSupport(line, policy.lts.window, ltsCtx), regularEnd) : regularEnd;
    return applyOverride(computed, overrides.get(line.key));
  };
}

function draftFromFacts(fact: LineFacts, on: IsoDate, frame: LineFrame): LineDraft | null {
  const { naming } = frame;
  const ordinal = frame.ordinals.of(fact.id) ?? 0;
  const { released, latest, versions } = releasedAsOf(fact, on);
  const dates = frame.nominal(ordinal);
  // A branch whose cut date is unknown counts as cut on its nominal day (or always, without a calendar).
  const cutOn = fact.branch ? (fact.branch.createdAt ?? dates.cut) : null;
  const branchExists = fact.branch !== null && (cutOn === null || cutOn <= on);
  if (released === null && !branchExists) return null;
  return {
    id: fact.id,
    key: fact.key,
    ordinal,
    branch: fact.branch?.name ?? naming.branchOf(fact.id),
    branchExists,
    branchCreatedAt: branchExists ? (fact.branch?.createdAt ?? null) : null,
    nominalCut: dates.cut,
    nominalRelease: dates.release,
    released,
    latest,
    versions,
    kind: "regular",
    kindReason: "",
  };
}

/** A line the calendar says comes: no branch yet, no release; its kind is classified by the caller. */
export function projectedDraft(id: LineId, ordinal: number, frame: LineFrame): LineDraft {
  const dates = frame.nominal(ordinal);
  return {
    id,
    key: frame.naming.key(id),
    ordinal,
    branch: frame.naming.branchOf(id),
    branchExists: false,
    branchCreatedAt: null,
    nominalCut: dates.cut,
    nominalRelease: dates.release,
    released: null,
    latest: null,
    versions: [],
    kind: "regular",
    kindReason: "",
  };
}

/** Lines the calendar says come next: after the newest known line, not yet due for release. */
function projectNext(newest: LineId | null, on: IsoDate, frame: LineFrame): LineDraft[] {
  const { policy, nominal } = frame;
  const calendar = policy.calendar;
  if (!calendar) return [];
  let id = newest ? nextLine(newest, policy.granularity) : (parseLineName(calendar.anchorLine, policy.granularity) as LineId);
  let ordinal = frame.ordinals.of(id) ?? 0;
  // Skip slots whose release day has passed without a release: they did not happen.
  const step = () => {
    id = nextLine(id, policy.granularity);
    ordinal += 1;
  };
  const limit = 100_000;
  for (let guard = 0; (nominal(ordinal).release ?? on) < on && guard < limit; guard++) step();
  const projected: LineDraft[] = [];
  while (projected.length < MAX_PROJECTED) {
    const draft = projectedDraft(id, ordinal, frame);
    projected.push(draft);
    if (draft.nominalCut === null || draft.nominalCut > on) break;
    step();
  }
  return projected;
}

/** Whether the line is LTS, and why: an override first, then the policy's rule. */
export function classifyKind(draft: Pick<LineDraft, "ordinal">, frame: LineFrame): Pick<LineDraft, "kind" | "kindReason"> {
  const { policy, ordinalOf } = frame;
  const override = policy.overrides.find((o) => ordinalOf(o.line) === draft.ordinal && o.lts !== undefined);
  if (override?.lts !== undefined) {
    return { kind: override.lts ? "lts" : "regular", kindReason: `${override.lts ? "LTS" : "not LTS"} by override${override.note ? `: ${override.note}` : ""}` };
  }
  const rule = policy.lts.rule;
  if (rule.type === "every") {
    const from = ordinalOf(rule.from);
    if (from !== null && draft.ordinal >= from && (draft.ordinal - from) % rule.every === 0) {
      return { kind: "lts", kindReason: `LTS: every ${ordinalSuffix(rule.every)} line from ${rule.from}` };
    }
  }
  if (rule.type === "list" && rule.lines.some((line) => ordinalOf(line) === draft.ordinal)) {
    return { kind: "lts", kindReason: "LTS: listed in support.lts.lines" };
  }
  return { kind: "regular", kindReason: "regular line" };
}

function applyOverride(computed: EndOfSupport, override: Policy["overrides"][number] | undefined): EndOfSupport {
  if (!override) return computed;
  const why = override.note ? `: ${override.note}` : "";
  if (override.endOfSupport) return { date: override.endOfSupport, basis: `set by override${why}`, projected: false };
  const { extend } = override;
  const from = computed.date;
  if (extend && from) {
    const date = orUnknown(() => addDuration(from, extend));
    return { date, basis: `${computed.basis}, extended by override${why}`, projected: computed.projected };
  }
  return computed;
}

/** The line as the engine answers it. `on` is null for lines projected beyond the query day (never overdue). */
export function finishLine(draft: LineDraft, eos: EndOfSupport, on: IsoDate | null, frame: Pick<LineFrame, "naming">): ReleaseLine {
  const status = draft.released !== null
    ? on === null || eos.date === null || on <= eos.date ? "supported" : "end-of-support"
    : draft.branchExists ? "upcoming" : "projected";
  const lts = draft.kind === "lts" ? "LTS " : "";
  const until = eos.date ? `until ${eos.date} (${eos.basis})` : eos.basis;
  const due = draft.nominalRelease ? `, release due ${draft.nominalRelease}` : "";
  const reason = {
    supported: `supported ${lts}line ${until}`,
    "end-of-support": `end of support ${eos.date} (${eos.basis})`,
    upcoming: `upcoming ${lts}line: branch cut${draft.branchCreatedAt ? ` ${draft.branchCreatedAt}` : ""}${due}`,
    projected: on !== null && draft.nominalCut && draft.nominalCut < on
      ? `projected: branch cut was due ${draft.nominalCut} but ${draft.branch} does not exist${due}`
      : `projected: branch cut due ${draft.nominalCut ?? "unknown"}${due}`,
  }[status];
  return {
    line: draft.key,
    label: lineLabel(draft.id, frame.naming.granularity),
    major: draft.id.major,
    minor: draft.id.minor,
    branch: draft.branch,
    kind: draft.kind,
    kindReason: draft.kindReason,
    status,
    reason,
    branchExists: draft.branchExists,
    branchCreatedAt: draft.branchCreatedAt,
    nominalCut: draft.nominalCut,
    nominalRelease: draft.nominalRelease,
    released: draft.released,
    endOfSupport: eos.date,
    endOfSupportBasis: eos.basis,
    endOfSupportProjected: eos.projected,
    latest: draft.latest,
    versions: draft.versions,
    nextPatch: draft.latest ? (semver.inc(draft.latest, "patch") ?? firstVersion(draft.id)) : firstVersion(draft.id),
  };
}

function ordinalSuffix(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

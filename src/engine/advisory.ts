/** Advisories: which `security` lines a set of vulnerable version ranges affects, and their next patch. */
import semver from "semver";
import { EngineError } from "./errors.js";
import { firstVersion, lineRange, type LineId } from "./naming.js";
import { linesForGroup, type SelectorPolicy } from "./selectors.js";
import type { IsoDate, ReleaseLine, Skipped, Target } from "./types.js";

export interface VulnerableRange {
  /** As GitHub writes it: `>= 24.0.0, < 24.0.8`. */
  text: string;
  /** The same as a node-semver range. */
  semver: string;
  parsed: semver.Range;
}

/**
 * Whether a vulnerable range reaches into a line. Comparators are built per line rather than a range
 * string, so a long history does not churn semver's 1,000-entry range cache (a 3× slowdown past 1,000
 * lines). Pairwise comparator intersection is exact here: on a total order, pairwise-overlapping
 * half-lines share a point; it is also how semver's own Range#intersects decides.
 */
function reachesLine(range: VulnerableRange, line: LineId, granularity: SelectorPolicy["granularity"]): boolean {
  const bounds = lineRange(line, granularity).split(" ").map((c) => new semver.Comparator(c));
  return range.parsed.set.some((set) => set.every((c) => bounds.every((b) => c.intersects(b))));
}

const COMPARISON = /^(>=|<=|>|<|=)?\s*v?(\S+)$/;

/** Parses a range in GitHub's advisory syntax: comparisons joined by commas, all of which must hold. */
export function parseVulnerableRange(text: string): VulnerableRange {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.some((p) => p === "")) {
    throw new EngineError({ code: "bad-range", range: text, problem: 'expected comparisons like ">= 1.2.0, < 1.2.5"' });
  }
  const comparators = parts.map((part) => {
    const match = COMPARISON.exec(part);
    const version = match?.[2] ?? "";
    if (!match || !semver.valid(version)) {
      throw new EngineError({ code: "bad-range", range: text, problem: `"${part}" is not an operator (>=, >, <=, <, =) and a version like 1.2.3` });
    }
    return `${match[1] === "=" || !match[1] ? "" : match[1]}${version}`;
  });
  const range = comparators.join(" ");
  if (!semver.validRange(range)) throw new EngineError({ code: "bad-range", range: text, problem: "not a valid range" });
  return { text, semver: range, parsed: new semver.Range(range) };
}

/**
 * What an advisory means for one line, as a fact rather than prose:
 * - `affected`: a security line with vulnerable code and no patched release yet; it gets the fix in `nextPatch`;
 * - `patched`: the line shipped a version outside the ranges after vulnerable ones (`patchedIn`), whatever its status now;
 * - `ended-vulnerable`: its support ended while its latest release is vulnerable; no fix is planned;
 * - `not-security`: a live line with vulnerable code that the policy's `security` lines do not include;
 * - `not-affected`: a live line with no vulnerable version and no vulnerable code;
 * - `ended`: a line past its end of support that the ranges do not concern.
 */
export type AdvisoryVerdict = "affected" | "patched" | "ended-vulnerable" | "not-security" | "not-affected" | "ended";

export interface AffectedTarget extends Target {
  affected: true;
  verdict: "affected";
  patchedIn: null;
}

export interface UnaffectedLine extends Skipped {
  affected: false;
  verdict: Exclude<AdvisoryVerdict, "affected">;
  /** The first release outside the ranges after vulnerable ones, when the verdict is `patched`. */
  patchedIn: string | null;
}

export interface AdvisoryAssessment {
  on: IsoDate;
  ranges: string[];
  targets: AffectedTarget[];
  skipped: UnaffectedLine[];
}

export interface AdvisoryInput {
  lines: ReleaseLine[];
  ranges: string[];
  on: IsoDate;
  policy: SelectorPolicy;
  /**
   * Whether an upcoming line's branch already has the fix, by branch name, when the caller could look
   * (`false`: the fix exists and the branch lacks it). Branches left out are judged from the ranges alone.
   */
  hasFix?: Readonly<Record<string, boolean>>;
}

/** The code facts of one line, before the policy says what to do about them. */
type Finding =
  | { vulnerable: true; why: string }
  | { vulnerable: false; patchedIn: string | null; why: string };

interface Ranges {
  all: VulnerableRange[];
  granularity: SelectorPolicy["granularity"];
}

const describe = (ranges: VulnerableRange[]) => ranges.map((r) => r.text).join(" or ");
const within = (ranges: VulnerableRange[], version: string) => ranges.some((r) => r.parsed.test(version));

/** A released line: vulnerable when its latest release is; patched when a release after vulnerable ones is not. */
function examineReleased(line: ReleaseLine & { latest: string }, ranges: Ranges): Finding {
  const { granularity } = ranges;
  const reaching = ranges.all.filter((r) => reachesLine(r, line, granularity));
  if (reaching.length === 0) return { vulnerable: false, patchedIn: null, why: `no ${line.label} version is within ${describe(ranges.all)}` };
  // Name only the ranges that reach into this line: "36.0.3 is within >= 36.0.0, < 36.0.4".
  const shown = describe(reaching);
  if (within(reaching, line.latest)) return { vulnerable: true, why: `${line.latest} is within ${shown}` };
  const versions = line.versions.length > 0 ? line.versions : [line.latest];
  const lastVulnerable = versions.filter((v) => within(reaching, v)).at(-1);
  const patchedIn = lastVulnerable ? versions.find((v) => semver.gt(v, lastVulnerable) && !within(reaching, v)) : undefined;
  if (lastVulnerable && patchedIn) {
    return { vulnerable: false, patchedIn, why: `patched in ${patchedIn}: ${lastVulnerable} is within ${shown}, ${patchedIn} is not` };
  }
  const later = `>${line.latest} ${lineRange(line, granularity).split(" ")[1]}`;
  if (reaching.some((r) => semver.intersects(r.semver, later))) {
    return { vulnerable: false, patchedIn: null, why: `${line.latest} is outside ${shown}; only later ${line.label} versions are within it` };
  }
  return { vulnerable: false, patchedIn: null, why: `${line.latest} and later are outside ${shown}` };
}

/**
 * A line cut but not released has no vulnerable versions, but has the vulnerable code unless it was cut
 * after the fix. What the caller knows about its branch decides; without that, the ranges do (when they
 * take in its first version), else the newest released line does: the branch was cut from the same code.
 */
function examineUpcoming(line: ReleaseLine, ranges: Ranges, newest: { line: ReleaseLine; finding: Finding } | null, hasFix: boolean | undefined): Finding {
  const first = firstVersion(line);
  if (hasFix === true) return { vulnerable: false, patchedIn: null, why: `${line.branch} has the fix; ${first} will ship with it` };
  if (hasFix === false) return { vulnerable: true, why: `${line.branch} does not have the fix` };
  const reaching = ranges.all.filter((r) => reachesLine(r, line, ranges.granularity));
  if (within(reaching, first)) return { vulnerable: true, why: `${first} would be within ${describe(reaching)}` };
  const known = newest?.finding;
  if (newest && known?.vulnerable) {
    return { vulnerable: true, why: `not released yet, and the newest released line ${newest.line.label} is affected (${known.why}): ${line.branch} has the vulnerable code unless it was cut after the fix` };
  }
  if (newest && known && !known.vulnerable && known.patchedIn) {
    return { vulnerable: false, patchedIn: null, why: `not released yet; assumed to have the fix, which the newest released line ${newest.line.label} shipped in ${known.patchedIn} (check ${line.branch})` };
  }
  const newestWhy = newest ? `, nor is the newest released line ${newest.line.label} affected` : "";
  return { vulnerable: false, patchedIn: null, why: `${first} would not be within ${describe(ranges.all)}${newestWhy}` };
}

/**
 * Assesses an advisory's vulnerable ranges against the lines on a day. Affected security lines become
 * targets with their next patch version; every other known line is kept under `skipped` with its verdict
 * and reason. Newest line first.
 */
export function assessAdvisory(input: AdvisoryInput): AdvisoryAssessment {
  const parsed = input.ranges.map(parseVulnerableRange);
  if (parsed.length === 0) throw new EngineError({ code: "bad-range", range: "", problem: "at least one vulnerable range is needed" });
  const ranges: Ranges = { all: parsed, granularity: input.policy.granularity };
  const security = new Set(linesForGroup("security", input.lines, input.policy).map((l) => l.line));
  const newestReleased = input.lines.filter((l): l is ReleaseLine & { latest: string } => l.latest !== null).at(-1);
  const newest = newestReleased ? { line: newestReleased, finding: examineReleased(newestReleased, ranges) } : null;
  const targets: AffectedTarget[] = [];
  const skipped: UnaffectedLine[] = [];
  for (const line of [...input.lines].reverse()) {
    if (line.status === "projected") continue;
    const finding = line.latest !== null
      ? examineReleased({ ...line, latest: line.latest }, ranges)
      : examineUpcoming(line, ranges, newest, input.hasFix?.[line.branch]);
    const base = { branch: line.branch, line: line.line, label: line.label, status: line.status };
    const ended = line.status === "end-of-support";
    if (finding.vulnerable && !ended && security.has(line.line)) {
      targets.push({
        ...base,
        kind: line.kind,
        endOfSupport: line.endOfSupport,
        reason: `${finding.why}; the fix ships in ${line.nextPatch}`,
        nextPatch: line.nextPatch,
        latest: line.latest,
        affected: true,
        verdict: "affected",
        patchedIn: null,
      });
      continue;
    }
    const endNote = `end of support ${line.endOfSupport}`;
    const [verdict, reason]: [UnaffectedLine["verdict"], string] = finding.vulnerable
      ? ended
        ? ["ended-vulnerable", `${endNote}, no fix planned: ${finding.why}`]
        : ["not-security", `${line.status} line, not a security line, no fix planned: ${finding.why}`]
      : finding.patchedIn
        ? ["patched", ended ? `${finding.why}; ${endNote}` : finding.why]
        : ended
          ? ["ended", `${endNote}; ${finding.why}`]
          : ["not-affected", finding.why];
    skipped.push({ ...base, affected: false, verdict, patchedIn: finding.vulnerable ? null : finding.patchedIn, reason });
  }
  return { on: input.on, ranges: parsed.map((r) => r.text), targets, skipped };
}

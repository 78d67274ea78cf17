/** Advisories: which `security` lines a set of vulnerable version ranges affects, and their next patch. */
import semver from "semver";
import { EngineError } from "./errors.js";
import { firstVersion, lineLabel, lineRange, type LineId } from "./naming.js";
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

export interface AffectedTarget extends Target {
  affected: true;
}

export interface UnaffectedLine extends Skipped {
  affected: false;
  /** The line had vulnerable releases and already has a patched one. */
  patched: boolean;
}

export interface AdvisoryAssessment {
  on: IsoDate;
  ranges: string[];
  targets: AffectedTarget[];
  skipped: UnaffectedLine[];
}

type Verdict = { affected: true; reason: string } | { affected: false; patched: boolean; reason: string };

function assessLine(line: ReleaseLine, ranges: VulnerableRange[], granularity: SelectorPolicy["granularity"]): Verdict {
  const label = lineLabel(line, granularity);
  const within = lineRange(line, granularity);
  const relevant = ranges.filter((r) => reachesLine(r, line, granularity));
  if (relevant.length === 0) {
    return { affected: false, patched: false, reason: `no ${label} version is within ${ranges.map((r) => r.text).join(" or ")}` };
  }
  // Name only the ranges that reach into this line: "36.0.3 is within >= 36.0.0, < 36.0.4".
  ranges = relevant;
  const shown = ranges.map((r) => r.text).join(" or ");
  const inAny = (version: string) => ranges.some((r) => semver.satisfies(version, r.semver));
  if (!line.latest) {
    const first = firstVersion(line);
    return inAny(first)
      ? { affected: true, reason: `${first} would be within ${shown}; the fix ships in ${first}` }
      : { affected: false, patched: false, reason: `${first} is outside ${shown}` };
  }
  if (inAny(line.latest)) return { affected: true, reason: `${line.latest} is within ${shown}; the fix ships in ${line.nextPatch}` };
  const later = `>${line.latest} ${within.split(" ")[1]}`;
  const laterVulnerable = ranges.some((r) => semver.intersects(r.semver, later));
  if (!laterVulnerable) return { affected: false, patched: true, reason: `${line.latest} and later are outside ${shown}` };
  return { affected: false, patched: false, reason: `${line.latest} is outside ${shown}; only later ${label} versions are within it` };
}

/**
 * Assesses an advisory's vulnerable ranges against the `security` lines on a day. Affected lines become
 * targets with their next patch version; every other known line is kept under `skipped` with its reason.
 */
export function assessAdvisory(input: { lines: ReleaseLine[]; ranges: string[]; on: IsoDate; policy: SelectorPolicy }): AdvisoryAssessment {
  const ranges = input.ranges.map(parseVulnerableRange);
  if (ranges.length === 0) throw new EngineError({ code: "bad-range", range: "", problem: "at least one vulnerable range is needed" });
  const { granularity } = input.policy;
  const security = new Set(linesForGroup("security", input.lines, input.policy).map((l) => l.line));
  const targets: AffectedTarget[] = [];
  const skipped: UnaffectedLine[] = [];
  for (const line of [...input.lines].reverse()) {
    if (line.status === "projected") continue;
    const base = { branch: line.branch, line: line.line, status: line.status };
    if (!security.has(line.line)) {
      const vulnerable = ranges.some((r) => reachesLine(r, line, granularity));
      const why = line.status === "end-of-support" ? `end of support ${line.endOfSupport}` : `${line.status} line, not a security line`;
      skipped.push({ ...base, affected: false, patched: false, reason: vulnerable ? `${why}; has vulnerable versions, no fix planned` : why });
      continue;
    }
    const verdict = assessLine(line, ranges, granularity);
    if (verdict.affected) {
      targets.push({
        ...base,
        kind: line.kind,
        endOfSupport: line.endOfSupport,
        reason: verdict.reason,
        nextPatch: line.nextPatch,
        latest: line.latest,
        affected: true,
      });
    } else {
      skipped.push({ ...base, affected: false, patched: verdict.patched, reason: verdict.reason });
    }
  }
  return { on: input.on, ranges: ranges.map((r) => r.text), targets, skipped };
}

/**
 * Advisory → tracking rows, purely: which of its vulnerable ranges concern this repository, which lines
 * they affect on the publication day (the engine decides), and how new rows merge with an issue's old ones.
 */
import type { Config } from "../config/schema.js";
import { assessAdvisory, type AdvisoryInput, type UnaffectedLine } from "../engine/advisory.js";
import type { LineStatus } from "../engine/types.js";
import type { Advisory, AdvisoryNote, AdvisoryPackage, AdvisoryRow } from "./types.js";

type PackageRule = Config["advisories"]["packages"][number];

const matches = (rule: PackageRule, pkg: AdvisoryPackage) =>
  rule.name.toLowerCase() === pkg.name.toLowerCase() && (rule.ecosystem === null || rule.ecosystem === pkg.ecosystem);

/**
 * The ranges that count. A repository advisory with no configured packages counts whole; a global one
 * (`global: true`) counts only for configured packages, since it may name anyone's package.
 */
export function rangesFor(advisory: Advisory, options: { packages: PackageRule[]; global: boolean }): string[] {
  const vulnerabilities = options.packages.length === 0
    ? (options.global ? [] : advisory.vulnerabilities)
    : advisory.vulnerabilities.filter((v) => options.packages.some((rule) => matches(rule, v.package)));
  return [...new Set(vulnerabilities.map((v) => v.vulnerableRange))];
}

/** A line that already shipped the fix: the release it shipped in, whether or not its support has ended since. */
export interface PatchedNote extends AdvisoryNote {
  patchedIn: string;
  status: LineStatus;
}

export interface Assessment {
  /** Affected lines, newest first: each gets the fix. */
  rows: AdvisoryRow[];
  /** Supported and upcoming lines with nothing to do: not affected, or already patched (those are under `patched` too). */
  unaffected: AdvisoryNote[];
  /** Lines whose support ended with vulnerable versions and no fix: named, never "not affected". */
  endOfSupport: AdvisoryNote[];
  /** Every line that shipped a release outside the ranges after vulnerable ones, supported or ended. */
  patched: PatchedNote[];
  /** Supported or upcoming lines with vulnerable code that the policy's security lines leave out. */
  notSecurity: AdvisoryNote[];
}

/** Sorts the engine's verdicts: affected lines become pending rows, every other verdict its list. */
export function assessRows(input: AdvisoryInput): Assessment {
  const result = assessAdvisory(input);
  const rows = result.targets.map((t): AdvisoryRow => ({
    branch: t.branch, line: t.line, label: t.label, nextPatch: t.nextPatch, reason: t.reason,
    status: "pending", pull: null, issue: null, releasedIn: null, dismissed: null,
  }));
  const note = (s: UnaffectedLine): AdvisoryNote => ({ branch: s.branch, line: s.line, label: s.label, reason: s.reason });
  const live = (s: UnaffectedLine) => s.status === "supported" || s.status === "upcoming";
  const withVerdict = (...verdicts: UnaffectedLine["verdict"][]) => result.skipped.filter((s) => verdicts.includes(s.verdict));
  return {
    rows,
    unaffected: withVerdict("not-affected", "patched").filter(live).map(note),
    endOfSupport: withVerdict("ended-vulnerable").map(note),
    patched: withVerdict("patched").map((s) => ({ ...note(s), patchedIn: s.patchedIn ?? "", status: s.status })),
    notSecurity: withVerdict("not-security").map(note),
  };
}

/** Statuses a re-assessment never undoes. */
const PROGRESS = new Set(["open", "merged", "released", "conflict", "already-on-target", "dismissed"]);

/**
 * New rows over old ones: a line keeps its progress (PR, release, dismissal); a line no longer affected
 * (the advisory's ranges changed) is dismissed with that reason unless it already shipped the fix.
 */
export function mergeAdvisoryRows(previous: AdvisoryRow[], next: AdvisoryRow[]): AdvisoryRow[] {
  const merged = next.map((row) => {
    const before = previous.find((p) => p.branch === row.branch);
    return before && (PROGRESS.has(before.status) || before.pull) ? { ...before, reason: row.reason, nextPatch: before.releasedIn ? before.nextPatch : row.nextPatch } : row;
  });
  for (const before of previous) {
    if (next.some((r) => r.branch === before.branch)) continue;
    merged.push(before.status === "released" || before.status === "dismissed"
      ? before
      : { ...before, status: "dismissed", dismissed: "not affected after the advisory's ranges changed" });
  }
  return merged;
}

/**
 * Advisory → tracking rows, purely: which of its vulnerable ranges concern this repository, which lines
 * they affect on the publication day (the engine decides), and how new rows merge with an issue's old ones.
 */
import type { Config } from "../config/schema.js";
import { assessAdvisory } from "../engine/advisory.js";
import type { SelectorPolicy } from "../engine/selectors.js";
import type { IsoDate, ReleaseLine } from "../engine/types.js";
import { lineLabel } from "../backport/targets.js";
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

export interface Assessment {
  rows: AdvisoryRow[];
  unaffected: AdvisoryNote[];
  endOfSupport: AdvisoryNote[];
}

/** Affected lines become pending rows; live lines left out are "not affected"; ended lines with vulnerable versions are named. */
export function assessRows(input: { lines: ReleaseLine[]; ranges: string[]; on: IsoDate; policy: SelectorPolicy }): Assessment {
  const result = assessAdvisory(input);
  const label = (line: string) => lineLabel({ line });
  const rows = result.targets.map((t): AdvisoryRow => ({
    branch: t.branch, line: label(t.line), nextPatch: t.nextPatch, reason: t.reason,
    status: "pending", pull: null, issue: null, releasedIn: null, dismissed: null,
  }));
  const note = (s: { branch: string; line: string; reason: string }): AdvisoryNote => ({ branch: s.branch, line: label(s.line), reason: s.reason });
  const unaffected = result.skipped.filter((s) => s.status === "supported" || s.status === "upcoming").map(note);
  const endOfSupport = result.skipped.filter((s) => s.status === "end-of-support" && s.reason.includes("vulnerable")).map(note);
  return { rows, unaffected, endOfSupport };
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

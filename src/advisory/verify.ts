/**
 * Verification of an advisory published after the fact (the usual order on a security day: fixes merged on
 * every line, patch releases published, then the advisory). Two questions the engine cannot answer alone:
 *
 * - Does an upcoming line's branch (cut, not released) already have the fix? Yes when the branch contains a
 *   fix commit (it was cut after the fix), or when one of its own recent commits is the fix picked onto it:
 *   it names the GHSA id, records `cherry picked from commit <fix>`, or carries the fix's title (with or
 *   without a `[39.0.x]`-style prefix). No when fixes are known and none of that holds. Unknown without a
 *   known fix: the engine then judges from the newest released line.
 * - Do the advisory's declared patched versions agree with the published releases? Each disagreement is
 *   one sentence for the record.
 */
import semver from "semver";
import type { ReleaseLine } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import { titleOf } from "./find-fix.js";
import type { Advisory, AdvisoryFix, AdvisoryRow, PatchedLine } from "./types.js";

/** How many of an upcoming branch's newest commits are looked through for a picked fix. */
const BRANCH_COMMITS = 100;

/**
 * A title without a leading `[39.0.x]` / `[release-39.0.0]` / `Backport:` marker and a trailing `(#123)` (a
 * squash merge's), lower case, spaces collapsed.
 */
const normalTitle = (title: string) =>
  title.replace(/^\s*(\[[^\]]{1,40}\]\s*|backport:\s*)+/i, "").replace(/(\s*\(#\d+\))+\s*$/, "").replace(/\s+/g, " ").trim().toLowerCase();

async function fixCommits(port: GitHubPort, fixes: AdvisoryFix[]): Promise<{ sha: string; title: string }[]> {
  const commits: { sha: string; title: string }[] = [];
  for (const fix of fixes) {
    if (fix.kind === "commit") commits.push({ sha: fix.sha, title: fix.title });
    else {
      const pull = await port.getPull(fix.number);
      if (pull.mergeCommitSha) commits.push({ sha: pull.mergeCommitSha, title: pull.title });
    }
  }
  return commits;
}

/** Whether each upcoming line's branch has the fix; branches left out could not be judged (no fix known). */
export async function upcomingHasFix(
  port: GitHubPort,
  input: { lines: ReleaseLine[]; fixes: AdvisoryFix[]; ghsaId: string; since: string },
): Promise<Record<string, boolean>> {
  const upcoming = input.lines.filter((l) => l.status === "upcoming" && l.latest === null);
  if (upcoming.length === 0 || input.fixes.length === 0) return {};
  const fixes = await fixCommits(port, input.fixes);
  if (fixes.length === 0) return {};
  const ghsa = input.ghsaId.toLowerCase();
  const titles = new Set(fixes.map((f) => normalTitle(f.title)).filter((t) => t.length > 0));
  const result: Record<string, boolean> = {};
  for (const line of upcoming) {
    if ((await port.getBranch(line.branch)) === null) continue;
    let has = false;
    for (const fix of fixes) {
      const comparison = await port.compare(fix.sha, line.branch);
      // The branch contains the fix commit: it was cut after the fix, or the fix was merged into it.
      if (comparison.status === "ahead" || comparison.status === "identical") has = true;
      if (has) break;
    }
    if (!has) {
      const commits = await port.listCommits({ sha: line.branch, since: input.since, max: BRANCH_COMMITS });
      has = commits.some((c) => {
        const message = c.message.toLowerCase();
        return message.includes(ghsa)
          || fixes.some((f) => message.includes(`cherry picked from commit ${f.sha.toLowerCase()}`))
          || titles.has(normalTitle(titleOf(c.message)));
      });
    }
    result[line.branch] = has;
  }
  return result;
}

/** Versions an advisory's `patched_versions` text names: `36.0.4`, `>= 36.0.4`, `24.0.8, 36.0.4`. */
export function declaredVersions(advisory: Advisory, ranges: string[]): string[] {
  const texts = advisory.vulnerabilities.filter((v) => ranges.includes(v.vulnerableRange)).map((v) => v.patched ?? "");
  const versions = texts.flatMap((t) => t.split(/[,\s]+/)).map((p) => p.replace(/^(>=|>|=|v)+/, "")).filter((v) => semver.valid(v) !== null);
  return [...new Set(versions)].sort(semver.compare);
}

/** Which line a version belongs to, by its published versions or by its line range. */
const lineOf = (lines: ReleaseLine[], version: string): ReleaseLine | undefined =>
  lines.find((l) => l.versions.includes(version)) ?? lines.find((l) => l.nextPatch === version || version.startsWith(`${l.line}.`));

/**
 * Where the advisory's declared patched versions and the published releases disagree: a declared version
 * that is neither published nor the next patch of a line still waiting for it; a line that shipped the fix
 * with no declared version; a declared version later than the release that first shipped the fix.
 */
export function patchedMismatches(input: {
  declared: string[];
  lines: ReleaseLine[];
  patched: PatchedLine[];
  rows: AdvisoryRow[];
  withinRanges: (version: string) => boolean;
}): string[] {
  const published = new Set(input.lines.flatMap((l) => l.versions));
  const awaited = new Set(input.rows.filter((r) => r.status !== "released" && r.status !== "dismissed").map((r) => r.nextPatch));
  const out: string[] = [];
  for (const version of input.declared) {
    if (!published.has(version)) {
      if (!awaited.has(version)) out.push(`The advisory declares ${version} patched, but no ${version} release is published.`);
      continue;
    }
    if (input.withinRanges(version)) out.push(`The advisory declares ${version} patched, but ${version} is within its vulnerable ranges.`);
  }
  for (const line of input.patched) {
    if (line.patchedIn === null) continue;
    const declaredHere = input.declared.filter((v) => lineOf(input.lines, v)?.branch === line.branch);
    if (declaredHere.length === 0) {
      out.push(`${line.label} shipped the fix in ${line.patchedIn}, but the advisory declares no patched ${line.label} version.`);
    } else if (!declaredHere.includes(line.patchedIn) && declaredHere.every((v) => semver.gt(v, line.patchedIn!))) {
      out.push(`The advisory declares ${declaredHere.join(", ")} patched for ${line.label}, but ${line.patchedIn} already shipped the fix.`);
    }
  }
  return out;
}

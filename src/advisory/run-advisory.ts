/**
 * A published (or withdrawn) advisory: work out the affected lines, keep one tracking issue for it (found by
 * its GHSA marker, open or closed, so re-delivery and re-publication never open a second), find the fix on
 * the default branch and backport it. Nothing happens for an advisory that is not public yet (embargo).
 *
 * Published after the fact (every affected line already shipped a patched release, the usual order on a
 * security day), the record is a verification: the lines and the releases that patched them, and where the
 * advisory's declared patched versions disagree with the releases; it is written once and closed at once
 * (`advisories.alreadyPatched: skip`: not written at all). A line still missing its patched release keeps
 * the record open with its row, its next patch version and a backport of the fix.
 */
import type { Log } from "../log.js";
import type { Config } from "../config/schema.js";
import { addDuration, parseDuration, toIsoDay } from "../engine/dates.js";
import { parseVulnerableRange } from "../engine/advisory.js";
import { computeLines } from "../engine/lines.js";
import type { IsoDate, Policy } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";
import type { Journal } from "../runtime/journal.js";
import { advisoryOutcomes } from "../workflows/outcomes.js";

import { findOwnIssue, saveComment } from "../state/records.js";
import { readReleaseHistory } from "../workflows/release-state.js";
import { assessRows, mergeAdvisoryRows, rangesFor } from "./assess.js";
import { backportFixes } from "./backport-fixes.js";
import { findFixes } from "./find-fix.js";
import { advisoryKey, readAdvisoryIssue, renderAdvisoryIssue, renderWithdrawnComment } from "./render.js";
import { advisoryRef, saveAdvisoryIssue } from "./save-issue.js";
import type { Advisory, AdvisoryRow, AdvisoryTracking, PatchedLine } from "./types.js";
import { declaredVersions, patchedMismatches, upcomingHasFix } from "./verify.js";

export interface AdvisoryJob {
  port: GitHubPort;
  config: Config;
  policy: Policy;
  today: IsoDate;
  defaultBranch: string;
  advisory: Advisory;
  /** From GitHub's global database (`security_advisory`), not this repository's own advisory. */
  global: boolean;
  log: Pick<Log, "info" | "warn">;
  /** Where the job notes what became of the advisory's lines; told nothing while the advisory is private. */
  journal?: Journal;
}

/** `verified`: nothing was left to do and, as configured, nothing was written. */
export type AdvisoryResult = "embargoed" | "not-ours" | "withdrawn" | "tracked" | "verified";

/** Advisories the App may act on: published ones, and withdrawals of ones it tracks. Everything else is private. */
export const isPublic = (advisory: Pick<Advisory, "state">) => advisory.state === "published" || advisory.state === "withdrawn";

/** The App's own tracking issue for the advisory, open or closed. */
export async function findAdvisoryIssue(port: GitHubPort, config: Pick<Config, "tracking">, ghsaId: string): Promise<Issue | undefined> {
  return findOwnIssue(port, { ref: advisoryRef(ghsaId), label: config.tracking.label });
}

/** The publication day, unless the App hears of it later than that (then today): lines are assessed on it. */
function assessmentDay(advisory: Advisory, today: IsoDate): IsoDate {
  const published = advisory.publishedAt ? toIsoDay(new Date(advisory.publishedAt)) : today;
  return published <= today ? published : today;
}

export async function runAdvisory(job: AdvisoryJob): Promise<AdvisoryResult> {
  const { advisory } = job;
  if (!isPublic(advisory)) {
    job.log.info({}, "advisory event under embargo: nothing done");
    return "embargoed";
  }
  job.journal?.published(advisory);
  const rows: AdvisoryRow[] = [];
  const result = await trackAdvisory(job, rows);
  if (result !== "embargoed") for (const outcome of advisoryOutcomes(advisory, result, rows)) job.journal?.note(outcome);
  return result;
}

/** A public advisory's work; `rows` receives the tracked rows. */
async function trackAdvisory(job: AdvisoryJob, trackedRows: AdvisoryRow[]): Promise<AdvisoryResult> {
  const { port, config, advisory, log } = job;
  const ranges = rangesFor(advisory, { packages: config.advisories.packages, global: job.global });
  if (ranges.length === 0) return "not-ours";
  const found = await findAdvisoryIssue(port, config, advisory.ghsaId);
  const previous = readAdvisoryIssue(found?.body ?? null);
  if (advisory.state === "withdrawn") {
    if (found && previous && (!previous.withdrawn || found.state === "open")) {
      // The comment first, then the closed issue: a run that dies in between finishes on the next delivery.
      const tracking = { ...previous, withdrawn: true };
      await saveComment(port, { number: found.number, ref: { kind: "advisory-withdrawn", key: advisoryKey(tracking.ghsaId) }, body: renderWithdrawnComment(tracking) });
      await port.updateIssue({ number: found.number, ...renderAdvisoryIssue(tracking), state: "closed" });
    }
    return "withdrawn";
  }
  const on = assessmentDay(advisory, job.today);
  const { policy } = job;
  const history = await readReleaseHistory(port, policy);
  const linesOn = computeLines(policy, history, on);
  const since = `${addDuration(on, parseDuration(config.advisories.fixWindow), -1)}T00:00:00Z`;
  const fixes = previous?.fixes.length ? previous.fixes : await findFixes(port, { ghsaId: advisory.ghsaId, defaultBranch: job.defaultBranch, since });
  // An upcoming line is affected unless its branch has the fix: looked up when a fix is known.
  const hasFix = await upcomingHasFix(port, { lines: linesOn, fixes, ghsaId: advisory.ghsaId, since });
  const assessed = assessRows({ lines: linesOn, ranges, on, policy, hasFix });
  const rows = mergeAdvisoryRows(previous?.rows ?? [], assessed.rows);
  const patched: PatchedLine[] = [
    ...linesOn.filter((l) => hasFix[l.branch] === true && !rows.some((r) => r.branch === l.branch)).map((l): PatchedLine => ({
      branch: l.branch, line: l.line, label: l.label, patchedIn: null, reason: `${l.branch} has the fix; ${l.nextPatch} will ship with it`,
    })),
    ...assessed.patched.map(({ branch, line, label, patchedIn, reason }): PatchedLine => ({ branch, line, label, patchedIn, reason })),
  ];
  const parsedRanges = ranges.map(parseVulnerableRange);
  const mismatches = patchedMismatches({
    declared: declaredVersions(advisory, ranges), lines: linesOn, patched, rows,
    withinRanges: (version) => parsedRanges.some((r) => r.parsed.test(version)),
  });
  const tracking: AdvisoryTracking = {
    ghsaId: advisory.ghsaId, cveId: advisory.cveId, summary: advisory.summary, advisoryUrl: advisory.htmlUrl,
    ranges, assessedOn: on, rows, unaffected: assessed.unaffected, endOfSupport: assessed.endOfSupport, fixes, withdrawn: false,
    patched, mismatches,
  };
  if (!found && rows.length === 0 && config.advisories.alreadyPatched === "skip") {
    log.info({ advisory: advisory.ghsaId, patched: patched.map((p) => `${p.line}:${p.patchedIn ?? "branch"}`), mismatches: mismatches.length }, "advisory needs nothing: no record written (advisories.alreadyPatched: skip)");
    return "verified";
  }
  const lines = computeLines(policy, history, job.today);
  tracking.rows = await backportFixes({ port, config, fixes, rows, lines, defaultBranch: job.defaultBranch, log });
  await saveAdvisoryIssue(port, { config, found, tracking });
  trackedRows.push(...tracking.rows);
  log.info({ advisory: advisory.ghsaId, rows: tracking.rows.map((r) => `${r.line}:${r.status}`), fixes: fixes.length }, "advisory tracked");
  return "tracked";
}

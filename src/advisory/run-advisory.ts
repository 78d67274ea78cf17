/**
 * A published (or withdrawn) advisory: work out the affected lines, keep one tracking issue for it (found by
 * its GHSA marker, open or closed, so re-delivery and re-publication never open a second), find the fix on
 * the default branch and backport it. Nothing happens for an advisory that is not public yet (embargo).
 */
import type { Log } from "../log.js";
import type { Config } from "../config/schema.js";
import { addDuration, parseDuration, toIsoDay } from "../engine/dates.js";
import { computeLines } from "../engine/lines.js";
import type { IsoDate, Policy } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";

import { findOwnIssue, saveComment } from "../state/records.js";
import { readReleaseHistory } from "../workflows/release-state.js";
import { assessRows, mergeAdvisoryRows, rangesFor } from "./assess.js";
import { backportFixes } from "./backport-fixes.js";
import { findFixes } from "./find-fix.js";
import { advisoryKey, readAdvisoryIssue, renderAdvisoryIssue, renderWithdrawnComment } from "./render.js";
import { advisoryRef, saveAdvisoryIssue } from "./save-issue.js";
import type { Advisory, AdvisoryTracking } from "./types.js";

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
}

export type AdvisoryResult = "embargoed" | "not-ours" | "withdrawn" | "tracked";

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
  const { port, config, advisory, log } = job;
  if (!isPublic(advisory)) {
    log.info({}, "advisory event under embargo: nothing done");
    return "embargoed";
  }
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
  const assessed = assessRows({ lines: computeLines(policy, history, on), ranges, on, policy });
  const rows = mergeAdvisoryRows(previous?.rows ?? [], assessed.rows);
  const since = `${addDuration(on, parseDuration(config.advisories.fixWindow), -1)}T00:00:00Z`;
  const fixes = previous?.fixes.length ? previous.fixes : await findFixes(port, { ghsaId: advisory.ghsaId, defaultBranch: job.defaultBranch, since });
  const tracking: AdvisoryTracking = {
    ghsaId: advisory.ghsaId, cveId: advisory.cveId, summary: advisory.summary, advisoryUrl: advisory.htmlUrl,
    ranges, assessedOn: on, rows, unaffected: assessed.unaffected, endOfSupport: assessed.endOfSupport, fixes, withdrawn: false,
  };
  const lines = computeLines(policy, history, job.today);
  tracking.rows = await backportFixes({ port, config, fixes, rows, lines, defaultBranch: job.defaultBranch, log });
  await saveAdvisoryIssue(port, { config, found, tracking });
  log.info({ advisory: advisory.ghsaId, rows: tracking.rows.map((r) => `${r.line}:${r.status}`), fixes: fixes.length }, "advisory tracked");
  return "tracked";
}

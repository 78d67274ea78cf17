/**
 * Workflow results as the status page's outcome lines (src/runtime/journal.ts): one per target, with what
 * happened or why not. Pure mappings; the workflows note them on their job's journal.
 *
 * Draft advisories never appear: the daily tick's `advisory-drafts` outcomes are left out whole (their
 * count alone would tell that drafts exist), and the advisory workflows note nothing before the advisory
 * reads as public.
 */
import type { AdvisoryResult } from "../advisory/run-advisory.js";
import type { Advisory, AdvisoryRow } from "../advisory/types.js";
import type { BackportReport } from "../backport/run-backport.js";
import { sourceRef, type TargetOutcome } from "../backport/types.js";
import type { TickReport } from "../calendar/types.js";
import type { JobOutcome, OutcomeStatus } from "../runtime/journal.js";

const MAX_FILES = 5;

function targetOutcome(outcome: TargetOutcome): Pick<JobOutcome, "status" | "detail" | "url"> {
  switch (outcome.kind) {
    case "opened":
      return { status: "done", detail: `opened #${outcome.pull.number}`, url: outcome.pull.url };
    case "exists":
      return { status: "unchanged", detail: `#${outcome.pull.number} exists already (${outcome.state})`, url: outcome.pull.url };
    case "empty":
      return { status: "unchanged", detail: "already on this line: the pick changes nothing" };
    case "conflict": {
      const files = outcome.files.length > MAX_FILES ? [...outcome.files.slice(0, MAX_FILES), `${outcome.files.length - MAX_FILES} more`] : outcome.files;
      const where = files.length > 0 ? ` in ${files.join(", ")}` : "";
      return {
        status: "conflict",
        detail: `conflict${where}${outcome.issue ? `; to finish by hand, see #${outcome.issue.number}` : ""}`,
        ...(outcome.issue ? { url: outcome.issue.url } : {}),
      };
    }
    case "skipped":
      return { status: "skipped", detail: outcome.reason };
    case "failed":
      return { status: "failed", detail: outcome.reason };
  }
}

/** A row per target (rows settled by an earlier run read as unchanged), then the lines left out and why. */
export function backportOutcomes(report: Pick<BackportReport, "source" | "rows" | "worked" | "skipped">): JobOutcome[] {
  const subject = (branch: string) => `backport ${sourceRef(report.source)} → ${branch}`;
  const rows = report.rows.map((row): JobOutcome => {
    const outcome = targetOutcome(row.outcome);
    if (report.worked.includes(row.branch)) return { subject: subject(row.branch), ...outcome };
    return { subject: subject(row.branch), ...outcome, status: "unchanged", detail: `${outcome.detail} (settled earlier)` };
  });
  const skipped = report.skipped.map((line): JobOutcome => ({ subject: subject(line.branch), status: "skipped", detail: line.reason }));
  return [...rows, ...skipped];
}

const TICK_STATUS: Record<TickReport["outcomes"][number]["status"], OutcomeStatus> = { done: "done", planned: "planned", failed: "failed" };

/** Each action of the daily tick, except draft advisories' (private); "nothing to do" when it had none. */
export function tickOutcomes(report: TickReport): JobOutcome[] {
  const outcomes = report.outcomes
    .filter((o) => o.job !== "advisory-drafts")
    .map((o): JobOutcome => ({ subject: `tick: ${o.job}`, status: TICK_STATUS[o.status], detail: o.status === "failed" ? `${o.description}: ${o.error ?? "failed"}` : o.description }));
  return outcomes.length > 0 ? outcomes : [{ subject: `daily tick ${report.on}`, status: "unchanged", detail: "nothing to do" }];
}

const ROW_STATUS: Record<AdvisoryRow["status"], OutcomeStatus> = {
  pending: "planned", failed: "failed", conflict: "conflict", open: "done", closed: "skipped", merged: "done", "already-on-target": "unchanged",
  released: "done", dismissed: "skipped",
};

/**
 * A public advisory's result and its rows. Never called for an advisory under embargo: `runAdvisory`
 * returns before it reads anything then, and the caller notes nothing for `embargoed`.
 */
export function advisoryOutcomes(advisory: Pick<Advisory, "ghsaId">, result: Exclude<AdvisoryResult, "embargoed">, rows: AdvisoryRow[]): JobOutcome[] {
  const subject = `advisory ${advisory.ghsaId}`;
  switch (result) {
    case "not-ours":
      return [{ subject, status: "skipped", detail: "no vulnerable range of a package this repository lists" }];
    case "withdrawn":
      return [{ subject, status: "done", detail: "withdrawn: its tracking issue is closed" }];
    case "verified":
      return [{ subject, status: "unchanged", detail: "every affected line is patched: no record written (advisories.alreadyPatched: skip)" }];
    case "tracked":
      if (rows.length === 0) return [{ subject, status: "done", detail: "every affected line is patched: recorded and closed" }];
      return rows.map((row): JobOutcome => ({
        subject: `${subject} → ${row.branch}`,
        status: ROW_STATUS[row.status],
        detail: [row.status, row.pull ? `#${row.pull.number}` : null, row.issue ? `see #${row.issue.number}` : null, `fix ships in ${row.nextPatch}`, row.dismissed].filter((x) => x).join(", "),
        ...(row.pull ?? row.issue ? { url: (row.pull ?? row.issue)!.url } : {}),
      }));
  }
}

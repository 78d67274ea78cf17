/**
 * Markdown for GitHub, one entry point: the backport PR's title and body here; the summary comment and the
 * conflict issue in `render-summary.ts` (with the Markdown helpers every renderer shares), tracking issues
 * in `render-tracking.ts`, replies to `/backport` in `render-replies.ts`.
 */
import { embedState, marker } from "../state/markers.js";
import { readState } from "../state/read-state.js";
import { backportRefSchema, type BackportRef } from "../state/schemas.js";
import { backportRefState, code, inline, shortSha } from "./render-summary.js";
import { sourceKey, sourceRef, type PickedCommit, type SourcePull } from "./types.js";

export { readSummary, renderConflictIssue, renderSummary } from "./render-summary.js";
export type { ConflictIssueInput, ConflictOutcome, SummaryInput, SummaryState } from "./render-summary.js";
export { readTracking, renderFixTracking, renderLineTracking, trackingDone } from "./render-tracking.js";
export type { FixTrackingInput, LineTrackingInput, TrackingMode, TrackingState } from "./render-tracking.js";
export { renderAcknowledgement, renderConfigProblems, renderRefusal, renderRejection, renderStarted } from "./render-replies.js";
export type { AcknowledgedTarget, AcknowledgementInput, ConfigProblemsInput, RefusalInput, RejectionInput, ReplyKind, StartedInput } from "./render-replies.js";

export interface BackportTitleValues {
  target: string;
  line: string;
  title: string;
  number: number;
}

/** Fills `{target}`, `{line}`, `{title}` and `{number}` in one pass; other braces stay as written. */
export function renderBackportTitle(template: string, values: BackportTitleValues): string {
  const filled: Record<string, string> = {
    target: values.target,
    line: values.line,
    title: values.title.replace(/\s+/g, " ").trim(),
    number: String(values.number),
  };
  return template.replace(/\{(target|line|title|number)\}/g, (_, name: string) => filled[name] ?? "");
}

export type { BackportRef };

export interface BackportBodyInput {
  source: SourcePull;
  branch: string;
  /** The line's key and label. */
  line: string;
  label: string;
  nextPatch: string;
  commits: PickedCommit[];
  reason: string;
}

export function renderBackportBody(input: BackportBodyInput): string {
  const { source, branch, line, label, nextPatch, commits, reason } = input;
  const picked = commits.map((c) => `- ${code(shortSha(c.source))} → ${code(shortSha(c.picked))} ${inline(c.title)}`);
  return [
    marker("backport", `${sourceKey(source)}/${branch}`),
    `Backport of ${sourceRef(source)} to ${code(branch)}, release line ${inline(label)} (ships in ${inline(nextPatch)}): ${inline(source.title)}`,
    `Why this target: ${inline(reason)}.`,
    `${commits.length === 1 ? "Commit" : "Commits"} picked from ${source.commit ? "the default branch" : "the source PR"} (source → backport):\n\n${picked.join("\n")}`,
    "lts-steward cherry-picked these through the GitHub API; each commit message carries the " +
      "`(cherry picked from commit …)` line that `git cherry-pick -x` adds. " +
      `If the release line needs more (a conflict resolved differently, an extra change), push it to this PR's branch.`,
    embedState(backportRefState(source, branch, line)),
  ].join("\n\n");
}

/** The source PR and target named by a backport PR body or a conflict issue, or null. */
export function readBackportRef(body: string | null): BackportRef | null {
  return readState(body, backportRefSchema);
}

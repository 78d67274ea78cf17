/** The backport pipeline's own shapes: requests, per-target outcomes, and what the summary and tracking issues show. */
import type { LineKind } from "../engine/types.js";
import type { RowStatus } from "../state/rows.js";

/** Where a backport request came from: a label, a label that implies a selector, or a `/backport` comment. */
export interface BackportRequest {
  selector: string;
  /** e.g. `label backport:lts`, `label security`, `comment by @alex (#issuecomment-12)`. */
  via: string;
}

export interface PullLink {
  number: number;
  url: string;
}

/** A commit copied onto a target: the source sha and the new sha on the backport branch. */
export interface PickedCommit {
  source: string;
  picked: string;
  title: string;
}

/** An earlier change on the default branch to a conflicting file that the target never received. */
export interface MissingChange {
  sha: string;
  title: string;
  /** The PR number named in the title (`(#123)`), when there is one. */
  pull: number | null;
}

export type TargetOutcome =
  /** `combined`: the PR is the line's combined backport PR, which carries other fixes too. */
  | { kind: "opened"; pull: PullLink; commits: PickedCommit[]; combined?: boolean }
  /** A backport PR for this source and target existed already (any state): nothing was created. */
  | { kind: "exists"; pull: PullLink; state: "open" | "closed" | "merged"; combined?: boolean }
  /** The target already has every change: the pick produced nothing. */
  | { kind: "empty" }
  | {
      kind: "conflict";
      files: string[];
      /** Shell commands to finish the backport by hand, in order. */
      commands: string[];
      missing: MissingChange[];
      /** The issue opened for the person who has to finish it. */
      issue: PullLink | null;
      /** With `backport.conflicts: draft-pr`: the draft PR holding the pick with conflict markers (then no issue). */
      pull?: PullLink;
    }
  | { kind: "skipped"; reason: string }
  /** GitHub refused or kept failing; the reason is for people. */
  | { kind: "failed"; reason: string };

export interface TargetRow {
  branch: string;
  /** The engine's key of the line: `36`, `1.4`. */
  line: string;
  /** The line as people read it: `36.0.x`, `1.4.x`. */
  label: string;
  lineKind: LineKind;
  /** The version a fix on this line ships in, e.g. `36.0.5`. */
  nextPatch: string;
  /** Why the engine chose it, e.g. `security: LTS, supported until 2026-05-20`. */
  reason: string;
  outcome: TargetOutcome;
}

/** The source PR as the summary, backport PRs and tracking issues describe it. */
export interface SourcePull {
  /** The source PR; 0 when the fix is a commit pushed without one (then `commit` is set). */
  number: number;
  title: string;
  url: string;
  author: string;
  mergedBy: string | null;
  /** Set when the source is a commit on the default branch rather than a PR. */
  commit?: string;
}

/** How people and markers name a source: `#123` or `commit 1a2b3c4d5e6f`. */
export const sourceRef = (source: Pick<SourcePull, "number" | "commit">): string =>
  source.commit ? `commit ${source.commit.slice(0, 12)}` : `#${source.number}`;

/** The stable key of a source in branch names and markers: `pr-123` or `commit-1a2b3c4d5e6f`. */
export const sourceKey = (source: Pick<SourcePull, "number" | "commit">): string =>
  source.commit ? `commit-${source.commit.slice(0, 12)}` : `pr-${source.number}`;

/** Lines the request named that get nothing, with the engine's reason (end of support, not selected…). */
export interface SkippedLine {
  branch: string;
  /** The line's key. */
  line: string;
  /** The line as people read it. */
  label: string;
  reason: string;
}

/** A tracking issue row's state: the shared row model (src/state/rows.ts). */
export type TrackingStatus = RowStatus;

export interface TrackingRow {
  /** The source PR (per-fix issues have one; per-line issues have one row per fix). */
  source: { number: number; title: string };
  branch: string;
  /** The line's key. */
  line: string;
  /** The line as people read it. */
  label: string;
  nextPatch: string;
  status: TrackingStatus;
  pull: PullLink | null;
  /** The conflict issue, for rows that need a person. */
  issue: PullLink | null;
}

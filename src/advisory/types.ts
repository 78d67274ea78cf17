/** Advisories as the App sees them (from a repository advisory or GitHub's global database) and their tracking rows. */
import type { PullLink } from "../backport/types.js";
import type { RowStatus } from "../state/rows.js";

export interface AdvisoryPackage {
  /** GitHub's ecosystem name, lower case: `rust`, `npm`, `pip`, `go`… */
  ecosystem: string;
  name: string;
}

export interface AdvisoryVulnerability {
  package: AdvisoryPackage;
  /** GitHub's syntax: `>= 36.0.0, < 36.0.4`. */
  vulnerableRange: string;
  /** e.g. `36.0.4`, when known. */
  patched: string | null;
  /** Functions the advisory names (repository advisories), kept so that an edit sends them back unchanged. */
  functions?: string[];
}

export interface Advisory {
  ghsaId: string;
  cveId: string | null;
  summary: string;
  /** `published`, `withdrawn`; anything else (draft, triage, closed) is under embargo for the App. */
  state: string;
  /** ISO 8601, when published. */
  publishedAt: string | null;
  htmlUrl: string | null;
  vulnerabilities: AdvisoryVulnerability[];
}

/** Where a row stands: from pending to released, or dismissed by a maintainer. */
export type AdvisoryRowStatus = RowStatus;

/** One affected line of an advisory. */
export interface AdvisoryRow {
  branch: string;
  /** The line's key: `36`. */
  line: string;
  /** The line as people read it: `36.0.x`. */
  label: string;
  /** The version the fix ships in on this line, e.g. `36.0.4`. */
  nextPatch: string;
  /** Why the line is affected, from the engine: `36.0.3 is within >= 36.0.0, < 36.0.4; the fix ships in 36.0.4`. */
  reason: string;
  status: AdvisoryRowStatus;
  /** The backport PR, once there is one. */
  pull: PullLink | null;
  /** The conflict issue, when the backport needs a person. */
  issue: PullLink | null;
  /** The release that shipped the fix on this line, e.g. `36.0.4`. */
  releasedIn: string | null;
  /** Why a maintainer dismissed the row. */
  dismissed: string | null;
}

/** A line that is not affected (or gets no fix), with the reason. */
export interface AdvisoryNote {
  branch: string;
  /** The line's key. */
  line: string;
  /** The line as people read it. */
  label: string;
  reason: string;
}

/** A line that already has the fix: the published release it shipped in, or (upcoming line) its branch. */
export interface PatchedLine {
  branch: string;
  line: string;
  label: string;
  /** The published release that shipped the fix; null for an upcoming line whose branch has it. */
  patchedIn: string | null;
  /** Why: from the engine, or how the branch was checked. */
  reason: string;
}

/** The fix on the default branch: a merged PR, or a commit pushed without one. */
export type AdvisoryFix = { kind: "pull"; number: number; title: string; url: string } | { kind: "commit"; sha: string; title: string };

/** Everything the advisory tracking issue shows; kept as the issue's embedded state. */
export interface AdvisoryTracking {
  ghsaId: string;
  cveId: string | null;
  summary: string;
  advisoryUrl: string | null;
  /** The vulnerable ranges that count for this repository. */
  ranges: string[];
  /** The day the lines were assessed on (the publication day). */
  assessedOn: string;
  rows: AdvisoryRow[];
  /** Supported or upcoming lines that are not affected, with the reason. */
  unaffected: AdvisoryNote[];
  /** Lines with vulnerable versions that get no fix because their support ended. */
  endOfSupport: AdvisoryNote[];
  /** The fixes found or named by a maintainer; empty while none is known. */
  fixes: AdvisoryFix[];
  /** Set when the advisory was withdrawn: no further work. */
  withdrawn: boolean;
  /** Lines that already have the fix, with their patched release (absent in records written before it existed). */
  patched?: PatchedLine[];
  /** Where the advisory's declared patched versions and the published releases disagree, one sentence each. */
  mismatches?: string[];
}

/**
 * The engine's own input and output shapes. Adapters (CLI, GitHub) map their data into these;
 * nothing here knows about Octokit, files or the clock.
 */

/** A calendar day in UTC, `YYYY-MM-DD`. Lexicographic order is date order. */
export type IsoDate = string;

export type DurationUnit = "day" | "week" | "month" | "year";

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** How long a line is supported: a duration from its release, or while it is among the latest N. */
export type SupportWindow =
  | { type: "duration"; duration: Duration }
  | { type: "count"; latest: number };

export type LineGranularity = "major" | "minor";

export interface Calendar {
  cadence: Duration;
  /** The version whose nominal release date is `anchorDate`; other lines are projected from it. */
  anchorLine: string;
  anchorDate: IsoDate;
  /** Day of month releases land on (month/year cadences); clamped to the month's length. */
  releaseDay: number | null;
  /** Day of month the branch is cut, in the release's month or, if after the release day, the month before. */
  cutDay: number | null;
  /** Alternative to cutDay for any cadence: the cut happens this many days before the release. */
  cutDaysBefore: number | null;
}

export type LtsRule =
  | { type: "none" }
  | { type: "every"; every: number; from: string }
  | { type: "list"; lines: string[] };

export interface LineOverride {
  line: string;
  lts?: boolean;
  /** Replaces the computed end of support (extends it or ends it early). */
  endOfSupport?: IsoDate;
  /** Added to the computed end of support. */
  extend?: Duration;
  note?: string;
}

/** The selectors a group selector expands to; `security` is the only configurable one today. */
export type BaseSelector = "supported" | "lts" | "current" | "upcoming";

/** The parsed, normalised policy the engine works from (see config/policy.ts). */
export interface Policy {
  granularity: LineGranularity;
  branchPattern: string;
  tagPattern: string;
  calendar: Calendar | null;
  regular: SupportWindow;
  lts: { rule: LtsRule; window: SupportWindow };
  /** Whether duration windows start at the nominal (calendar) or the actual release date. */
  windowFrom: "nominal" | "actual";
  overrides: LineOverride[];
  security: BaseSelector[];
}

export interface ReleaseRecord {
  version: string;
  date: IsoDate;
}

export interface BranchRecord {
  name: string;
  /** When the branch was cut, if known. Unknown means "assume cut on its nominal day". */
  createdAt?: IsoDate | null;
}

export interface ReleaseHistory {
  releases: ReleaseRecord[];
  branches: BranchRecord[];
}

export type LineStatus = "projected" | "upcoming" | "supported" | "end-of-support";
export type LineKind = "lts" | "regular";

export interface ReleaseLine {
  /** The line's key: `36` for major lines, `1.4` for minor lines. */
  line: string;
  /** How people read the line: `36.0.x` for major lines, `1.4.x` for minor lines. */
  label: string;
  major: number;
  minor: number;
  branch: string;
  kind: LineKind;
  /** Why the line is (or is not) LTS. */
  kindReason: string;
  status: LineStatus;
  /** One sentence explaining the status, e.g. "end of support 2025-11-20". */
  reason: string;
  branchExists: boolean;
  branchCreatedAt: IsoDate | null;
  nominalCut: IsoDate | null;
  nominalRelease: IsoDate | null;
  /** First release of the line on or before the query date. */
  released: IsoDate | null;
  /** Last day (inclusive) the line gets fixes; null when it cannot be known yet. */
  endOfSupport: IsoDate | null;
  /** How the end of support was computed, e.g. "24 months from nominal release 2025-08-20". */
  endOfSupportBasis: string;
  /** Whether the end of support is a projection that depends on future releases. */
  endOfSupportProjected: boolean;
  latest: string | null;
  /** Final releases of the line on or before the query date, oldest first. */
  versions: string[];
  /** The version a fix on this line would ship in. */
  nextPatch: string;
}

export interface Target {
  branch: string;
  /** The line's key (`36`). */
  line: string;
  /** The line as people read it (`36.0.x`). */
  label: string;
  kind: LineKind;
  status: LineStatus;
  endOfSupport: IsoDate | null;
  reason: string;
  nextPatch: string;
  latest: string | null;
}

export interface Skipped {
  branch: string;
  /** The line's key (`36`). */
  line: string;
  /** The line as people read it (`36.0.x`). */
  label: string;
  status: LineStatus;
  reason: string;
}

export interface TargetResult {
  on: IsoDate;
  selectors: string[];
  targets: Target[];
  skipped: Skipped[];
}

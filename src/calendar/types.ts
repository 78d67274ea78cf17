/** The daily tick's plan and report: each job says what it would do (dry run) or did, with the reason. */
import type { IsoDate } from "../engine/types.js";

export type TickJob = "cut" | "schedule" | "end-of-support" | "ci" | "checkin" | "reconcile" | "advisory-drafts";

/** One thing the tick does to GitHub, decided before anything is written. */
export interface TickAction {
  job: TickJob;
  /** For people and logs: "create branch release-40.0.0 from main (cut day 2025-12-05)". */
  description: string;
  /** Writes it (never called in a dry run). */
  apply: () => Promise<void>;
  /** What the month's check-in records once it is applied. */
  activity?: ActivityEntry;
}

/** What happened to an action. */
export interface TickOutcome {
  job: TickJob;
  description: string;
  status: "planned" | "done" | "failed";
  error?: string;
}

export interface TickReport {
  on: IsoDate;
  dryRun: boolean;
  outcomes: TickOutcome[];
}

/** An event the month's check-in issue reports (kept in its embedded state). */
export interface ActivityEntry {
  on: IsoDate;
  kind: "cut" | "dispatch" | "dispatch-failed" | "end-of-support" | "error";
  /** e.g. `release-40.0.0`. */
  subject: string;
  detail: string;
}

/**
 * What a job did, per target, for people reading the status page: "backport #12 → release-36.0.0: opened
 * #40", "skipped: end of support 2025-06-20". Workflows note outcomes on the job's journal as they settle
 * them; the runtime records the job with its outcomes when it finishes (src/runtime/job-history.ts).
 */

export type OutcomeStatus = "done" | "unchanged" | "skipped" | "conflict" | "failed" | "planned";

export interface JobOutcome {
  /** What it is about: `backport #12 → release-36.0.0`, `tick: cut`, `advisory GHSA-…`. */
  subject: string;
  status: OutcomeStatus;
  /** What happened, or why not: `opened #40`, `end of support 2025-06-20`. */
  detail: string;
  /** A pull request or issue it made or found, when there is one. */
  url?: string;
}

/** Where a job notes its outcomes. */
export interface Journal {
  note(outcome: JobOutcome): void;
  /**
   * An advisory the job found published (re-read live, or listed by GitHub as published): its ids may be
   * shown from now on. Every other GHSA or CVE id is withheld (src/runtime/embargo.ts).
   */
  published(ids: { ghsaId: string; cveId?: string | null }): void;
}

/** A journal that keeps nothing (the CLI, tests that do not look). */
export const NO_JOURNAL: Journal = { note: () => undefined, published: () => undefined };

/** A journal that keeps what it is told, for one job. */
export class JobJournal implements Journal {
  readonly outcomes: JobOutcome[] = [];
  readonly publishedIds: { ghsaId: string; cveId?: string | null }[] = [];

  note(outcome: JobOutcome): void {
    this.outcomes.push(outcome);
  }

  published(ids: { ghsaId: string; cveId?: string | null }): void {
    this.publishedIds.push(ids);
  }
}

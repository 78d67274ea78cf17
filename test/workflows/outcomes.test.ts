/**
 * Workflow results as the status page's outcome lines (src/workflows/outcomes.ts): one per target with what
 * happened or why not; the daily tick's draft-advisory actions never appear.
 */
import type { TargetRow } from "../../src/backport/types.js";
import { advisoryOutcomes, backportOutcomes, tickOutcomes } from "../../src/workflows/outcomes.js";
import type { AdvisoryRow } from "../../src/advisory/types.js";

const row = (branch: string, outcome: TargetRow["outcome"]): TargetRow => ({
  branch, line: branch.replace(/^release-(\d+).*$/, "$1"), label: `${branch.replace(/^release-(\d+).*$/, "$1")}.0.x`, lineKind: "regular", nextPatch: "1.0.1", reason: "security", outcome,
});
const pull = (number: number) => ({ number, url: `https://github.com/acme/engine/pull/${number}` });

test("a backport: each target's outcome with its reason, rows settled earlier as unchanged, then the lines left out", () => {
  const outcomes = backportOutcomes({
    source: { number: 12, title: "Fix", url: "", author: "alex", mergedBy: "sam" },
    rows: [
      row("release-39.0.0", { kind: "opened", pull: pull(40), commits: [] }),
      row("release-38.0.0", { kind: "conflict", files: ["a.rs", "b.rs", "c.rs", "d.rs", "e.rs", "f.rs", "g.rs"], commands: [], missing: [], issue: pull(41) }),
      row("release-36.0.0", { kind: "failed", reason: "the App is not allowed to do this (Resource not accessible by integration); check its permissions" }),
      row("release-24.0.0", { kind: "exists", pull: pull(30), state: "merged" }),
      row("release-37.0.0", { kind: "empty" }),
    ],
    worked: ["release-39.0.0", "release-38.0.0", "release-36.0.0", "release-37.0.0"],
    skipped: [{ branch: "release-35.0.0", line: "35", label: "35.0.x", reason: "end of support 2025-09-20" }],
  });
  expect(outcomes).toEqual([
    { subject: "backport #12 → release-39.0.0", status: "done", detail: "opened #40", url: "https://github.com/acme/engine/pull/40" },
    { subject: "backport #12 → release-38.0.0", status: "conflict", detail: "conflict in a.rs, b.rs, c.rs, d.rs, e.rs, 2 more; to finish by hand, see #41", url: "https://github.com/acme/engine/pull/41" },
    { subject: "backport #12 → release-36.0.0", status: "failed", detail: "the App is not allowed to do this (Resource not accessible by integration); check its permissions" },
    { subject: "backport #12 → release-24.0.0", status: "unchanged", detail: "#30 exists already (merged) (settled earlier)", url: "https://github.com/acme/engine/pull/30" },
    { subject: "backport #12 → release-37.0.0", status: "unchanged", detail: "already on this line: the pick changes nothing" },
    { subject: "backport #12 → release-35.0.0", status: "skipped", detail: "end of support 2025-09-20" },
  ]);
});

test("a commit without a PR is named by its short sha", () => {
  const [outcome] = backportOutcomes({
    source: { number: 0, commit: "1a2b3c4d5e6f7a8b9c0d", title: "Fix", url: "", author: "alex", mergedBy: null },
    rows: [row("release-39.0.0", { kind: "skipped", reason: "end of support" })], worked: ["release-39.0.0"], skipped: [],
  });
  expect(outcome!.subject).toBe("backport commit 1a2b3c4d5e6f → release-39.0.0");
});

test("the daily tick: its actions, failures with the error; draft-advisory actions are left out whole, even when they failed", () => {
  expect(tickOutcomes({
    on: "2025-12-05", dryRun: false,
    outcomes: [
      { job: "cut", description: "create branch release-40.0.0 from main (cut day 2025-12-05)", status: "done" },
      { job: "advisory-drafts", description: "suggest patched versions in draft advisory 1 of 2", status: "done" },
      { job: "advisory-drafts", description: "plan advisory-drafts", status: "failed", error: "GitHub refused to edit a draft advisory (403)" },
      { job: "ci", description: "dispatch main.yml on release-36.0.0", status: "failed", error: "GitHub kept failing (502) after retrying" },
    ],
  })).toEqual([
    { subject: "tick: cut", status: "done", detail: "create branch release-40.0.0 from main (cut day 2025-12-05)" },
    { subject: "tick: ci", status: "failed", detail: "dispatch main.yml on release-36.0.0: GitHub kept failing (502) after retrying" },
  ]);
  const onlyDrafts = tickOutcomes({ on: "2025-12-05", dryRun: false, outcomes: [{ job: "advisory-drafts", description: "suggest patched versions in draft advisory 1 of 1", status: "done" }] });
  expect(onlyDrafts).toEqual([{ subject: "daily tick 2025-12-05", status: "unchanged", detail: "nothing to do" }]);
  expect(JSON.stringify(onlyDrafts)).not.toMatch(/draft/i);
});

test("a published advisory: a row per affected line; other results in one line", () => {
  const advisoryRow = (branch: string, status: AdvisoryRow["status"], extra: Partial<AdvisoryRow> = {}): AdvisoryRow => ({
    branch, line: "36", label: "36.0.x", nextPatch: "36.0.4", reason: "", status, pull: null, issue: null, releasedIn: null, dismissed: null, ...extra,
  });
  expect(advisoryOutcomes({ ghsaId: "GHSA-2222-3333-4444" }, "tracked", [advisoryRow("release-36.0.0", "open", { pull: pull(50) }), advisoryRow("release-24.0.0", "dismissed", { dismissed: "not shipped there" })])).toEqual([
    { subject: "advisory GHSA-2222-3333-4444 → release-36.0.0", status: "done", detail: "open, #50, fix ships in 36.0.4", url: "https://github.com/acme/engine/pull/50" },
    { subject: "advisory GHSA-2222-3333-4444 → release-24.0.0", status: "skipped", detail: "dismissed, fix ships in 36.0.4, not shipped there" },
  ]);
  expect(advisoryOutcomes({ ghsaId: "GHSA-2222-3333-4444" }, "not-ours", [])).toEqual([{ subject: "advisory GHSA-2222-3333-4444", status: "skipped", detail: expect.stringMatching(/no vulnerable range/) }]);
  expect(advisoryOutcomes({ ghsaId: "GHSA-2222-3333-4444" }, "tracked", [])[0]).toMatchObject({ status: "done", detail: expect.stringMatching(/patched: recorded and closed/) });
});

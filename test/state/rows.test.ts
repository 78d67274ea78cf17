/** The tracked-row model shared by fix tracking and advisory tracking: one status set, one transition table, one "done" rule. */
import type { TargetOutcome } from "../../src/backport/types.js";
import { advance, allDone, canAdvance, needsBackport, ROW_STATUSES, rowDone, statusOfOutcome, type RowStatus } from "../../src/state/rows.js";

/**
 * The transitions as the maintainers want them, written out whole: a row only moves forward; released and
 * dismissed are final; closed without merging is a maintainer's decision, but a PR merged after all still
 * counts (a stale "open" seen by a later run does not undo the close); a failed backport is tried again
 * (pending). Every pair not listed keeps the row as it is.
 */
const ALLOWED: Record<RowStatus, RowStatus[]> = {
  pending: ["failed", "conflict", "open", "closed", "merged", "already-on-target", "released", "dismissed"],
  failed: ["pending", "conflict", "open", "closed", "merged", "already-on-target", "released", "dismissed"],
  conflict: ["failed", "open", "closed", "merged", "already-on-target", "released", "dismissed"],
  open: ["closed", "merged", "released", "dismissed"],
  closed: ["merged", "released", "dismissed"],
  merged: ["released", "dismissed"],
  "already-on-target": ["released", "dismissed"],
  released: [],
  dismissed: [],
};

const pairs = ROW_STATUSES.flatMap((from) => ROW_STATUSES.map((to) => [from, to] as [RowStatus, RowStatus]));

describe("transitions", () => {
  test.each(pairs)("%s → %s", (from, to) => {
    const allowed = ALLOWED[from].includes(to);
    expect(canAdvance(from, to)).toBe(allowed);
    expect(advance(from, to)).toBe(allowed || from === to ? to : from);
  });

  test.each(["released", "dismissed"] as RowStatus[])("%s is final", (status) => {
    for (const next of ROW_STATUSES) expect(advance(status, next)).toBe(status);
  });

  test("progress is never undone by an older fact seen later", () => {
    expect(advance("merged", "open")).toBe("merged");
    expect(advance("merged", "closed")).toBe("merged");
    expect(advance("open", "pending")).toBe("open");
    expect(advance("open", "conflict")).toBe("open");
    expect(advance("already-on-target", "failed")).toBe("already-on-target");
    expect(advance("closed", "failed")).toBe("closed");
    // A later run whose summary still says the PR is open does not reopen the row.
    expect(advance("closed", "open")).toBe("closed");
  });

  test("a closed backport PR merged after all moves on", () => {
    expect(advance("closed", "merged")).toBe("merged");
  });

  test("a walk through observations ends where the furthest allowed fact put it", () => {
    const walk = (steps: RowStatus[]) => steps.reduce<RowStatus>((row, next) => advance(row, next), "pending");
    expect(walk(["failed", "pending", "open", "conflict", "merged", "open", "released", "dismissed"])).toBe("released");
    expect(walk(["conflict", "open", "closed", "open", "merged"])).toBe("merged");
    expect(walk(["open", "closed", "open", "conflict"])).toBe("closed");
  });
});

describe("done", () => {
  const rows = (...statuses: RowStatus[]) => statuses.map((status) => ({ status }));

  test.each([
    ["merged", ["merged", "already-on-target", "closed", "released", "dismissed"]],
    ["released", ["released", "dismissed"]],
  ] as const)("until %s: a row is done when it is %j", (until, done) => {
    for (const status of ROW_STATUSES) expect(rowDone(status, until)).toBe((done as readonly RowStatus[]).includes(status));
  });

  test("fix tracking (until merged) is done once every row is merged or settled otherwise", () => {
    expect(allDone(rows("merged", "already-on-target", "closed", "dismissed"), "merged")).toBe(true);
    expect(allDone(rows("merged", "open"), "merged")).toBe(false);
    expect(allDone(rows("merged", "conflict"), "merged")).toBe(false);
    expect(allDone(rows("failed"), "merged")).toBe(false);
  });

  test("advisory tracking (until released) waits for the patch release", () => {
    expect(allDone(rows("released", "dismissed"), "released")).toBe(true);
    expect(allDone(rows("released", "merged"), "released")).toBe(false);
    expect(allDone(rows("already-on-target"), "released")).toBe(false);
  });

  test("a record with no rows is not done: it has tracked nothing yet", () => {
    expect(allDone([], "merged")).toBe(false);
    expect(allDone([], "released")).toBe(false);
  });

  test("pending and failed rows still need a backport; nothing else does", () => {
    expect(ROW_STATUSES.filter(needsBackport)).toEqual(["pending", "failed"]);
  });
});

describe("statusOfOutcome", () => {
  const pull = { number: 12, url: "https://github.com/o/r/pull/12" };
  const outcomes: [TargetOutcome, RowStatus | null][] = [
    [{ kind: "opened", pull, commits: [{ source: "a".repeat(40), picked: "b".repeat(40), title: "Fix" }] }, "open"],
    [{ kind: "exists", pull, state: "open" }, "open"],
    [{ kind: "exists", pull, state: "closed" }, "closed"],
    [{ kind: "exists", pull, state: "merged" }, "merged"],
    [{ kind: "empty" }, "already-on-target"],
    [{ kind: "conflict", files: ["src/a.rs"], commands: [], missing: [], issue: null }, "conflict"],
    [{ kind: "conflict", files: [], commands: [], missing: [], issue: pull }, "conflict"],
    [{ kind: "failed", reason: "GitHub kept failing" }, "failed"],
    [{ kind: "skipped", reason: "end of support 2025-06-20" }, null],
  ];

  test.each(outcomes)("%j → %s", (outcome, status) => {
    expect(statusOfOutcome(outcome)).toBe(status);
  });

  test("every outcome kind is covered", () => {
    expect(new Set(outcomes.map(([o]) => o.kind))).toEqual(new Set(["opened", "exists", "empty", "conflict", "failed", "skipped"]));
  });
});

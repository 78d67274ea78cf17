import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { backportBranch, backportLabels, parseBackportBranch, reviewersFor } from "../../src/backport/process-target.js";
import { mergeRows } from "../../src/backport/tracking.js";
import { statusOfOutcome as trackingStatus } from "../../src/state/rows.js";
import { sourceKey, type SourcePull, type TargetOutcome, type TrackingRow, type TrackingStatus } from "../../src/backport/types.js";

function defaults(): Config {
  const result = parseConfig({});
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** The default config with `backport` fields replaced. */
const withBackport = (fields: Partial<Config["backport"]>): Config => {
  const config = defaults();
  return { ...config, backport: { ...config.backport, ...fields } };
};

const pull = (number: number) => ({ number, url: `https://github.com/o/r/pull/${number}` });

function row(fields: Partial<TrackingRow> & Pick<TrackingRow, "branch" | "status">): TrackingRow {
  return {
    source: { number: 11201, title: "Fix table.copy" },
    line: fields.branch.replace(/^release-(\d+).*/, "$1"),
    label: `${fields.branch.replace(/^release-(\d+).*/, "$1")}.0.x`,
    nextPatch: "36.0.5",
    pull: null,
    issue: null,
    ...fields,
  };
}

describe("trackingStatus", () => {
  test.each([
    [{ kind: "opened", pull: pull(12), commits: [] }, "open"],
    [{ kind: "exists", pull: pull(12), state: "open" }, "open"],
    [{ kind: "exists", pull: pull(12), state: "merged" }, "merged"],
    [{ kind: "exists", pull: pull(12), state: "closed" }, "closed"],
    [{ kind: "empty" }, "already-on-target"],
    [{ kind: "conflict", files: ["a.rs"], commands: [], missing: [], issue: null }, "conflict"],
    [{ kind: "failed", reason: "GitHub said no" }, "failed"],
    [{ kind: "skipped", reason: "end of support" }, null],
  ] as [TargetOutcome, TrackingStatus | null][])("%j → %s", (outcome, status) => {
    expect(trackingStatus(outcome)).toBe(status);
  });
});

describe("mergeRows", () => {
  test.each(["merged", "closed", "already-on-target"] as TrackingStatus[])("a settled %s row is not undone by a re-run that sees open, conflict or failed", (settled) => {
    const before = row({ branch: "release-36.0.0", status: settled, pull: pull(20) });
    for (const status of ["open", "conflict", "failed", "pending"] as TrackingStatus[]) {
      const next = row({ branch: "release-36.0.0", status, pull: pull(21) });
      expect(mergeRows([before], [next])).toEqual([before]);
    }
  });

  test("an open row moves forward to merged", () => {
    const before = row({ branch: "release-36.0.0", status: "open", pull: pull(20) });
    const after = row({ branch: "release-36.0.0", status: "merged", pull: pull(20) });
    expect(mergeRows([before], [after])).toEqual([after]);
  });

  test("one settled status may replace another (closed, then merged by hand)", () => {
    const before = row({ branch: "release-36.0.0", status: "closed", pull: pull(20) });
    const after = row({ branch: "release-36.0.0", status: "merged", pull: pull(22) });
    expect(mergeRows([before], [after])).toEqual([after]);
  });

  test("new rows are added after the known ones; rows not seen again stay", () => {
    const a = row({ branch: "release-39.0.0", status: "merged", pull: pull(30) });
    const b = row({ branch: "release-36.0.0", status: "open", pull: pull(31) });
    const c = row({ branch: "release-24.0.0", status: "conflict" });
    const bNow = { ...b, status: "merged" as const };
    expect(mergeRows([a, b], [bNow, c])).toEqual([a, bNow, c]);
  });

  test("the same branch for another source PR is another row", () => {
    const mine = row({ branch: "release-36.0.0", status: "merged", pull: pull(30) });
    const theirs = row({ branch: "release-36.0.0", status: "open", pull: pull(31), source: { number: 11300, title: "Other fix" } });
    expect(mergeRows([mine], [theirs])).toEqual([mine, theirs]);
  });

  test("a re-run that no longer knows the conflict issue keeps the one recorded", () => {
    const issue = pull(40);
    const before = row({ branch: "release-36.0.0", status: "conflict", issue });
    const again = row({ branch: "release-36.0.0", status: "conflict", issue: null });
    expect(mergeRows([before], [again])).toEqual([{ ...again, issue }]);
  });

  test("nothing before: the new rows as they are", () => {
    const rows = [row({ branch: "release-39.0.0", status: "open", pull: pull(1) }), row({ branch: "release-38.0.0", status: "failed" })];
    expect(mergeRows([], rows)).toEqual(rows);
  });
});

describe("backportLabels", () => {
  test("defaults: security is copied, the request labels never, and the backport label is added", () => {
    expect(backportLabels(defaults(), ["bug", "security", "backport:lts", "backport:release-36.0.0"])).toEqual(["security", "backport"]);
  });

  test("globs like area:* match whole names, case-insensitively", () => {
    const config = withBackport({ copyLabels: ["area:*", "security"] });
    expect(backportLabels(config, ["area:wasi", "Area:JIT", "subarea:x", "area", "security", "bug"])).toEqual(["area:wasi", "Area:JIT", "security", "backport"]);
  });

  test("a request label is never copied, even when a pattern matches it, with a custom prefix too", () => {
    expect(backportLabels(withBackport({ copyLabels: ["*"] }), ["bug", "backport:lts", "Backport:36"])).toEqual(["bug", "backport"]);
    const custom = withBackport({ copyLabels: ["*"], labelPrefix: "bp/", label: "is-backport" });
    expect(backportLabels(custom, ["bp/lts", "backport:lts", "bug"])).toEqual(["backport:lts", "bug", "is-backport"]);
  });

  test("regex characters in a pattern are literal", () => {
    const config = withBackport({ copyLabels: ["needs.review", "p(1)"] });
    expect(backportLabels(config, ["needsXreview", "needs.review", "p1", "p(1)"])).toEqual(["needs.review", "p(1)", "backport"]);
  });

  test("the backport label appears once even when the source already has it", () => {
    expect(backportLabels(withBackport({ copyLabels: ["*"] }), ["backport", "bug"])).toEqual(["backport", "bug"]);
  });
});

describe("reviewersFor", () => {
  const source = (fields: Partial<SourcePull> = {}): SourcePull => ({
    number: 11201, title: "Fix", url: "https://github.com/o/r/pull/11201", author: "jdoe-dev", mergedBy: "alexcrichton", ...fields,
  });
  const reviewers = (fields: { author?: boolean; merger?: boolean; extra?: string[] }) =>
    withBackport({ reviewers: { author: true, merger: true, extra: [], ...fields } });

  test("defaults: the author, then the merger", () => {
    expect(reviewersFor(defaults(), source())).toEqual(["jdoe-dev", "alexcrichton"]);
  });

  test("bots are never asked, and each person once whatever the case of the login", () => {
    const config = reviewers({ extra: ["Alexcrichton", "sam", "renovate[bot]", "SAM"] });
    expect(reviewersFor(config, source({ author: "dependabot[bot]" }))).toEqual(["alexcrichton", "sam"]);
  });

  test("the merger who is also the author is asked once", () => {
    expect(reviewersFor(defaults(), source({ author: "alexcrichton", mergedBy: "AlexCrichton" }))).toEqual(["alexcrichton"]);
  });

  test("switches: without author and merger, only the extra people", () => {
    expect(reviewersFor(reviewers({ author: false, merger: false, extra: ["sam"] }), source())).toEqual(["sam"]);
    expect(reviewersFor(reviewers({ author: false }), source({ mergedBy: null }))).toEqual([]);
  });
});

describe("backport branch names", () => {
  const prefix = "lts-steward/backport/";

  test("name and parse round-trip", () => {
    const branch = backportBranch(prefix, "release-36.0.0", "pr-11201");
    expect(branch).toBe("lts-steward/backport/release-36.0.0/pr-11201");
    expect(parseBackportBranch(prefix, branch)).toEqual({ target: "release-36.0.0", key: "pr-11201" });
    const commit = backportBranch(prefix, "release-36.0.0", sourceKey({ number: 0, commit: "1a2b3c4d5e6f7a8b9c0d" }));
    expect(commit).toBe("lts-steward/backport/release-36.0.0/commit-1a2b3c4d5e6f");
    expect(parseBackportBranch(prefix, commit)).toEqual({ target: "release-36.0.0", key: "commit-1a2b3c4d5e6f" });
  });

  test("targets with slashes survive", () => {
    expect(parseBackportBranch(prefix, backportBranch(prefix, "stable/v1.4.x", "pr-7"))).toEqual({ target: "stable/v1.4.x", key: "pr-7" });
  });

  test.each([
    "fix-table-copy",
    "other/backport/release-36.0.0/pr-12",
    "lts-steward/backport/release-36.0.0",
    "lts-steward/backport/release-36.0.0/pr-",
    "lts-steward/backport/release-36.0.0/pr-12x",
    "lts-steward/backport//pr-12",
    "lts-steward/backport/pr-12",
  ])("%s is not a backport branch", (branch) => {
    expect(parseBackportBranch(prefix, branch)).toBeNull();
  });

  test("another prefix", () => {
    expect(parseBackportBranch("bp-", "bp-release-24.0.0/pr-3")).toEqual({ target: "release-24.0.0", key: "pr-3" });
    expect(parseBackportBranch("bp-", "lts-steward/backport/release-24.0.0/pr-3")).toBeNull();
  });
});

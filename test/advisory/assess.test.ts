/**
 * Advisory → tracking rows: which vulnerable ranges count for this repository (`rangesFor`), which lines
 * they affect on a day (`assessRows`, through the engine), and how re-assessed rows merge with an issue's
 * old ones (`mergeAdvisoryRows`).
 */
import { assessRows, mergeAdvisoryRows, rangesFor } from "../../src/advisory/assess.js";
import type { Advisory, AdvisoryRow, AdvisoryRowStatus, AdvisoryVulnerability } from "../../src/advisory/types.js";
import { parseConfig } from "../../src/config/load.js";
import { toPolicy } from "../../src/config/policy.js";
import type { Config } from "../../src/config/schema.js";
import { computeLines } from "../../src/engine/lines.js";
import type { ReleaseHistory } from "../../src/engine/types.js";
import { history, wasmtimeRelease } from "../fixtures/policies.js";

function config(raw: Record<string, unknown>): Config {
  const result = parseConfig(raw);
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

const packagesOf = (list: unknown[]) => config({ preset: "wasmtime", advisories: { packages: list } }).advisories.packages;

const vuln = (ecosystem: string, name: string, vulnerableRange: string): AdvisoryVulnerability => ({
  package: { ecosystem, name },
  vulnerableRange,
  patched: null,
});

const advisory = (vulnerabilities: AdvisoryVulnerability[]): Advisory => ({
  ghsaId: "GHSA-q8hx-mm92-4wvg",
  cveId: null,
  summary: "Out-of-bounds read in table.copy",
  state: "published",
  publishedAt: "2025-11-10T12:00:00Z",
  htmlUrl: null,
  vulnerabilities,
});

/** Two Rust crates and an npm package that happens to share the `wasmtime` name. */
const mixed = advisory([
  vuln("rust", "wasmtime", ">= 36.0.0, < 36.0.4"),
  vuln("rust", "wasmtime", ">= 38.0.0, < 38.0.2"),
  vuln("rust", "cranelift-codegen", ">= 0.123.0, < 0.123.4"),
  vuln("npm", "wasmtime", "< 1.2.3"),
  // The same range listed twice (for another crate of the workspace) counts once.
  vuln("rust", "wasmtime-cranelift", ">= 36.0.0, < 36.0.4"),
]);

describe("rangesFor", () => {
  test("the config parses package rules as the tests expect (string → any ecosystem; ecosystem lower-cased)", () => {
    expect(packagesOf(["wasmtime", { ecosystem: "Rust", name: "cranelift-codegen" }])).toEqual([
      { ecosystem: null, name: "wasmtime" },
      { ecosystem: "rust", name: "cranelift-codegen" },
    ]);
  });

  test("a repository advisory with no configured packages counts every vulnerability's range, each once, in order", () => {
    const packages = config({ preset: "wasmtime" }).advisories.packages;
    expect(packages).toEqual([]);
    expect(rangesFor(mixed, { packages, global: false })).toEqual([
      ">= 36.0.0, < 36.0.4",
      ">= 38.0.0, < 38.0.2",
      ">= 0.123.0, < 0.123.4",
      "< 1.2.3",
    ]);
  });

  test("a global advisory with no configured packages counts none: it may name anyone's package", () => {
    expect(rangesFor(mixed, { packages: [], global: true })).toEqual([]);
  });

  test("a global advisory counts the configured packages' ranges", () => {
    expect(rangesFor(mixed, { packages: packagesOf([{ ecosystem: "rust", name: "cranelift-codegen" }]), global: true })).toEqual([
      ">= 0.123.0, < 0.123.4",
    ]);
  });

  test("a string package matches its name in any ecosystem", () => {
    expect(rangesFor(mixed, { packages: packagesOf(["wasmtime"]), global: false })).toEqual([
      ">= 36.0.0, < 36.0.4",
      ">= 38.0.0, < 38.0.2",
      "< 1.2.3",
    ]);
  });

  test("a package with an ecosystem leaves out another ecosystem's package of the same name", () => {
    expect(rangesFor(mixed, { packages: packagesOf([{ ecosystem: "rust", name: "wasmtime" }]), global: false })).toEqual([
      ">= 36.0.0, < 36.0.4",
      ">= 38.0.0, < 38.0.2",
    ]);
    expect(rangesFor(mixed, { packages: packagesOf([{ ecosystem: "npm", name: "wasmtime" }]), global: false })).toEqual(["< 1.2.3"]);
  });

  test("names match whatever their case, in the config and in the advisory", () => {
    const shouting = advisory([vuln("rust", "Wasmtime", ">= 38.0.0, < 38.0.2")]);
    expect(rangesFor(shouting, { packages: packagesOf(["WASMTIME"]), global: false })).toEqual([">= 38.0.0, < 38.0.2"]);
    expect(rangesFor(shouting, { packages: packagesOf([{ ecosystem: "RUST", name: "wasmtime" }]), global: true })).toEqual([">= 38.0.0, < 38.0.2"]);
  });

  test("configured packages the advisory does not name: nothing counts", () => {
    expect(rangesFor(mixed, { packages: packagesOf(["wasmer"]), global: false })).toEqual([]);
  });

  test("several configured packages: each range once, in the advisory's order", () => {
    const packages = packagesOf(["wasmtime-cranelift", { ecosystem: "rust", name: "wasmtime" }]);
    expect(rangesFor(mixed, { packages, global: false })).toEqual([">= 36.0.0, < 36.0.4", ">= 38.0.0, < 38.0.2"]);
  });
});

/**
 * Wasmtime-like: vX.0.0 on the 20th of its nominal month for X = 20…39 (release(X) = 2024-04-20 + (X − 20)
 * months), each with its `release-X.0.0` branch, plus patches 36.0.1, 36.0.2 and 38.0.1.
 */
const wasmtimeHistory = (): ReleaseHistory => {
  const majors = Array.from({ length: 20 }, (_, i) => 20 + i);
  return history(
    [
      ...majors.map((v) => wasmtimeRelease(v)),
      { version: "36.0.1", date: "2025-09-02" },
      { version: "36.0.2", date: "2025-10-14" },
      { version: "38.0.1", date: "2025-11-11" },
    ],
    majors.map((v) => ({ name: `release-${v}.0.0` })),
  );
};

describe("assessRows on 2025-11-10 (24, 36, 37, 38 supported; 39 upcoming; 38.0.1 not out yet)", () => {
  const on = "2025-11-10";
  const policy = toPolicy(config({ preset: "wasmtime" }));
  const assess = (ranges: string[]) => assessRows({ lines: computeLines(policy, wasmtimeHistory(), on), ranges, on, policy });

  test("affected lines become pending rows, newest first, with the next patch and the engine's reason", () => {
    const result = assess([">= 36.0.0, < 36.0.4", ">= 38.0.0, < 38.0.2"]);
    expect(result.rows).toEqual([
      {
        branch: "release-39.0.0",
        line: "39",
        label: "39.0.x",
        nextPatch: "39.0.0",
        reason:
          "not released yet, and the newest released line 38.0.x is affected (38.0.0 is within >= 38.0.0, < 38.0.2): release-39.0.0 has the vulnerable code unless it was cut after the fix; the fix ships in 39.0.0",
        status: "pending",
        pull: null,
        issue: null,
        releasedIn: null,
        dismissed: null,
      },
      {
        branch: "release-38.0.0",
        line: "38",
        label: "38.0.x",
        nextPatch: "38.0.1",
        reason: "38.0.0 is within >= 38.0.0, < 38.0.2; the fix ships in 38.0.1",
        status: "pending",
        pull: null,
        issue: null,
        releasedIn: null,
        dismissed: null,
      },
      {
        branch: "release-36.0.0",
        line: "36",
        label: "36.0.x",
        nextPatch: "36.0.3",
        reason: "36.0.2 is within >= 36.0.0, < 36.0.4; the fix ships in 36.0.3",
        status: "pending",
        pull: null,
        issue: null,
        releasedIn: null,
        dismissed: null,
      },
    ]);
  });

  test("the live lines left out (supported 37 and 24) are listed as unaffected, with the reason", () => {
    const result = assess([">= 36.0.0, < 36.0.4", ">= 38.0.0, < 38.0.2"]);
    const why = "no {l} version is within >= 36.0.0, < 36.0.4 or >= 38.0.0, < 38.0.2";
    expect(result.unaffected).toEqual([
      { branch: "release-37.0.0", line: "37", label: "37.0.x", reason: why.replace("{l}", "37.0.x") },
      { branch: "release-24.0.0", line: "24", label: "24.0.x", reason: why.replace("{l}", "24.0.x") },
    ]);
    expect(result.patched).toEqual([]);
    expect(result.notSecurity).toEqual([]);
    // Ended lines the ranges do not reach are named nowhere.
    expect(result.endOfSupport).toEqual([]);
  });

  test("a range reaching an ended line names that line (only that one) under end of support", () => {
    const result = assess([">= 30.0.0, < 30.0.5", ">= 38.0.0, < 38.0.2"]);
    expect(result.endOfSupport).toEqual([
      { branch: "release-30.0.0", line: "30", label: "30.0.x", reason: "end of support 2025-04-20, no fix planned: 30.0.0 is within >= 30.0.0, < 30.0.5" },
    ]);
    expect(result.rows.map((r) => [r.branch, r.nextPatch])).toEqual([["release-39.0.0", "39.0.0"], ["release-38.0.0", "38.0.1"]]);
    expect(result.unaffected.map((n) => n.branch)).toEqual(["release-37.0.0", "release-36.0.0", "release-24.0.0"]);
  });

  test("a range reaching only ended lines: no rows, every live line unaffected", () => {
    const result = assess(["< 24.0.0"]);
    expect(result.rows).toEqual([]);
    expect(result.unaffected.map((n) => n.label)).toEqual(["39.0.x", "38.0.x", "37.0.x", "36.0.x", "24.0.x"]);
    expect(result.endOfSupport.map((n) => n.label)).toEqual(["23.0.x", "22.0.x", "21.0.x", "20.0.x"]);
  });

  test("the upcoming line is not a row when the caller knows its branch has the fix", () => {
    const result = assessRows({ lines: computeLines(policy, wasmtimeHistory(), on), ranges: [">= 38.0.0, < 38.0.2"], on, policy, hasFix: { "release-39.0.0": true } });
    expect(result.rows.map((r) => r.branch)).toEqual(["release-38.0.0"]);
    expect(result.unaffected[0]).toEqual({ branch: "release-39.0.0", line: "39", label: "39.0.x", reason: "release-39.0.0 has the fix; 39.0.0 will ship with it" });
  });
});

describe("assessRows the day after a security release (36.0.3 and 38.0.1 fixed; 38 ended that day, 37 before)", () => {
  // 36.0.3, 38.0.1 and 40.0.0 shipped the fix on 2025-12-20, the day 38's support ended; 37 ended on 2025-11-20 unfixed.
  const h = (): ReleaseHistory => {
    const base = wasmtimeHistory();
    base.releases = base.releases.filter((r) => r.version !== "38.0.1").concat(
      { version: "36.0.3", date: "2025-12-20" },
      { version: "38.0.1", date: "2025-12-20" },
      { version: "40.0.0", date: "2025-12-20" },
    );
    return base;
  };
  const policy = toPolicy(config({ preset: "wasmtime" }));
  const ranges = [">= 36.0.0, < 36.0.3", ">= 37.0.0, < 38.0.1"];
  const on = "2025-12-21";
  const result = () => assessRows({ lines: computeLines(policy, h(), on), ranges, on, policy });

  test("nothing to do: no rows", () => {
    expect(result().rows).toEqual([]);
  });

  test("every line that shipped the fix is patched, with its release, the ended one too", () => {
    expect(result().patched).toEqual([
      { branch: "release-38.0.0", line: "38", label: "38.0.x", patchedIn: "38.0.1", status: "end-of-support", reason: "patched in 38.0.1: 38.0.0 is within >= 37.0.0, < 38.0.1, 38.0.1 is not; end of support 2025-12-20" },
      { branch: "release-36.0.0", line: "36", label: "36.0.x", patchedIn: "36.0.3", status: "supported", reason: "patched in 36.0.3: 36.0.2 is within >= 36.0.0, < 36.0.3, 36.0.3 is not" },
    ]);
  });

  test("the ended, unfixed line is named under end of support, never as not affected", () => {
    const { endOfSupport, unaffected } = result();
    expect(endOfSupport.map((n) => [n.label, n.reason])).toEqual([["37.0.x", "end of support 2025-11-20, no fix planned: 37.0.0 is within >= 37.0.0, < 38.0.1"]]);
    expect(unaffected.map((n) => n.label)).toEqual(["40.0.x", "39.0.x", "36.0.x", "24.0.x"]);
  });
});

describe("mergeAdvisoryRows", () => {
  const row = (fields: Partial<AdvisoryRow> & Pick<AdvisoryRow, "branch">): AdvisoryRow => ({
    line: fields.branch.replace(/^release-(\d+)\.0\.0$/, "$1"),
    label: fields.branch.replace(/^release-(\d+)\.0\.0$/, "$1.0.x"),
    nextPatch: "38.0.1",
    reason: "old reason",
    status: "pending",
    pull: null,
    issue: null,
    releasedIn: null,
    dismissed: null,
    ...fields,
  });
  const fresh = (branch: string, nextPatch: string) => row({ branch, nextPatch, reason: `fresh reason for ${branch}` });
  const pull = { number: 11250, url: "https://github.com/bytecodealliance/wasmtime/pull/11250" };

  test.each<[AdvisoryRowStatus, Partial<AdvisoryRow>]>([
    ["open", { pull }],
    ["merged", { pull }],
    ["conflict", { issue: { number: 11251, url: "https://github.com/bytecodealliance/wasmtime/issues/11251" } }],
    ["dismissed", { dismissed: "not shipped in 38" }],
    ["already-on-target", {}],
  ])("a %s row keeps its progress; its reason and next patch are refreshed", (status, progress) => {
    const before = row({ branch: "release-38.0.0", status, nextPatch: "38.0.1", ...progress });
    const [merged, ...rest] = mergeAdvisoryRows([before], [fresh("release-38.0.0", "38.0.2")]);
    expect(rest).toEqual([]);
    expect(merged).toEqual({ ...before, reason: "fresh reason for release-38.0.0", nextPatch: "38.0.2" });
  });

  test("a released row keeps the version that shipped the fix as its next patch", () => {
    const before = row({ branch: "release-38.0.0", status: "released", pull, nextPatch: "38.0.1", releasedIn: "38.0.1" });
    expect(mergeAdvisoryRows([before], [fresh("release-38.0.0", "38.0.2")])).toEqual([
      { ...before, reason: "fresh reason for release-38.0.0", nextPatch: "38.0.1" },
    ]);
  });

  test("any row with a pull keeps it, whatever its status (a closed backport stays closed)", () => {
    const before = row({ branch: "release-36.0.0", status: "closed", pull, nextPatch: "36.0.3" });
    expect(mergeAdvisoryRows([before], [fresh("release-36.0.0", "36.0.4")])).toEqual([
      { ...before, reason: "fresh reason for release-36.0.0", nextPatch: "36.0.4" },
    ]);
  });

  test("a row without progress (pending, or failed without a pull) is replaced by the new one", () => {
    const previous = [row({ branch: "release-38.0.0", status: "pending" }), row({ branch: "release-36.0.0", status: "failed", nextPatch: "36.0.3" })];
    const next = [fresh("release-38.0.0", "38.0.2"), fresh("release-36.0.0", "36.0.4")];
    expect(mergeAdvisoryRows(previous, next)).toEqual(next);
  });

  test("a line no longer affected is dismissed with the reason, keeping its pull", () => {
    const previous = [
      row({ branch: "release-38.0.0", status: "pending" }),
      row({ branch: "release-37.0.0", status: "open", pull, nextPatch: "37.0.1" }),
    ];
    const merged = mergeAdvisoryRows(previous, []);
    expect(merged).toEqual([
      { ...previous[0], status: "dismissed", dismissed: "not affected after the advisory's ranges changed" },
      { ...previous[1], status: "dismissed", dismissed: "not affected after the advisory's ranges changed", pull },
    ]);
  });

  test("a line no longer affected that already released the fix, or was dismissed, stays as it was", () => {
    const released = row({ branch: "release-38.0.0", status: "released", pull, releasedIn: "38.0.1" });
    const dismissed = row({ branch: "release-37.0.0", status: "dismissed", dismissed: "37 never shipped the feature" });
    expect(mergeAdvisoryRows([released, dismissed], [])).toEqual([released, dismissed]);
  });

  test("new lines are added; kept lines come first in the new order, then the ones no longer affected", () => {
    const previous = [
      row({ branch: "release-38.0.0", status: "open", pull }),
      row({ branch: "release-37.0.0", status: "pending", nextPatch: "37.0.1" }),
    ];
    const next = [fresh("release-39.0.0", "39.0.0"), fresh("release-38.0.0", "38.0.2"), fresh("release-36.0.0", "36.0.4")];
    expect(mergeAdvisoryRows(previous, next)).toEqual([
      next[0],
      { ...previous[0], reason: "fresh reason for release-38.0.0", nextPatch: "38.0.2" },
      next[2],
      { ...previous[1], status: "dismissed", dismissed: "not affected after the advisory's ranges changed" },
    ]);
  });

  test("does not change the rows it is given", () => {
    const previous = [row({ branch: "release-38.0.0", status: "pending" })];
    const snapshot = structuredClone(previous);
    mergeAdvisoryRows(previous, []);
    expect(previous).toEqual(snapshot);
  });
});

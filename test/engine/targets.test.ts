import { computeLines } from "../../src/engine/lines.js";
import { resolveTargets } from "../../src/engine/selectors.js";
import { EngineError } from "../../src/engine/errors.js";
import type { Policy, ReleaseHistory } from "../../src/engine/types.js";
import { acceptanceHistory, history, policyFrom, wasmtime, wasmtimeRelease } from "../fixtures/policies.js";

const targetsOn = (policy: Policy, h: ReleaseHistory, on: string, selectors: string[]) =>
  resolveTargets({ lines: computeLines(policy, h, on), selectors, on, policy });
const branches = (result: { targets: { branch: string }[] }) => result.targets.map((t) => t.branch);

describe("security targets under the Wasmtime policy", () => {
  test("on 2025-12-01: 39, 38 and both LTS lines; 37 left out with its end of support", () => {
    const result = targetsOn(wasmtime(), acceptanceHistory(), "2025-12-01", ["security"]);
    expect(branches(result)).toEqual(["release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"]);
    expect(result.targets.map((t) => [t.kind, t.endOfSupport])).toEqual([
      ["regular", "2026-01-20"],
      ["regular", "2025-12-20"],
      ["lts", "2027-08-20"],
      ["lts", "2026-08-20"],
    ]);
    expect(result.skipped).toEqual([
      { branch: "release-37.0.0", line: "37", label: "37.0.x", status: "end-of-support", reason: "end of support 2025-11-20" },
    ]);
  });

  test("a branch cut on 2025-12-05 joins as upcoming on 2025-12-10, and not before its cut", () => {
    const h = acceptanceHistory();
    h.branches.push({ name: "release-40.0.0", createdAt: "2025-12-05" });
    const after = targetsOn(wasmtime(), h, "2025-12-10", ["security"]);
    expect(branches(after)).toEqual(["release-40.0.0", "release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"]);
    expect(after.targets[0]).toMatchObject({ status: "upcoming", nextPatch: "40.0.0", line: "40" });
    expect(branches(targetsOn(wasmtime(), h, "2025-12-04", ["security"]))).not.toContain("release-40.0.0");
  });

  test.each([
    ["2025-12-20", "release-38.0.0", true],
    ["2025-12-21", "release-38.0.0", false],
    ["2026-08-20", "release-24.0.0", true],
    ["2026-08-21", "release-24.0.0", false],
  ])("on %s, %s targeted: %s (end of support is inclusive)", (on, branch, targeted) => {
    const h = history([24, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48].map((v) => wasmtimeRelease(v)).filter((r) => r.date <= on));
    const result = targetsOn(wasmtime(), h, on, ["security"]);
    expect(branches(result).includes(branch)).toBe(targeted);
    if (!targeted) expect(result.skipped.find((s) => s.branch === branch)?.reason).toMatch(/^end of support /);
  });

  test("nextPatch follows the latest release of each line", () => {
    const h = history([wasmtimeRelease(39), wasmtimeRelease(39, 1, 25), wasmtimeRelease(36), wasmtimeRelease(36, 14, 28)]);
    const result = targetsOn(wasmtime(), h, "2025-12-01", ["security"]);
    expect(result.targets.map((t) => [t.line, t.latest, t.nextPatch])).toEqual([
      ["39", "39.0.1", "39.0.2"],
      ["36", "36.0.14", "36.0.15"],
    ]);
  });
});

describe("selectors", () => {
  const h = () => {
    const base = acceptanceHistory();
    base.branches.push({ name: "release-40.0.0", createdAt: "2025-12-05" });
    return base;
  };
  test.each([
    [["lts"], ["release-36.0.0", "release-24.0.0"]],
    [["current"], ["release-39.0.0"]],
    [["upcoming"], ["release-40.0.0"]],
    [["supported"], ["release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"]],
    [["36"], ["release-36.0.0"]],
    [["36.x"], ["release-36.0.0"]],
    [["36.0.x"], ["release-36.0.0"]],
    [["release-38.0.0"], ["release-38.0.0"]],
    [["LTS", "current", "release-36.0.0"], ["release-39.0.0", "release-36.0.0", "release-24.0.0"]],
  ])("%j → %j", (selectors, expected) => {
    expect(branches(targetsOn(wasmtime(), h(), "2025-12-10", selectors))).toEqual(expected);
  });

  test("a named line at end of support is left out with its reason, not an error", () => {
    const result = targetsOn(wasmtime(), h(), "2025-12-10", ["release-37.0.0", "lts"]);
    expect(branches(result)).toEqual(["release-36.0.0", "release-24.0.0"]);
    expect(result.skipped.find((s) => s.branch === "release-37.0.0")?.reason).toBe("end of support 2025-11-20");
  });

  test("only named selectors: just the refused lines are listed as left out", () => {
    const result = targetsOn(wasmtime(), h(), "2025-12-10", ["37"]);
    expect(result.targets).toEqual([]);
    expect(result.skipped.map((s) => s.branch)).toEqual(["release-37.0.0"]);
  });

  test("lts leaves regular supported lines out with the reason", () => {
    const result = targetsOn(wasmtime(), h(), "2025-12-10", ["lts"]);
    expect(result.skipped.find((s) => s.line === "39")?.reason).toBe("supported regular line, not selected by lts");
  });

  test.each(["bogus", "release-99.0.0", "25", "release-25.0.0"])("unknown selector %s is an error listing the valid ones", (selector) => {
    const run = () => targetsOn(wasmtime(), h(), "2025-12-10", [selector]);
    expect(run).toThrow(EngineError);
    expect(run).toThrow(`unknown selector or branch "${selector}"; valid: security, supported, lts, current, upcoming, release-40.0.0, release-39.0.0`);
  });

  test("security can be configured to mean only supported lines", () => {
    const policy = policyFrom({ preset: "wasmtime", selectors: { security: ["supported"] } });
    expect(branches(targetsOn(policy, h(), "2025-12-10", ["security"]))).not.toContain("release-40.0.0");
  });
});

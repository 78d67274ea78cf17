import { resolveRequests } from "../../src/backport/targets.js";
import { computeLines } from "../../src/engine/lines.js";
import type { ReleaseHistory } from "../../src/engine/types.js";
import { history, wasmtime, wasmtimeRelease } from "../fixtures/policies.js";

/** Releases 20.0.0 … 42.0.0 on the 20th of their nominal month, each with its `release-<v>.0.0` branch (cut day unknown). */
const fullHistory = (): ReleaseHistory => {
  const versions = Array.from({ length: 23 }, (_, i) => 20 + i);
  return history(versions.map((v) => wasmtimeRelease(v)), versions.map((v) => ({ name: `release-${v}.0.0` })));
};

const resolve = (on: string, selectors: string[], h: ReleaseHistory = fullHistory()) => {
  const policy = wasmtime();
  return resolveRequests({ lines: computeLines(policy, h, on), selectors, on, policy });
};
const branches = (list: { branch: string }[]) => list.map((t) => t.branch);

describe("resolveRequests on 2025-11-21 (37 ended the day before)", () => {
  test("security → 39, 38 and both LTS lines, newest first; 37 named as skipped with its end of support", () => {
    const result = resolve("2025-11-21", ["security"]);
    expect(branches(result.targets)).toEqual(["release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"]);
    expect(result.targets.map((t) => [t.line, t.kind, t.endOfSupport, t.nextPatch])).toEqual([
      ["39", "regular", "2026-01-20", "39.0.1"],
      ["38", "regular", "2025-12-20", "38.0.1"],
      ["36", "lts", "2027-08-20", "36.0.1"],
      ["24", "lts", "2026-08-20", "24.0.1"],
    ]);
    expect(result.targets.every((t) => t.reason.startsWith("security: "))).toBe(true);
    expect(result.skipped).toEqual([{ branch: "release-37.0.0", line: "37", label: "37.0.x", reason: expect.stringMatching(/^end of support 2025-11-20\b/) }]);
    expect(result.problems).toEqual([]);
  });

  test("the branch of a future release (40, cut on its nominal 2025-12-05) is not a target yet", () => {
    const result = resolve("2025-11-21", ["security"]);
    expect(branches(result.targets)).not.toContain("release-40.0.0");
    expect(result.valid).not.toContain("release-40.0.0");
  });

  test("on 2025-11-20, the last day of 37, security still includes it", () => {
    const result = resolve("2025-11-20", ["security"]);
    expect(branches(result.targets)).toEqual(["release-39.0.0", "release-38.0.0", "release-37.0.0", "release-36.0.0", "release-24.0.0"]);
  });
});

describe("resolveRequests on 2026-03-10", () => {
  const on = "2026-03-10";

  test("lts → 36 and 24; the regular lines are listed as not selected, and 40 (ended 2026-02-20) too", () => {
    const result = resolve(on, ["lts"]);
    expect(branches(result.targets)).toEqual(["release-36.0.0", "release-24.0.0"]);
    expect(result.skipped).toEqual([
      { branch: "release-42.0.0", line: "42", label: "42.0.x", reason: "supported regular line, not selected by lts" },
      { branch: "release-41.0.0", line: "41", label: "41.0.x", reason: "supported regular line, not selected by lts" },
      { branch: "release-40.0.0", line: "40", label: "40.0.x", reason: expect.stringMatching(/^end of support 2026-02-20\b/) },
    ]);
    expect(result.problems).toEqual([]);
  });

  test("LTS in capitals is the same group", () => {
    expect(branches(resolve(on, ["LTS"]).targets)).toEqual(["release-36.0.0", "release-24.0.0"]);
  });

  test("naming a line at end of support is a problem that says when it ended, and picks nothing", () => {
    const result = resolve(on, ["release-40.0.0"]);
    expect(result.targets).toEqual([]);
    expect(result.problems).toEqual([{ selector: "release-40.0.0", reason: expect.stringContaining("end of support 2026-02-20") }]);
    expect(result.skipped.map((s) => s.branch)).toEqual(["release-40.0.0"]);
  });

  test("an unknown selector is a problem and does not hide the good ones", () => {
    const result = resolve(on, ["foo", "lts"]);
    expect(result.problems).toEqual([{ selector: "foo", reason: expect.stringContaining('"foo"') }]);
    expect(branches(result.targets)).toEqual(["release-36.0.0", "release-24.0.0"]);
  });

  test("an unknown selector alone: one problem, no target, no skipped line", () => {
    const result = resolve(on, ["foo"]);
    expect(result.problems).toHaveLength(1);
    expect(result.targets).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  test("valid lists the groups, then live branches and lines newest first; ended lines are not valid", () => {
    const { valid } = resolve(on, ["lts"]);
    expect(valid).toEqual([
      "security", "supported", "lts", "current", "upcoming",
      "release-42.0.0", "release-41.0.0", "release-36.0.0", "release-24.0.0",
      "42", "41", "36", "24",
    ]);
    expect(valid).not.toContain("release-40.0.0");
  });

  test.each([
    [["current"], ["release-42.0.0"]],
    [["supported"], ["release-42.0.0", "release-41.0.0", "release-36.0.0", "release-24.0.0"]],
    [["36"], ["release-36.0.0"]],
    [["36.0.x"], ["release-36.0.0"]],
    [["release-24.0.0", "41"], ["release-41.0.0", "release-24.0.0"]],
    [["24", "current", "36"], ["release-42.0.0", "release-36.0.0", "release-24.0.0"]],
  ])("%j → %j (newest first, whatever the order asked)", (selectors, expected) => {
    expect(branches(resolve(on, selectors).targets)).toEqual(expected);
  });

  test("two selectors picking the same line give one target with both reasons", () => {
    const result = resolve(on, ["lts", "24"]);
    expect(branches(result.targets)).toEqual(["release-36.0.0", "release-24.0.0"]);
    const reason = result.targets.find((t) => t.branch === "release-24.0.0")?.reason ?? "";
    expect(reason.split("; ").map((part) => part.split(":")[0])).toEqual(["lts", "24"]);
    expect(result.targets.find((t) => t.branch === "release-36.0.0")?.reason).not.toContain(";");
  });

  test("security and current both pick 42: one target, reasons joined", () => {
    const result = resolve(on, ["security", "current"]);
    expect(branches(result.targets)).toEqual(["release-42.0.0", "release-41.0.0", "release-36.0.0", "release-24.0.0"]);
    expect(result.targets[0]?.reason).toMatch(/^security: .*; current: /);
  });

  test("a line that one selector picks is not listed as skipped because another left it out", () => {
    const result = resolve(on, ["lts", "42"]);
    expect(branches(result.targets)).toEqual(["release-42.0.0", "release-36.0.0", "release-24.0.0"]);
    expect(result.skipped.map((s) => s.branch)).toEqual(["release-41.0.0", "release-40.0.0"]);
  });
});

test("skipped lines carry the engine's key and label", () => {
  const result = resolve("2026-03-10", ["lts"]);
  for (const s of result.skipped) expect(s.label).toBe(`${s.line}.0.x`);
});

test("a selector repeated (in any case) counts once: one reason per target, one problem per bad selector", () => {
  const twice = resolve("2026-03-10", ["lts", "LTS"]);
  expect(twice.targets.map((t) => t.branch)).toEqual(["release-36.0.0", "release-24.0.0"]);
  expect(twice.targets[0]?.reason).not.toContain(";");
  expect(resolve("2026-03-10", ["foo", "foo"]).problems).toHaveLength(1);
});

import { assessAdvisory, parseVulnerableRange } from "../../src/engine/advisory.js";
import { EngineError } from "../../src/engine/errors.js";
import { computeLines } from "../../src/engine/lines.js";
import { history, wasmtime, wasmtimeRelease } from "../fixtures/policies.js";

/** 24, 36, 37, 38 supported and 39 upcoming, on 2025-11-10. */
const h = () =>
  history(
    [wasmtimeRelease(24), wasmtimeRelease(24, 7, 28), wasmtimeRelease(36), wasmtimeRelease(36, 3, 27), wasmtimeRelease(37), wasmtimeRelease(38), wasmtimeRelease(38, 1, 27)],
    [{ name: "release-39.0.0", createdAt: "2025-11-05" }],
  );
const assess = (ranges: string[], on = "2025-11-10") => {
  const policy = wasmtime();
  return assessAdvisory({ lines: computeLines(policy, h(), on), ranges, on, policy });
};

describe("affected lines", () => {
  test("only the lines whose latest release is vulnerable are affected, with their next patch", () => {
    const result = assess([">= 36.0.0, < 36.0.4", ">= 38.0.0, < 38.0.2"]);
    expect(result.targets.map((t) => [t.branch, t.nextPatch, t.reason])).toEqual([
      ["release-38.0.0", "38.0.2", "38.0.1 is within >= 38.0.0, < 38.0.2; the fix ships in 38.0.2"],
      ["release-36.0.0", "36.0.4", "36.0.3 is within >= 36.0.0, < 36.0.4; the fix ships in 36.0.4"],
    ]);
    expect(result.skipped.map((s) => [s.line, s.affected, s.reason])).toEqual([
      ["39", false, "no 39.0.x version is within >= 36.0.0, < 36.0.4 or >= 38.0.0, < 38.0.2"],
      ["37", false, "no 37.0.x version is within >= 36.0.0, < 36.0.4 or >= 38.0.0, < 38.0.2"],
      ["24", false, "no 24.0.x version is within >= 36.0.0, < 36.0.4 or >= 38.0.0, < 38.0.2"],
    ]);
  });

  test("a line already patched is not affected, and says so; older lines below the bound are", () => {
    const result = assess(["< 36.0.3"]);
    expect(result.targets.map((t) => [t.line, t.nextPatch])).toEqual([["24", "24.0.8"]]);
    expect(result.skipped.find((s) => s.line === "36")).toMatchObject({ patched: true, reason: "36.0.3 and later are outside < 36.0.3" });
  });

  test("an open-ended range reaches the upcoming line, whose fix ships in X.0.0", () => {
    const result = assess([">= 30.0.0"]);
    expect(result.targets.map((t) => [t.line, t.nextPatch])).toEqual([
      ["39", "39.0.0"],
      ["38", "38.0.2"],
      ["37", "37.0.1"],
      ["36", "36.0.4"],
    ]);
  });

  test("a vulnerable line at end of support is named as such, with no fix planned", () => {
    const result = assess([">= 37.0.0, < 37.0.9"], "2025-11-21");
    expect(result.targets).toEqual([]);
    expect(result.skipped.find((s) => s.line === "37")?.reason).toBe("end of support 2025-11-20; has vulnerable versions, no fix planned");
  });

  test("vulnerable versions still to come on a line are not a reason to patch it now", () => {
    const result = assess([">= 36.0.5, < 36.0.9"]);
    expect(result.skipped.find((s) => s.line === "36")?.reason).toBe("36.0.3 is outside >= 36.0.5, < 36.0.9; only later 36.0.x versions are within it");
  });
});

describe("GitHub's range syntax", () => {
  test.each([
    [">= 24.0.0, < 24.0.8", ">=24.0.0 <24.0.8"],
    ["< 1.2.3", "<1.2.3"],
    ["= 1.0.0", "1.0.0"],
    ["<= 1.0.0", "<=1.0.0"],
    ["> 1.0.0,<2.0.0", ">1.0.0 <2.0.0"],
  ])("%s → %s", (text, range) => expect(parseVulnerableRange(text).semver).toBe(range));

  test.each(["banana", ">= 1.2", ">=", "< 1.2.3,", "~1.2.3", ""])("%j is a bad range", (text) => {
    expect(() => parseVulnerableRange(text)).toThrow(EngineError);
  });

  test("the message says what is wrong", () => {
    expect(() => parseVulnerableRange(">= 1.2")).toThrow('bad version range ">= 1.2": ">= 1.2" is not an operator (>=, >, <=, <, =) and a version like 1.2.3');
  });
});

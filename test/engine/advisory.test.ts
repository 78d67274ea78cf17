import { assessAdvisory, parseVulnerableRange } from "../../src/engine/advisory.js";
import { EngineError } from "../../src/engine/errors.js";
import { computeLines } from "../../src/engine/lines.js";
import { history, policyFrom, wasmtime, wasmtimeRelease } from "../fixtures/policies.js";

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
  test("the lines whose latest release is vulnerable are affected, with their next patch; the upcoming line follows the newest", () => {
    const result = assess([">= 36.0.0, < 36.0.4", ">= 38.0.0, < 38.0.2"]);
    expect(result.targets.map((t) => [t.branch, t.label, t.verdict, t.nextPatch, t.reason])).toEqual([
      [
        "release-39.0.0",
        "39.0.x",
        "affected",
        "39.0.0",
        "not released yet, and the newest released line 38.0.x is affected (38.0.1 is within >= 38.0.0, < 38.0.2): release-39.0.0 has the vulnerable code unless it was cut after the fix; the fix ships in 39.0.0",
      ],
      ["release-38.0.0", "38.0.x", "affected", "38.0.2", "38.0.1 is within >= 38.0.0, < 38.0.2; the fix ships in 38.0.2"],
      ["release-36.0.0", "36.0.x", "affected", "36.0.4", "36.0.3 is within >= 36.0.0, < 36.0.4; the fix ships in 36.0.4"],
    ]);
    expect(result.skipped.map((s) => [s.line, s.verdict, s.patchedIn, s.reason])).toEqual([
      ["37", "not-affected", null, "no 37.0.x version is within >= 36.0.0, < 36.0.4 or >= 38.0.0, < 38.0.2"],
      ["24", "not-affected", null, "no 24.0.x version is within >= 36.0.0, < 36.0.4 or >= 38.0.0, < 38.0.2"],
    ]);
  });

  test("the upcoming line is not affected when neither the ranges nor the newest released line reach it", () => {
    const result = assess([">= 36.0.0, < 36.0.4"]);
    expect(result.skipped.find((s) => s.line === "39")).toMatchObject({
      verdict: "not-affected",
      reason: "39.0.0 would not be within >= 36.0.0, < 36.0.4, nor is the newest released line 38.0.x affected",
    });
  });

  test("a line already patched is not affected, and says so; older lines below the bound are", () => {
    const result = assess(["< 36.0.3"]);
    expect(result.targets.map((t) => [t.line, t.nextPatch])).toEqual([["24", "24.0.8"]]);
    expect(result.skipped.find((s) => s.line === "36")).toMatchObject({
      verdict: "patched",
      patchedIn: "36.0.3",
      reason: "patched in 36.0.3: 36.0.0 is within < 36.0.3, 36.0.3 is not",
    });
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
    expect(result.skipped.find((s) => s.line === "37")).toMatchObject({
      verdict: "ended-vulnerable",
      patchedIn: null,
      reason: "end of support 2025-11-20, no fix planned: 37.0.0 is within >= 37.0.0, < 37.0.9",
    });
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

/**
 * A security day under a Wasmtime-like policy (monthly majors on the 20th, branches cut on the 5th, LTS every
 * 12th line from 24 for 24 months, other lines for 2 months). On 2026-08-20 24.0.12, 36.0.9, 46.0.2 and 47.0.1
 * ship the fix, and 48.0.0 ships with it; 24 and 46 reach their end of support that day.
 */
describe("a security day", () => {
  const majors = Array.from({ length: 28 }, (_, i) => 20 + i); // 20 … 47
  const patches = (major: number, count: number, day: string) =>
    Array.from({ length: count }, (_, i) => ({ version: `${major}.0.${i + 1}`, date: day }));
  const dayHistory = () =>
    history(
      [
        ...majors.map((v) => wasmtimeRelease(v)),
        ...patches(24, 11, "2026-05-14"),
        ...patches(36, 8, "2026-05-14"),
        { version: "46.0.1", date: "2026-07-02" },
        // The security release.
        ...["24.0.12", "36.0.9", "46.0.2", "47.0.1", "48.0.0"].map((version) => ({ version, date: "2026-08-20" })),
      ],
      [...majors.map((v) => ({ name: `release-${v}.0.0` })), { name: "release-48.0.0", createdAt: "2026-08-05" }],
    );
  // As Wasmtime writes them: every line below the fix, ended ones included.
  const ranges = ["< 24.0.12", ">= 25.0.0, < 36.0.9", ">= 37.0.0, < 46.0.2", ">= 47.0.0, < 47.0.1"];
  const assessOn = (on: string, hasFix?: Record<string, boolean>) => {
    const policy = wasmtime();
    return assessAdvisory({ lines: computeLines(policy, dayHistory(), on), ranges, on, policy, hasFix });
  };
  /** `line status verdict version`: the next patch of affected lines, the patched release of patched ones. */
  const verdicts = (on: string, hasFix?: Record<string, boolean>) => {
    const result = assessOn(on, hasFix);
    const shown = new Set(["48", "47", "46", "45", "36", "35", "24", "23"]);
    return [...result.targets, ...result.skipped]
      .filter((l) => shown.has(l.line))
      .sort((a, b) => Number(b.line) - Number(a.line))
      .map((l) => [l.line, l.status, l.verdict, l.affected ? l.nextPatch : l.patchedIn ?? "-"].join(" "));
  };

  test.each<[string, string, Record<string, boolean> | undefined, string[]]>([
    [
      "the day before, offline: the upcoming line is affected because the newest released line is; its fix ships in 48.0.0",
      "2026-08-19",
      undefined,
      [
        "48 upcoming affected 48.0.0",
        "47 supported affected 47.0.1",
        "46 supported affected 46.0.2",
        "45 end-of-support ended-vulnerable -",
        "36 supported affected 36.0.9",
        "35 end-of-support ended-vulnerable -",
        "24 supported affected 24.0.12",
        "23 end-of-support ended-vulnerable -",
      ],
    ],
    ["the day before, its branch known not to have the fix: affected", "2026-08-19", { "release-48.0.0": false }, ["48 upcoming affected 48.0.0"]],
    ["the day before, its branch known to have the fix: not affected", "2026-08-19", { "release-48.0.0": true }, ["48 upcoming not-affected -"]],
    [
      "the day itself: every line that shipped a fixed version is patched, with that version",
      "2026-08-20",
      undefined,
      [
        "48 supported not-affected -",
        "47 supported patched 47.0.1",
        "46 supported patched 46.0.2",
        "45 end-of-support ended-vulnerable -",
        "36 supported patched 36.0.9",
        "35 end-of-support ended-vulnerable -",
        "24 supported patched 24.0.12",
        "23 end-of-support ended-vulnerable -",
      ],
    ],
    [
      "the day after: lines whose support ended on the security day still read as patched",
      "2026-08-21",
      undefined,
      [
        "48 supported not-affected -",
        "47 supported patched 47.0.1",
        "46 end-of-support patched 46.0.2",
        "45 end-of-support ended-vulnerable -",
        "36 supported patched 36.0.9",
        "35 end-of-support ended-vulnerable -",
        "24 end-of-support patched 24.0.12",
        "23 end-of-support ended-vulnerable -",
      ],
    ],
  ])("%s", (_, on, hasFix, expected) => {
    // Newest first: the rows that name only the upcoming line compare only it.
    expect(verdicts(on, hasFix).slice(0, expected.length)).toEqual(expected);
  });

  test("the reasons say why, for the upcoming line each way", () => {
    const reason = (hasFix?: Record<string, boolean>) => {
      const result = assessOn("2026-08-19", hasFix);
      return [...result.targets, ...result.skipped].find((l) => l.line === "48")?.reason;
    };
    expect(reason()).toBe(
      "not released yet, and the newest released line 47.0.x is affected (47.0.0 is within >= 47.0.0, < 47.0.1): release-48.0.0 has the vulnerable code unless it was cut after the fix; the fix ships in 48.0.0",
    );
    expect(reason({ "release-48.0.0": false })).toBe("release-48.0.0 does not have the fix; the fix ships in 48.0.0");
    expect(reason({ "release-48.0.0": true })).toBe("release-48.0.0 has the fix; 48.0.0 will ship with it");
  });

  test("the day after, nothing is affected and no vulnerable ended line is called not affected", () => {
    const result = assessOn("2026-08-21");
    expect(result.targets).toEqual([]);
    const ended = result.skipped.filter((s) => s.status === "end-of-support");
    expect(ended.filter((s) => s.verdict === "not-affected")).toEqual([]);
    expect(result.skipped.find((s) => s.line === "24")).toMatchObject({
      verdict: "patched",
      patchedIn: "24.0.12",
      reason: "patched in 24.0.12: 24.0.11 is within < 24.0.12, 24.0.12 is not; end of support 2026-08-20",
    });
    expect(result.skipped.find((s) => s.line === "45")?.reason).toBe("end of support 2026-07-20, no fix planned: 45.0.0 is within >= 37.0.0, < 46.0.2");
  });

  test("the patched release is the first fixed one, not the latest", () => {
    const h = dayHistory();
    h.releases.push({ version: "47.0.2", date: "2026-09-01" });
    const policy = wasmtime();
    const result = assessAdvisory({ lines: computeLines(policy, h, "2026-09-02"), ranges, on: "2026-09-02", policy });
    expect(result.skipped.find((s) => s.line === "47")).toMatchObject({ verdict: "patched", patchedIn: "47.0.1" });
  });

  test("offline, after the newest released line shipped the fix, the upcoming line is assumed to have it (and the reason says to check)", () => {
    const h = dayHistory();
    h.releases = h.releases.filter((r) => r.version !== "48.0.0");
    h.releases.push({ version: "47.0.1", date: "2026-08-10" });
    h.releases = h.releases.filter((r) => !(r.version === "47.0.1" && r.date === "2026-08-20"));
    const policy = wasmtime();
    const result = assessAdvisory({ lines: computeLines(policy, h, "2026-08-11"), ranges, on: "2026-08-11", policy });
    expect(result.skipped.find((s) => s.line === "48")).toMatchObject({
      verdict: "not-affected",
      reason: "not released yet; assumed to have the fix, which the newest released line 47.0.x shipped in 47.0.1 (check release-48.0.0)",
    });
  });

  test("a supported line the policy's security lines leave out is named, not called unaffected", () => {
    const policy = policyFrom({ preset: "wasmtime", selectors: { security: ["lts"] } });
    const result = assessAdvisory({ lines: computeLines(policy, dayHistory(), "2026-08-19"), ranges, on: "2026-08-19", policy });
    expect(result.targets.map((t) => t.line)).toEqual(["36", "24"]);
    expect(result.skipped.find((s) => s.line === "47")).toMatchObject({
      verdict: "not-security",
      reason: "supported line, not a security line, no fix planned: 47.0.0 is within >= 47.0.0, < 47.0.1",
    });
  });
});

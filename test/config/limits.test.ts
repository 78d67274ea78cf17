/**
 * Hostile and absurd configs: every bound of the schema names its key, every limit of the YAML reader names
 * the limit, and what the schema accepts at its bounds, the engine computes with (issue 14).
 */
import { MAX_CONFIG_BYTES, parseConfig, parseConfigText, readYaml } from "../../src/config/load.js";
import { toPolicy } from "../../src/config/policy.js";
import { EngineError } from "../../src/engine/errors.js";
import { addDuration, isIsoDate, parseIsoDate, toIsoDay } from "../../src/engine/dates.js";
import { computeLines } from "../../src/engine/lines.js";
import { Naming } from "../../src/engine/naming.js";
import type { Policy, ReleaseHistory } from "../../src/engine/types.js";

const problemsOf = (raw: unknown) => {
  const result = typeof raw === "string" ? parseConfigText(raw) : parseConfig(raw);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

const wasmtime = (extra: Record<string, unknown>) => ({ preset: "wasmtime", ...extra });
const calendar = (extra: Record<string, unknown>) => ({ cadence: "1 month", anchor: { version: "20.0.0", date: "2024-04-20" }, ...extra });

describe("the schema bounds every number, duration, count and date, naming the key", () => {
  test.each([
    ["cadence: 99999999999999999999 months", wasmtime({ calendar: calendar({ cadence: "99999999999999999999 months" }) }), "calendar.cadence: at most 100 years"],
    ["regular: 999999999999 years", wasmtime({ support: { regular: "999999999999 years" } }), "support.regular: at most 100 years"],
    ["regular: latest 99999999999999 releases", wasmtime({ support: { regular: "latest 99999999999999 releases" } }), "support.regular: a count of at most 100"],
    ["an anchor of 9999-12-31", wasmtime({ calendar: calendar({ anchor: { version: "20.0.0", date: "9999-12-31" } }) }), "calendar.anchor.date: expected a day from 1970-01-01 to 2200-12-31"],
    ["an anchor before 1970", { calendar: calendar({ anchor: { version: "1.0.0", date: "1969-12-31" } }) }, "calendar.anchor.date: expected a day from 1970-01-01 to 2200-12-31"],
    ["an end of support after 2200", wasmtime({ support: { overrides: [{ line: 36, endOfSupport: "2201-01-01" }] } }), "support.overrides[0].endOfSupport: expected a day from 1970-01-01 to 2200-12-31"],
    ["a huge cutDaysBefore", { calendar: calendar({ cutDaysBefore: 1e12 }) }, "calendar.cutDaysBefore: Too big"],
    ["LTS every 0", wasmtime({ support: { lts: { every: 0, from: "24" } } }), "support.lts.every: Too small"],
    ["LTS every 10^15", wasmtime({ support: { lts: { every: 1e15, from: "24" } } }), "support.lts.every: Too big"],
    ["an extend of 200 years", wasmtime({ support: { overrides: [{ line: 36, extend: "200 years" }] } }), "support.overrides[0].extend: at most 100 years"],
    ["a 10-digit line", wasmtime({ support: { overrides: [{ line: "1234567890", lts: true }] } }), "support.overrides[0].line: "],
    ["a 10-digit anchor version", { calendar: calendar({ anchor: { version: "1234567890.0.0", date: "2024-04-20" } }) }, "calendar.anchor.version: expected a release version"],
    ["a fix window of 99999 weeks", { advisories: { fixWindow: "99999 weeks" } }, "advisories.fixWindow: at most 100 years"],
    ["a bad _extends", { _extends: "our org's repo" }, "_extends: expected a repository"],
  ])("%s", (_name, raw, expected) => {
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  test.each([
    ["backport.implied", { backport: { implied: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`l${i}`, ["security"]])) } }, "backport.implied: at most 50 labels"],
    ["backport.copyLabels", { backport: { copyLabels: Array.from({ length: 51 }, (_, i) => `l${i}`) } }, "backport.copyLabels: Too big"],
    ["backport.reviewers.extra", { backport: { reviewers: { extra: Array.from({ length: 16 }, (_, i) => `p${i}`) } } }, "backport.reviewers.extra: Too big"],
    ["support.overrides", { support: { overrides: Array.from({ length: 201 }, (_, i) => ({ line: i, lts: true })) } }, "support.overrides: Too big"],
    ["support.lts.lines", { support: { lts: { lines: Array.from({ length: 201 }, (_, i) => i) } } }, "support.lts.lines: Too big"],
    ["advisories.packages", { advisories: { packages: Array.from({ length: 101 }, (_, i) => `p${i}`) } }, "advisories.packages: Too big"],
    ["a label longer than GitHub's 50", { backport: { label: "x".repeat(51) } }, "backport.label: Too big"],
    ["a title longer than GitHub's 256", { backport: { title: "x".repeat(257) } }, "backport.title: Too big"],
    ["a note of 501 characters", { support: { overrides: [{ line: 3, note: "x".repeat(501) }] } }, "support.overrides[0].note: Too big"],
  ])("lists and strings have maximum lengths: %s", (_name, raw, expected) => {
    expect(problemsOf(raw)).toEqual([expect.stringContaining(expected)]);
  });

  test("at the bounds, the config is accepted and the engine computes lines with it", () => {
    const raw = {
      lines: { granularity: "major", branch: "release-{major}.0.0", tag: "v{version}" },
      calendar: { cadence: "100 years", anchor: { version: "999999999.0.0", date: "2200-12-31" }, cutDaysBefore: 3650 },
      support: { regular: "latest 100 releases", from: "actual", lts: { every: 1000, from: "0", window: "1200 months" }, overrides: [{ line: 999999999, extend: "36500 days" }] },
    };
    const result = parseConfig(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const history: ReleaseHistory = { releases: [{ version: "1.0.0", date: "1970-01-01" }, { version: "999999999.0.0", date: "2200-12-31" }], branches: [] };
    for (const on of ["1970-01-01", "2025-11-21", "2200-12-31"]) {
      const lines = computeLines(toPolicy(result.config), history, on);
      expect(lines.length).toBeGreaterThan(0);
    }
  });
});

describe("the engine answers EngineError, never RangeError", () => {
  const base: Policy = {
    granularity: "major", branchPattern: "release-{major}.0.0", tagPattern: "v{version}", calendar: null,
    regular: { type: "count", latest: 2 }, lts: { rule: { type: "none" }, window: { type: "duration", duration: { amount: 24, unit: "month" } } },
    windowFrom: "actual", overrides: [], security: ["supported", "upcoming"],
  };
  const history: ReleaseHistory = { releases: [{ version: "36.0.0", date: "2025-04-20" }, { version: "37.0.0", date: "2025-05-20" }], branches: [] };
  const codeOf = (compute: () => unknown) => {
    try {
      compute();
    } catch (error) {
      if (error instanceof EngineError) return error.code;
      throw error;
    }
    return "ok";
  };

  test.each([
    ["a count of 10^14", { ...base, regular: { type: "count", latest: 1e14 } }, "bad-policy"],
    ["LTS every 0", { ...base, lts: { rule: { type: "every", every: 0, from: "24" }, window: base.lts.window } }, "bad-policy"],
    ["a NaN cadence", { ...base, calendar: { cadence: { amount: NaN, unit: "month" }, anchorLine: "20", anchorDate: "2024-04-20", releaseDay: 20, cutDay: null, cutDaysBefore: null } }, "bad-policy"],
    ["a release day of 40", { ...base, calendar: { cadence: { amount: 1, unit: "month" }, anchorLine: "20", anchorDate: "2024-04-20", releaseDay: 40, cutDay: null, cutDaysBefore: null } }, "bad-policy"],
    ["an anchor of 2024-02-30", { ...base, calendar: { cadence: { amount: 1, unit: "month" }, anchorLine: "20", anchorDate: "2024-02-30", releaseDay: null, cutDay: null, cutDaysBefore: null } }, "bad-policy"],
  ] as [string, Policy, string][])("a policy with %s is a bad-policy error", (_name, policy, code) => {
    expect(codeOf(() => computeLines(policy, history, "2025-06-01"))).toBe(code);
  });

  test("dates beyond the year 9999 are not known, rather than fatal: a cadence of 10^6 months from an anchor far from the lines", () => {
    const policy: Policy = { ...base, calendar: { cadence: { amount: 1_000_000, unit: "month" }, anchorLine: "1", anchorDate: "9999-01-01", releaseDay: null, cutDay: null, cutDaysBefore: null }, windowFrom: "nominal", regular: { type: "duration", duration: { amount: 2, unit: "month" } } };
    const lines = computeLines(policy, history, "2025-06-01");
    expect(lines.map((l) => [l.line, l.nominalRelease, l.endOfSupport])).toEqual([
      ["36", null, "2025-06-20"],
      ["37", null, "2025-07-20"],
      ["38", null, null],
    ]);
  });

  test("date arithmetic out of range, bad days and instants are typed errors", () => {
    expect(codeOf(() => addDuration("2024-04-20", { amount: 99999999999, unit: "month" }))).toBe("date-out-of-range");
    expect(codeOf(() => addDuration("9999-12-31", { amount: 1, unit: "day" }))).toBe("date-out-of-range");
    expect(codeOf(() => addDuration("0000-01-01", { amount: -1, unit: "day" }))).toBe("date-out-of-range");
    expect(codeOf(() => toIsoDay(new Date(NaN)))).toBe("date-out-of-range");
    expect(codeOf(() => toIsoDay(new Date(Date.UTC(10000, 0, 1))))).toBe("date-out-of-range");
    expect(codeOf(() => parseIsoDate("2025-13-01"))).toBe("bad-date");
    expect(new EngineError({ code: "date-out-of-range", computation: "2024-04-20 + 99999999 months" }).message).toBe("date out of range: 2024-04-20 + 99999999 months falls outside the years 0000–9999");
  });

  test("years below 100 are those years, not 19xx", () => {
    expect(toIsoDay(parseIsoDate("0050-03-01"))).toBe("0050-03-01");
    expect(addDuration("0099-12-31", { amount: 1, unit: "day" })).toBe("0100-01-01");
    expect(isIsoDate("0000-02-29")).toBe(true);
  });

  test("a placeholder used twice in a pattern matches the same number twice", () => {
    const naming = new Naming("major", "release-{major}-{major}", "v{version}");
    expect(naming.lineOfBranch("release-36-36")).toEqual({ major: 36, minor: 0 });
    expect(naming.lineOfBranch("release-36-37")).toBeNull();
    expect(naming.lineOfBranch("release-1234567890-1234567890")).toBeNull();
  });
});

describe("YAML is read with limits, each a problem that names it", () => {
  test("a file over 32 KB is refused before it is parsed", () => {
    const text = `preset: wasmtime\n${"# padding\n".repeat(45_000)}`;
    expect(problemsOf(text)).toEqual([`: the file is ${Math.ceil(Buffer.byteLength(text) / 1024)} KB; configs are limited to 32 KB (a real one is under 5 KB)`]);
    // Not even a YAML error: an unclosed bracket after the limit is never looked at.
    expect(problemsOf(`${"#".repeat(MAX_CONFIG_BYTES)}\nsupport: [`)).toEqual([expect.stringContaining("configs are limited to 32 KB")]);
  });

  test("an alias bomb (billion laughs) is refused naming the alias limit", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    expect(problemsOf(`${levels.join("\n")}\n`)).toEqual([": YAML: too many aliases: expanding them goes past the limit of 100 alias uses (an alias bomb?)"]);
  });

  test("aliases within the limit that expand past 20,000 values are refused too", () => {
    const text = `a: &a [${Array(1000).fill("1").join(",")}]\nb: [${Array(30).fill("*a").join(", ")}]\n`;
    expect(problemsOf(text)).toEqual([": the config has more than 20,000 values once its aliases are expanded"]);
  });

  test("a few aliases, as people write them, are fine", () => {
    const result = parseConfigText("preset: wasmtime\nbackport:\n  copyLabels: &labels [security, 'area:*']\n  implied:\n    security: [security]\n    cve: &sec [security]\n    ghsa: *sec\n");
    expect(result.ok).toBe(true);
  });

  test("a key twice in one mapping is a problem with its line (found in one pass, even for thousands of keys)", () => {
    expect(problemsOf("preset: wasmtime\nsupport:\n  regular: 2 months\n  regular: 3 months\n")).toEqual([': YAML: the key "regular" appears twice in one mapping (line 4)']);
    const many = Array.from({ length: 3000 }, (_, i) => `a${i % 1500}: 1\n`).join("");
    const problems = problemsOf(many);
    expect(problems).toHaveLength(101);
    expect(problems.at(-1)).toMatch(/^: … and \d+ more problems$/);
  });

  test("nesting deeper than 64 levels is a problem, however deep", () => {
    expect(problemsOf(`backport: ${"[".repeat(100)}${"]".repeat(100)}\n`)).toEqual([": YAML: nested more than 64 levels deep (line 1)"]);
    expect(problemsOf(`backport: ${"[".repeat(15_000)}${"]".repeat(15_000)}\n`)).toEqual([expect.stringMatching(/^: YAML: nested more than 64 levels deep/)]);
  });

  test("thousands of problems are listed up to 100, then counted", () => {
    const problems = problemsOf({ backport: { copyLabels: Array.from({ length: 50 }, () => "") }, support: { overrides: Array.from({ length: 200 }, () => ({ line: "x", lts: "y", extra: 1 })) } });
    expect(problems).toHaveLength(101);
    expect(problems.at(-1)).toMatch(/^: … and \d+ more problems$/);
  });

  test("a key named __proto__ is an unknown key, never the prototype", () => {
    const raw = JSON.parse('{"preset":"wasmtime","__proto__":{"support":{"regular":"latest 9 releases"}}}') as unknown;
    expect(problemsOf(raw)).toEqual(["__proto__: unknown key"]);
    expect(problemsOf('preset: wasmtime\n__proto__:\n  support: {}\n')).toEqual(["__proto__: unknown key"]);
  });

  test("a YAML document that is not a mapping, several documents, or a Date are problems, not throws", () => {
    expect(problemsOf("- a\n- b\n")).toEqual([": the config must be a mapping of keys to values"]);
    expect(problemsOf("a: 1\n---\nb: 2\n")[0]).toMatch(/^: YAML: /);
    expect(problemsOf(new Date())).toEqual([": the config must be a mapping of keys to values"]);
    expect(problemsOf({ calendar: calendar({ anchor: { version: "1.0.0", date: new Date(NaN) } }) })).toEqual(["calendar.anchor.date: expected a calendar day as YYYY-MM-DD"]);
    expect(readYaml("")).toEqual({ ok: true, value: null });
  });
});

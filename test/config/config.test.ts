import { readFileSync } from "node:fs";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { parseConfig, parseConfigText } from "../../src/config/load.js";
import { toPolicy } from "../../src/config/policy.js";

const problemsOf = (raw: unknown) => {
  const result = typeof raw === "string" ? parseConfigText(raw) : parseConfig(raw);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

describe("config schema", () => {
  test("the wasmtime preset is Wasmtime's policy, exactly", () => {
    const result = parseConfig({ preset: "wasmtime" });
    if (!result.ok) throw new Error("preset invalid");
    expect(toPolicy(result.config)).toEqual({
      granularity: "major",
      branchPattern: "release-{major}.0.0",
      tagPattern: "v{version}",
      calendar: {
        cadence: { amount: 1, unit: "month" },
        anchorLine: "20",
        anchorDate: "2024-04-20",
        releaseDay: 20,
        cutDay: 5,
        cutDaysBefore: null,
      },
      regular: { type: "duration", duration: { amount: 2, unit: "month" } },
      lts: { rule: { type: "every", every: 12, from: "24" }, window: { type: "duration", duration: { amount: 24, unit: "month" } } },
      windowFrom: "nominal",
      overrides: [],
      security: ["supported", "upcoming"],
    });
  });

  test("a preset is overridable key by key", () => {
    const result = parseConfigText("preset: wasmtime\nsupport:\n  regular: latest 3 releases\n  lts:\n    window: 36 months\n");
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const policy = toPolicy(result.config);
    expect(policy.regular).toEqual({ type: "count", latest: 3 });
    expect(policy.lts).toEqual({ rule: { type: "every", every: 12, from: "24" }, window: { type: "duration", duration: { amount: 36, unit: "month" } } });
    expect(policy.calendar?.cutDay).toBe(5);
  });

  test("defaults without a preset: major lines, the latest 2 releases, no LTS, no calendar", () => {
    const result = parseConfig(undefined);
    if (!result.ok) throw new Error("defaults invalid");
    expect(result.config.backport).toMatchObject({ labelPrefix: "backport:", branchPrefix: "lts-steward/backport/", title: "[{target}] {title} (#{number})", implied: { security: ["security"] }, permission: "write", label: "backport" });
    expect(result.config.tracking).toEqual({ for: "security", mode: "fix", label: "backport-tracking" });
    expect(toPolicy(result.config)).toMatchObject({ granularity: "major", calendar: null, regular: { type: "count", latest: 2 }, lts: { rule: { type: "none" } } });
  });

  test("YAML dates and numbers are read as days and line names", () => {
    const result = parseConfigText("preset: wasmtime\nsupport:\n  overrides:\n    - line: 36\n      endOfSupport: 2028-01-20\n");
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.config.support.overrides[0]).toMatchObject({ line: "36", endOfSupport: "2028-01-20" });
    // Probot's loader (js-yaml) turns unquoted dates into Date objects.
    expect(parseConfig({ support: { overrides: [{ line: "36", endOfSupport: new Date("2028-01-20T00:00:00Z") }] } })).toMatchObject({ ok: true });
  });

  test.each([
    ["a misspelt key", { support: { regulr: "2 months" } }, ["support.regulr: unknown key"]],
    ["a top-level typo", { presett: "wasmtime" }, ["presett: unknown key"]],
    ["a nested typo in a list", { support: { overrides: [{ line: "36", lst: true }] } }, ["support.overrides[0].lst: unknown key"]],
    ["a bad duration", { support: { regular: "two months" } }, ['support.regular: expected a duration ("2 months") or a count ("latest 2 releases")']],
    ["an unknown preset", { preset: "nodejs" }, ["preset: unknown preset; presets: wasmtime"]],
    ["nominal windows without a calendar", { support: { from: "nominal" } }, ["support.from: nominal needs a calendar"]],
    ["a branch pattern without {major}", { lines: { branch: "stable" } }, ["lines.branch: must contain {major}"]],
    ["minor lines without {minor}", { lines: { granularity: "minor", branch: "v{major}.x" } }, ["lines.branch: minor lines need {minor} in the branch pattern"]],
    ["every without from", { support: { lts: { every: 12 } } }, ["support.lts.from: every and from go together"]],
    ["an impossible day", { calendar: { cadence: "1 month", anchor: { version: "1.0.0", date: "2025-02-30" } } }, ["calendar.anchor.date: expected a calendar day as YYYY-MM-DD"]],
    ["days of month with a weekly cadence", { calendar: { cadence: "2 weeks", anchor: { version: "1.0.0", date: "2025-02-03" }, cutDay: 5 } }, ["calendar.cutDay: days of the month need a monthly or yearly cadence; use cutDaysBefore"]],
    ["endOfSupport and extend together", { support: { overrides: [{ line: "3", endOfSupport: "2026-01-01", extend: "1 month" }] } }, ["support.overrides[0].extend: set endOfSupport or extend, not both"]],
    ["an unquoted minor line", { support: { overrides: [{ line: 1.4, lts: true }] } }, expect.arrayContaining([expect.stringMatching(/^support\.overrides\[0\]\.line: /)])],
    ["not a mapping", ["a"], ["(file): the config must be a mapping of keys to values".replace("(file)", "")]],
  ])("%s is an error with its path", (_name, raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });

  test("YAML syntax errors are reported with their line", () => {
    expect(problemsOf("support:\n  regular: [unclosed\n")[0]).toMatch(/^: YAML: .*\(line \d+\)$/);
  });
});

describe("JSON Schema", () => {
  test("schema/lts-steward.schema.json is current (regenerate with `npm run schema`)", () => {
    const committed = readFileSync(new URL("../../schema/lts-steward.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(configJsonSchema());
  });

  test("it rejects unknown keys and documents every field", () => {
    const schema = JSON.parse(configJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.support.additionalProperties).toBe(false);
    const undocumented: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      const props = node.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, child] of Object.entries(props ?? {})) {
        if (!child.description && key !== "anchor") undocumented.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
        if (child.items) walk(child.items as Record<string, unknown>, `${path}${key}[].`);
      }
    };
    walk(schema, "");
    expect(undocumented).toEqual([]);
  });
});

describe("configuration reference", () => {
  test("docs/configuration.md is generated from the schema and current (regenerate with `npm run schema`)", async () => {
    const { configurationReference } = await import("../../src/config/reference.js");
    const committed = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
    expect(committed).toBe(configurationReference());
    for (const key of ["backport.labelPrefix", "tracking.mode", "advisories.packages", "automation.ci.workflow", "support.lts.every"]) expect(committed).toContain(`| \`${key}\` |`);
  });
});

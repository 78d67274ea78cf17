/**
 * Property-based tests (fast-check) for issue 14: nothing anyone writes in a config, and nothing a
 * repository's history holds, makes the App throw.
 *
 * - Config parsing: arbitrary text, YAML-shaped text (anchors, aliases, flow and block collections, tags,
 *   several documents), JSON-as-YAML and arbitrary objects go through parseConfigText / parseConfig and come
 *   back as a valid config or problems, never a throw.
 * - The engine: configs built to be valid (bounded arbitraries, with values at the schema's bounds) are
 *   accepted, and toPolicy, computeLines over random histories, projectLines, projectSchedule,
 *   resolveTargets with random selectors and assessAdvisory with random ranges give a result or an
 *   `EngineError`, never another throw.
 *
 * About 1,400 runs in all. A failure prints fast-check's seed and the shrunk input.
 */
import fc from "fast-check";
import { parseConfig, parseConfigText, type ConfigResult } from "../../src/config/load.js";
import { toPolicy } from "../../src/config/policy.js";
import { MAX_DURATION } from "../../src/config/schema.js";
import { assessAdvisory } from "../../src/engine/advisory.js";
import { EngineError } from "../../src/engine/errors.js";
import { computeLines } from "../../src/engine/lines.js";
import { projectLines } from "../../src/engine/projection.js";
import { projectSchedule } from "../../src/engine/schedule.js";
import { resolveTargets } from "../../src/engine/selectors.js";
import type { ReleaseHistory } from "../../src/engine/types.js";

/** Either answer is fine; a throw fails the property. */
function parsed(result: ConfigResult): boolean {
  return result.ok ? typeof result.config === "object" : result.problems.length > 0 && result.problems.every((p) => typeof p.path === "string" && typeof p.message === "string");
}

/** The engine may refuse with an EngineError; anything else thrown fails the property. */
function engine<T>(compute: () => T): T | EngineError {
  try {
    return compute();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
}

// --- Config text and objects ---------------------------------------------------------------------------

const KEYS = [
  "preset", "_extends", "$schema", "lines", "granularity", "branch", "tag", "calendar", "cadence", "anchor", "version", "date", "releaseDay", "cutDay",
  "cutDaysBefore", "support", "regular", "from", "lts", "every", "window", "overrides", "line", "endOfSupport", "extend", "note", "selectors", "security",
  "backport", "labelPrefix", "implied", "copyLabels", "reviewers", "extra", "tracking", "advisories", "packages", "automation", "ci", "inputs", "<<", "__proto__",
];
const SCALARS = [
  "wasmtime", "2 months", "latest 3 releases", "99999999999999999999 months", "999999999999 years", "latest 99999999999999 releases", "9999-12-31", "1969-12-31",
  "2024-02-30", "0", "-1", "1e400", ".inf", ".nan", "~", "null", "true", "no", "0x1F", "1_000", "release-{major}.0.0", "{major}{major}", "v{version}", "'quoted'",
  '"dq \\u0000"', "|\n  block", ">-\n  folded", "!!str 5", "!!binary aGk=", "!!timestamp 2025-01-01", "!!set {a, b}", "!!omap [a: 1]", "!custom x", "[]", "{}",
  "2025-11-21", "20.0.0", "36", "1.4", "security", "lts", "supported", "upcoming", "nominal", "minor", "write", "x".repeat(300),
];
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 }));
const anchorName = fc.constantFrom("a", "b", "c");
const scalar = fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 20 }), fc.integer().map(String), fc.double().map(String));
const flow: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    anchorName.map((a) => `*${a}`),
    fc.tuple(anchorName, tie("value")).map(([a, v]) => `&${a} ${v}`),
    fc.array(tie("value"), { maxLength: 5 }).map((items) => `[${items.join(", ")}]`),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 5 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
  ),
})).value;
/** Block YAML: lines of `key: value`, `- value`, `? key`, anchors, aliases, merge keys, at random indents. */
const yamlish = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 6 }),
      fc.oneof(
        fc.tuple(key, flow).map(([k, v]) => `${k}: ${v}`),
        fc.tuple(key).map(([k]) => `${k}:`),
        flow.map((v) => `- ${v}`),
        fc.tuple(key, anchorName).map(([k, a]) => `${k}: &${a}`),
        anchorName.map((a) => `<<: *${a}`),
        key.map((k) => `? ${k}`),
        fc.constantFrom("---", "...", "# comment", "%YAML 1.2", "\t", ""),
      ),
    ),
    { maxLength: 25 },
  )
  .map((lines) => lines.map(([indent, text]) => `${" ".repeat(indent)}${text}`).join("\n"));

/** A value of any JSON-ish shape, with the odd Date, NaN, -0 and huge number. */
const wild = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withDate: true, withNullPrototype: true, withBigInt: false, withMap: false, withSet: false }),
  fc.constantFrom(Number.NaN, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, new Date(Number.NaN), new Date("9999-12-31"), "", [], {}),
);
/** Objects with the config's own keys at the top and one level down, holding wild values. */
const configShaped = fc.dictionary(
  fc.constantFrom("preset", "lines", "calendar", "support", "selectors", "backport", "tracking", "advisories", "automation", "_extends", "__proto__", "constructor"),
  fc.oneof(wild, fc.dictionary(fc.constantFrom(...KEYS), wild, { maxKeys: 6 })),
  { maxKeys: 6 },
);

describe("config parsing never throws", () => {
  test("arbitrary text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => parsed(parseConfigText(text))), { numRuns: 200 });
  });

  test("YAML-shaped text: anchors, aliases, merge keys, tags, flow and block collections", () => {
    fc.assert(fc.property(yamlish, (text) => parsed(parseConfigText(text))), { numRuns: 300 });
  });

  test("JSON written as YAML, and arbitrary objects", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => parsed(parseConfigText(JSON.stringify(value))) && parsed(parseConfig(value))), { numRuns: 100 });
    fc.assert(fc.property(wild, (value) => parsed(parseConfig(value))), { numRuns: 100 });
  });

  test("1,000 objects shaped like a config, with wild values: each a valid config or problems, never a throw", () => {
    fc.assert(fc.property(configShaped, (value) => parsed(parseConfig(value))), { numRuns: 1_000 });
  });
});

// --- Valid configs, random histories, the engine -------------------------------------------------------

const DAY_MS = 86_400_000;
const FIRST = Date.UTC(1970, 0, 1);
const LAST = Date.UTC(2200, 11, 31);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayBetween = (from: number, to: number) => fc.integer({ min: Math.floor(from / DAY_MS), max: Math.floor(to / DAY_MS) }).map((d) => isoDay(d * DAY_MS));
/** Small numbers mostly, the bound sometimes. */
const upTo = (max: number, typical = Math.min(max, 40)) => fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: typical }) }, { weight: 1, arbitrary: fc.constantFrom(1, max) }, { weight: 1, arbitrary: fc.integer({ min: 1, max }) });
const UNITS = ["day", "week", "month", "year"] as const;
const durationOf = (units: readonly (typeof UNITS)[number][]) => fc.constantFrom(...units).chain((unit) => upTo(MAX_DURATION[unit]!, unit === "day" ? 400 : 30).map((n) => `${n} ${unit}${n === 1 ? "" : "s"}`));
const window = fc.oneof(durationOf(UNITS), upTo(100, 5).map((n) => `latest ${n} releases`));
const majorNumber = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 60 }) }, { weight: 1, arbitrary: fc.constantFrom(999_999_999, 2024, 20240101) });

interface Scenario {
  config: Record<string, unknown>;
  history: ReleaseHistory;
  on: string;
  selectors: string[];
  ranges: string[];
  projectMax: number;
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    granularity: fc.constantFrom("major", "minor"),
    branchStyle: fc.constantFrom("release-{major}.0.0", "v{major}.x", "release/{major}-{major}", "stable-{major}"),
    tag: fc.constantFrom("v{version}", "{version}", "release-{version}"),
    calendar: fc.option(
      fc.record({
        unit: fc.constantFrom(...UNITS),
        anchorMajor: majorNumber,
        anchorMinor: fc.integer({ min: 0, max: 20 }),
        anchorDate: fc.oneof({ weight: 6, arbitrary: dayBetween(Date.UTC(2015, 0, 1), Date.UTC(2035, 0, 1)) }, { weight: 1, arbitrary: fc.constantFrom("1970-01-01", "2200-12-31", "2024-02-29", "2024-01-31") }),
        days: fc.option(fc.oneof(fc.record({ releaseDay: fc.integer({ min: 1, max: 31 }), cutDay: fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }) }), fc.record({ cutDaysBefore: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constant(3650)) })), { nil: undefined }),
      }),
      { nil: undefined },
    ),
    regular: window,
    fromNominal: fc.boolean(),
    lts: fc.option(
      fc.oneof(
        fc.record({ every: upTo(1000, 24), from: majorNumber.map(String), window }),
        fc.record({ lines: fc.array(majorNumber.map(String), { maxLength: 8 }), window }),
      ),
      { nil: undefined },
    ),
    overrides: fc.array(
      fc.record({
        line: majorNumber,
        change: fc.oneof(
          fc.record({ lts: fc.boolean() }),
          fc.record({ endOfSupport: dayBetween(FIRST, LAST) }),
          fc.record({ extend: durationOf(UNITS) }),
          fc.record({ note: fc.string({ maxLength: 40 }) }),
        ),
      }),
      { maxLength: 5 },
    ),
    security: fc.uniqueArray(fc.constantFrom("supported", "lts", "current", "upcoming"), { minLength: 1, maxLength: 4 }),
    releases: fc.array(
      fc.record({
        major: majorNumber,
        minor: fc.integer({ min: 0, max: 12 }),
        patch: fc.integer({ min: 0, max: 5 }),
        odd: fc.constantFrom("", "", "", "", "-rc.1", "garbage", "v"),
        date: fc.oneof({ weight: 5, arbitrary: dayBetween(Date.UTC(2015, 0, 1), Date.UTC(2026, 0, 1)) }, { weight: 1, arbitrary: dayBetween(FIRST, LAST) }),
      }),
      { maxLength: 30 },
    ),
    branches: fc.array(fc.record({ major: majorNumber, minor: fc.integer({ min: 0, max: 12 }), createdAt: fc.option(dayBetween(Date.UTC(2015, 0, 1), Date.UTC(2035, 0, 1)), { nil: null }), junk: fc.boolean() }), { maxLength: 10 }),
    // Mostly after most releases, so that lines are supported and selectors and advisories have something to pick.
    on: fc.oneof({ weight: 6, arbitrary: dayBetween(Date.UTC(2024, 0, 1), Date.UTC(2030, 0, 1)) }, { weight: 1, arbitrary: dayBetween(FIRST, LAST) }),
    selectors: fc.array(fc.oneof(fc.constantFrom("security", "supported", "lts", "current", "upcoming", "LTS", " lts ", ""), majorNumber.map(String), fc.string({ maxLength: 10 })), { maxLength: 5 }),
    ranges: fc.oneof(
      { weight: 5, arbitrary: fc.array(
        fc.oneof(
          fc.tuple(majorNumber, fc.integer({ min: 0, max: 9 }), majorNumber, fc.integer({ min: 0, max: 9 })).map(([a, b, c, d]) => `>= ${a}.${b}.0, < ${c}.${d}.1`),
          majorNumber.map((m) => `= ${m}.0.0`),
          majorNumber.map((m) => `< ${m}.0.3`),
        ),
        { minLength: 1, maxLength: 3 },
      ) },
      { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 15 }), { maxLength: 2 }) },
    ),
    projectMax: fc.integer({ min: 0, max: 30 }),
  })
  .map((r) => {
    const minor = r.granularity === "minor";
    const branch = minor ? r.branchStyle.replace("{major}", "{major}.{minor}") : r.branchStyle;
    const monthly = r.calendar && (r.calendar.unit === "month" || r.calendar.unit === "year");
    const calendar = r.calendar && {
      cadence: `${r.calendar.unit === "day" ? 7 : 1} ${r.calendar.unit}`,
      anchor: { version: `${r.calendar.anchorMajor}.${minor ? r.calendar.anchorMinor : 0}.0`, date: r.calendar.anchorDate },
      ...(r.calendar.days && ("releaseDay" in r.calendar.days ? (monthly ? r.calendar.days : {}) : r.calendar.days)),
    };
    const lineName = (major: number) => (minor ? `${major}.${major % 7}` : String(major));
    const config: Record<string, unknown> = {
      lines: { granularity: r.granularity, branch, tag: r.tag },
      ...(calendar ? { calendar } : {}),
      support: {
        regular: r.regular,
        from: calendar && r.fromNominal ? "nominal" : "actual",
        ...(r.lts ? { lts: "every" in r.lts ? { ...r.lts, from: minor ? lineName(Number(r.lts.from)) : r.lts.from } : { ...r.lts, lines: r.lts.lines.map((l) => lineName(Number(l))) } } : {}),
        overrides: r.overrides.map((o) => ({ line: minor ? lineName(o.line) : o.line, ...o.change })),
      },
      selectors: { security: r.security },
    };
    const history: ReleaseHistory = {
      releases: r.releases.map((x) => ({ version: x.odd === "garbage" ? "not-a-version" : `${x.odd === "v" ? "v" : ""}${x.major}.${x.minor}.${x.patch}${x.odd.startsWith("-") ? x.odd : ""}`, date: x.date })),
      branches: r.branches.map((b) => ({
        name: b.junk ? `feature/${b.major}` : branch.replaceAll("{major}", String(b.major)).replaceAll("{minor}", String(b.minor)),
        createdAt: b.createdAt,
      })),
    };
    return { config, history, on: r.on, selectors: r.selectors, ranges: r.ranges, projectMax: r.projectMax };
  });

/** Runs every engine entry point the App uses on one scenario. */
function runEngine(s: Scenario): void {
  const result = parseConfig(s.config);
  if (!result.ok) throw new Error(`the generator built an invalid config: ${JSON.stringify(result.problems)}\n${JSON.stringify(s.config)}`);
  const policy = engine(() => toPolicy(result.config));
  if (policy instanceof EngineError) return;
  const lines = engine(() => computeLines(policy, s.history, s.on));
  if (lines instanceof EngineError) return;
  const selectorPolicy = { granularity: policy.granularity, security: policy.security };
  engine(() => projectSchedule(lines, s.on));
  engine(() => projectLines(policy, lines, { through: s.on, untilLts: true, max: s.projectMax }));
  engine(() => resolveTargets({ lines, selectors: s.selectors, on: s.on, policy: selectorPolicy }));
  engine(() => resolveTargets({ lines, selectors: ["security"], on: s.on, policy: selectorPolicy }));
  engine(() => assessAdvisory({ lines, ranges: s.ranges, on: s.on, policy: selectorPolicy }));
}

describe("configs the schema accepts: the engine gives a result or an EngineError", () => {
  test("random valid configs and histories", () => {
    fc.assert(fc.property(scenario, (s) => runEngine(s)), { numRuns: 300 });
  });

  test("the schema's bounds, all at once, at the calendar's far ends", () => {
    const history: ReleaseHistory = {
      releases: [
        { version: "0.0.0", date: "1970-01-01" }, { version: "1.0.0", date: "1970-01-02" }, { version: "999999999.0.0", date: "2200-12-31" },
        { version: "999999999.999999999.0", date: "2200-12-31" }, { version: "9007199254740991.0.0", date: "2100-01-01" },
      ],
      branches: [{ name: "release-999999999.0.0" }, { name: "release-9999999999.0.0" }],
    };
    const configs = [
      { calendar: { cadence: "1 day", anchor: { version: "0.0.0", date: "1970-01-01" } }, support: { regular: "latest 100 releases", lts: { every: 1, from: "0", window: "latest 100 releases" } } },
      { calendar: { cadence: "100 years", anchor: { version: "999999999.0.0", date: "2200-12-31" }, releaseDay: 31, cutDay: 31 }, support: { regular: "1200 months", from: "nominal", lts: { every: 1000, from: "999999999", window: "36500 days" } } },
      { calendar: { cadence: "5200 weeks", anchor: { version: "1.0.0", date: "1970-01-01" }, cutDaysBefore: 3650 }, support: { regular: "100 years", overrides: [{ line: 999999999, extend: "100 years" }, { line: 0, endOfSupport: "2200-12-31" }] } },
    ];
    for (const config of configs) {
      for (const on of ["1970-01-01", "2025-11-21", "2200-12-31"]) {
        runEngine({ config: { lines: { branch: "release-{major}.0.0" }, ...config }, history, on, selectors: ["security", "999999999", "release-999999999.0.0"], ranges: [">= 0.0.0, < 999999999.0.1"], projectMax: 50 });
      }
    }
  });
});

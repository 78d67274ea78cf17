import { computeLines } from "../../src/engine/lines.js";
import { projectLines } from "../../src/engine/projection.js";
import { EngineError } from "../../src/engine/errors.js";
import type { ReleaseLine } from "../../src/engine/types.js";
import { acceptanceHistory, history, policyFrom, wasmtime, wasmtimeRelease } from "../fixtures/policies.js";

/** 24 and 36–39 released; on 2025-11-21 the engine lists them and projects 40 (cut due 2025-12-05). */
const lines = () => computeLines(wasmtime(), acceptanceHistory(), "2025-11-21");
const brief = (projected: ReleaseLine[]) => projected.map((l) => `${l.line} ${l.label} ${l.kind} ${l.nominalCut} ${l.nominalRelease} ${l.endOfSupport}`);

describe("projectLines: lines beyond the engine's list", () => {
  test("the engine's list stops at the next cut", () => {
    expect(lines().map((l) => `${l.line} ${l.status}`).slice(-2)).toEqual(["39 supported", "40 projected"]);
  });

  test("through a day: every line whose nominal cut falls on or before it, dated and classified as the engine does", () => {
    expect(brief(projectLines(wasmtime(), lines(), { through: "2026-02-28", max: 100 }))).toEqual([
      "41 41.0.x regular 2026-01-05 2026-01-20 2026-03-20",
      "42 42.0.x regular 2026-02-05 2026-02-20 2026-04-20",
    ]);
    expect(projectLines(wasmtime(), lines(), { through: "2026-01-04", max: 100 })).toEqual([]);
  });

  test("each projected line is a whole ReleaseLine, with its reasons", () => {
    const [line] = projectLines(wasmtime(), lines(), { through: "2026-01-05", max: 100 });
    expect(line).toEqual({
      line: "41",
      label: "41.0.x",
      major: 41,
      minor: 0,
      branch: "release-41.0.0",
      kind: "regular",
      kindReason: "regular line",
      status: "projected",
      reason: "projected: branch cut due 2026-01-05, release due 2026-01-20",
      branchExists: false,
      branchCreatedAt: null,
      nominalCut: "2026-01-05",
      nominalRelease: "2026-01-20",
      released: null,
      endOfSupport: "2026-03-20",
      endOfSupportBasis: "2 months from nominal release 2026-01-20",
      endOfSupportProjected: false,
      latest: null,
      versions: [],
      nextPatch: "41.0.0",
    });
  });

  test("until the next LTS line: every line up to it, the LTS one classified by the policy's rule", () => {
    const projected = projectLines(wasmtime(), lines(), { untilLts: true, max: 100 });
    expect(projected.map((l) => l.line)).toEqual(["41", "42", "43", "44", "45", "46", "47", "48"]);
    expect(projected.at(-1)).toMatchObject({ kind: "lts", kindReason: "LTS: every 12th line from 24", nominalRelease: "2026-08-20", endOfSupport: "2028-08-20" });
  });

  test("the projected LTS line agrees with the engine's own answer once it lists it", () => {
    const [later] = projectLines(wasmtime(), lines(), { untilLts: true, max: 100 }).slice(-1);
    const h = history([24, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47].map((v) => wasmtimeRelease(v)));
    const engine = computeLines(wasmtime(), h, "2026-07-21").find((l) => l.line === "48");
    const pick = (l?: ReleaseLine) => l && [l.kind, l.kindReason, l.nominalCut, l.nominalRelease, l.endOfSupport, l.endOfSupportBasis];
    expect(pick(later)).toEqual(pick(engine));
  });

  test("overrides count: a line made LTS by hand is the next LTS line; one unmade is skipped", () => {
    const policy = policyFrom({ preset: "wasmtime", support: { overrides: [{ line: "44", lts: true, note: "long-lived embedder release" }, { line: "48", lts: false }] } });
    const lts = projectLines(policy, computeLines(policy, acceptanceHistory(), "2025-11-21"), { untilLts: true, max: 100 }).filter((l) => l.kind === "lts");
    expect(lts.map((l) => [l.line, l.kindReason])).toEqual([["44", "LTS by override: long-lived embedder release"]]);
    const without44 = policyFrom({ preset: "wasmtime", support: { overrides: [{ line: "48", lts: false }] } });
    const next = projectLines(without44, computeLines(without44, acceptanceHistory(), "2025-11-21"), { untilLts: true, max: 100 }).at(-1);
    expect([next?.line, next?.kind]).toEqual(["60", "lts"]);
  });

  test("an unreleased LTS line already listed is enough: untilLts adds nothing past `through`", () => {
    const h = history([24, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47].map((v) => wasmtimeRelease(v)), [{ name: "release-48.0.0", createdAt: "2026-08-05" }]);
    const listed = computeLines(wasmtime(), h, "2026-08-10");
    expect(listed.find((l) => l.line === "48")).toMatchObject({ status: "upcoming", kind: "lts" });
    expect(projectLines(wasmtime(), listed, { untilLts: true, max: 100 })).toEqual([]);
  });

  test("at most `max` lines: an LTS line further away is not reached, and nothing is returned for it", () => {
    expect(projectLines(wasmtime(), lines(), { untilLts: true, max: 3 })).toEqual([]);
    expect(projectLines(wasmtime(), lines(), { through: "2026-12-31", max: 3 }).map((l) => l.line)).toEqual(["41", "42", "43"]);
  });

  test("nothing to project beyond no lines, and a bad day is the engine's error", () => {
    expect(projectLines(wasmtime(), [], { untilLts: true, through: "2026-12-31", max: 100 })).toEqual([]);
    expect(() => projectLines(wasmtime(), lines(), { through: "2026-02-30", max: 100 })).toThrow(EngineError);
  });

  test("minor lines continue minor by minor; without a cut day, `through` looks at the release day", () => {
    const policy = policyFrom({
      lines: { granularity: "minor", branch: "release/v{major}.{minor}" },
      calendar: { cadence: "3 months", anchor: { version: "1.0.0", date: "2025-01-15" } },
      support: { regular: "6 months", lts: { every: 3, from: "1.0", window: "2 years" } },
    });
    const h = history(["1.0.0", "1.1.0", "1.2.0", "1.3.0"].map((version, i) => ({ version, date: ["2025-01-15", "2025-04-15", "2025-07-15", "2025-10-15"][i] ?? "" })));
    const listed = computeLines(policy, h, "2025-10-20");
    expect(listed.map((l) => `${l.label} ${l.kind} ${l.status}`).slice(-2)).toEqual(["1.3.x lts supported", "1.4.x regular projected"]);
    const projected = projectLines(policy, listed, { through: "2026-06-30", untilLts: true, max: 100 });
    expect(projected.map((l) => `${l.line} ${l.label} ${l.branch} ${l.kind} ${l.nominalRelease} ${l.nominalCut}`)).toEqual([
      "1.5 1.5.x release/v1.5 regular 2026-04-15 null",
      "1.6 1.6.x release/v1.6 lts 2026-07-15 null",
    ]);
  });
});

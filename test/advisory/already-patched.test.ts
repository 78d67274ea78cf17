/**
 * An advisory published after every affected line shipped its patched release (issue 15): by default one
 * record, written and closed at once; with `advisories.alreadyPatched: skip`, nothing written at all. Either
 * way a re-delivery writes nothing more.
 */
import { runAdvisory } from "../../src/advisory/run-advisory.js";
import { readAdvisoryIssue } from "../../src/advisory/render.js";
import type { Advisory } from "../../src/advisory/types.js";
import { toPolicy } from "../../src/config/policy.js";
import { configOf, memoryLog, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";
const GHSA = "GHSA-p4p4-p4p4-p4p4";

const advisory: Advisory = {
  ghsaId: GHSA, cveId: null, summary: "Out-of-bounds read", state: "published", publishedAt: `${TODAY}T20:00:00Z`, htmlUrl: null,
  vulnerabilities: [
    { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 39.0.0, < 39.0.1", patched: "39.0.1" },
    { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 38.0.0, < 38.0.1", patched: "38.0.1" },
  ],
};

function setup(alreadyPatched?: "record" | "skip") {
  const { fake } = wasmtimeRepo();
  for (const major of [38, 39]) fake.addRelease({ tag: `v${major}.0.1`, publishedAt: `${TODAY}T18:00:00Z`, target: `release-${major}.0.0` });
  const config = configOf({ preset: "wasmtime", ...(alreadyPatched ? { advisories: { alreadyPatched } } : {}) });
  const log = memoryLog();
  const run = () => runAdvisory({ port: fake, config, policy: toPolicy(config), today: TODAY, defaultBranch: "main", advisory, global: false, log });
  return { fake, run, log };
}

test("by default: one record with the patched lines, closed at once (two writes); a re-delivery writes nothing", async () => {
  const s = setup();
  expect(await s.run()).toBe("tracked");
  const [issue, ...more] = s.fake.allIssues();
  expect(more).toEqual([]);
  expect(issue!.state).toBe("closed");
  const tracking = readAdvisoryIssue(issue!.body)!;
  expect(tracking.rows).toEqual([]);
  expect(tracking.patched?.map((p) => [p.label, p.patchedIn])).toEqual([["39.0.x", "39.0.1"], ["38.0.x", "38.0.1"]]);
  expect(s.fake.writes().filter((c) => c.applied).map((c) => c.method)).toEqual(["createIssue", "updateIssue"]);
  expect(s.fake.commentsOn(issue!.number)).toEqual([]);

  s.fake.clearLog();
  expect(await s.run()).toBe("tracked");
  expect(s.fake.writes()).toEqual([]);
});

test("advisories.alreadyPatched: skip writes nothing and says so in the log", async () => {
  const s = setup("skip");
  expect(await s.run()).toBe("verified");
  expect(s.fake.writes()).toEqual([]);
  expect(s.log.entries.map((e) => e.msg)).toContain("advisory needs nothing: no record written (advisories.alreadyPatched: skip)");
});

test("skip still records an advisory with a line left to patch", async () => {
  const s = setup("skip");
  const forgotten: Advisory = { ...advisory, vulnerabilities: [...advisory.vulnerabilities, { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 36.0.0, < 36.0.1", patched: "36.0.1" }] };
  expect(await runAdvisory({ port: s.fake, config: configOf({ preset: "wasmtime", advisories: { alreadyPatched: "skip" } }), policy: toPolicy(configOf({ preset: "wasmtime" })), today: TODAY, defaultBranch: "main", advisory: forgotten, global: false, log: s.log })).toBe("tracked");
  const [issue] = s.fake.allIssues();
  expect(issue!.state).toBe("open");
  expect(readAdvisoryIssue(issue!.body)!.rows.map((r) => [r.label, r.nextPatch])).toEqual([["36.0.x", "36.0.1"]]);
});

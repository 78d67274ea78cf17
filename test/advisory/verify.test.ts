/**
 * After-the-fact verification (src/advisory/verify.ts): whether an upcoming line's branch has the fix, the
 * versions an advisory declares patched, and where they disagree with the published releases.
 */
import type { Advisory, AdvisoryRow, PatchedLine } from "../../src/advisory/types.js";
import { declaredVersions, patchedMismatches, upcomingHasFix } from "../../src/advisory/verify.js";
import type { ReleaseLine } from "../../src/engine/types.js";
import { FakeGitHub } from "../helpers/fake-github.js";

const GHSA = "GHSA-w9w9-w9w9-w9w9";
const SINCE = "2025-01-01T00:00:00Z";

const line = (major: number, fields: Partial<ReleaseLine> = {}): ReleaseLine => ({
  line: String(major), label: `${major}.0.x`, branch: `release-${major}.0.0`, status: "supported", latest: `${major}.0.2`,
  versions: [`${major}.0.0`, `${major}.0.1`, `${major}.0.2`], nextPatch: `${major}.0.3`, ...fields,
} as ReleaseLine);
const upcoming = (major: number) => line(major, { status: "upcoming", latest: null, versions: [], nextPatch: `${major}.0.0` });

describe("upcomingHasFix", () => {
  function repository() {
    const gh = new FakeGitHub({ now: "2025-11-01T09:00:00Z" });
    gh.setBranch("release-39.0.0", "main");
    const fix = gh.commit({ branch: "main", files: { "memory.rs": "bounds-checked\n" }, message: "Bounds-check memory.copy (#120)" });
    return { gh, fix };
  }

  test("a branch cut after the fix contains its commit", async () => {
    const { gh, fix } = repository();
    gh.setBranch("release-40.0.0", "main");
    const result = await upcomingHasFix(gh, { lines: [upcoming(40)], fixes: [{ kind: "commit", sha: fix, title: "Bounds-check memory.copy" }], ghsaId: GHSA, since: SINCE });
    expect(result).toEqual({ "release-40.0.0": true });
  });

  test.each([
    ["the fix's title behind a [39.0.x] prefix and its own PR number", "[39.0.x] Bounds-check memory.copy (#131)"],
    ["the GHSA id", `Merge commit from fork\n\nFixes ${GHSA.toLowerCase()}`],
    ["a cherry-pick -x trailer", "Harden the allocator\n\n(cherry picked from commit {fix})"],
  ])("a branch cut before the fix has it when one of its commits carries %s", async (_what, message) => {
    const { gh, fix } = repository();
    gh.commit({ branch: "release-39.0.0", files: { "memory.rs": "bounds-checked\n" }, message: message.replace("{fix}", fix) });
    const result = await upcomingHasFix(gh, { lines: [upcoming(39)], fixes: [{ kind: "commit", sha: fix, title: "Bounds-check memory.copy (#120)" }], ghsaId: GHSA, since: SINCE });
    expect(result).toEqual({ "release-39.0.0": true });
  });

  test("a branch cut before the fix, with unrelated commits only, does not have it; released lines are not looked at; no known fix: no verdict", async () => {
    const { gh, fix } = repository();
    gh.commit({ branch: "release-39.0.0", files: { "other.rs": "x\n" }, message: "Bump version to 39.0.0" });
    gh.setBranch("release-38.0.0", "main");
    const fixes = [{ kind: "commit" as const, sha: fix, title: "Bounds-check memory.copy" }];
    expect(await upcomingHasFix(gh, { lines: [line(38), upcoming(39)], fixes, ghsaId: GHSA, since: SINCE })).toEqual({ "release-39.0.0": false });
    expect(await upcomingHasFix(gh, { lines: [upcoming(39)], fixes: [], ghsaId: GHSA, since: SINCE })).toEqual({});
  });
});

describe("declaredVersions", () => {
  const advisory = (patched: (string | null)[]): Advisory => ({
    ghsaId: GHSA, cveId: null, summary: "s", state: "published", publishedAt: null, htmlUrl: null,
    vulnerabilities: patched.map((p, i) => ({ package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: `< ${i + 1}.0.0`, patched: p })),
  });

  test("reads single versions, lists, operators and a v prefix; skips text that is not a version and ranges that do not count", () => {
    const a = advisory(["36.0.4", ">= 38.0.2", "24.0.8, v37.0.3", "see the notes", null]);
    expect(declaredVersions(a, ["< 1.0.0", "< 2.0.0", "< 3.0.0", "< 4.0.0", "< 5.0.0"])).toEqual(["24.0.8", "36.0.4", "37.0.3", "38.0.2"]);
    expect(declaredVersions(a, ["< 1.0.0"])).toEqual(["36.0.4"]);
  });
});

describe("patchedMismatches", () => {
  const lines = [line(24), line(36, { versions: ["36.0.0", "36.0.1", "36.0.2", "36.0.3"], latest: "36.0.3", nextPatch: "36.0.4" }), line(38)];
  const patched: PatchedLine[] = [{ branch: "release-36.0.0", line: "36", label: "36.0.x", patchedIn: "36.0.3", reason: "" }];
  const row = (major: number, status: AdvisoryRow["status"]): AdvisoryRow => ({
    branch: `release-${major}.0.0`, line: String(major), label: `${major}.0.x`, nextPatch: `${major}.0.3`, reason: "", status, pull: null, issue: null, releasedIn: null, dismissed: null,
  });
  const within = (vulnerable: string[]) => (v: string) => vulnerable.includes(v);

  test("agreeing versions give nothing; the next patch of a line still waiting is not a mismatch", () => {
    expect(patchedMismatches({ declared: ["24.0.3", "36.0.3"], lines, patched, rows: [row(24, "open")], withinRanges: within([]) })).toEqual([]);
  });

  test("an unpublished version nobody waits for, a patched line left out, a later version than the one that shipped the fix, a version within the ranges", () => {
    expect(patchedMismatches({ declared: ["24.0.3"], lines, patched, rows: [row(24, "released")], withinRanges: within([]) })).toEqual([
      "The advisory declares 24.0.3 patched, but no 24.0.3 release is published.",
      "36.0.x shipped the fix in 36.0.3, but the advisory declares no patched 36.0.x version.",
    ]);
    expect(patchedMismatches({ declared: ["36.0.9"], lines, patched, rows: [], withinRanges: within([]) })).toEqual([
      "The advisory declares 36.0.9 patched, but no 36.0.9 release is published.",
      "The advisory declares 36.0.9 patched for 36.0.x, but 36.0.3 already shipped the fix.",
    ]);
    expect(patchedMismatches({ declared: ["36.0.3", "38.0.1"], lines, patched, rows: [], withinRanges: within(["38.0.1"]) })).toEqual([
      "The advisory declares 38.0.1 patched, but 38.0.1 is within its vulnerable ranges.",
    ]);
  });
});

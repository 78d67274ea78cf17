/**
 * Recovery at start-up (src/workflows/recover.ts), against the stateful fake: work that a dead process left
 * unfinished, found again from GitHub's records with bounded reads, resumed, and never done twice. The App as
 * its own process, killed and restarted, is in test/acceptance/recovery.test.ts.
 */
import { toPolicy } from "../../src/config/policy.js";
import type { Log } from "../../src/log.js";
import type { JobEnv } from "../../src/runtime/jobs.js";
import { findAdvisoryIssue } from "../../src/advisory/run-advisory.js";
import { recoverRepository } from "../../src/workflows/recover.js";
import { configOf, TABLE_FIXED, TABLE_RS, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";

function setup(config = configOf({ preset: "wasmtime" })) {
  const { fake } = wasmtimeRepo();
  const warnings: string[] = [];
  const noop = () => undefined;
  const log = { debug: noop, info: noop, warn: (_obj: object, msg: string) => void warnings.push(msg), error: noop, child: () => log } as unknown as Log;
  const env: JobEnv = { port: fake, config: async () => ({ status: "ok", config, policy: toPolicy(config) }), today: TODAY, log, skipped: noop };
  return { fake, env, config, warnings };
}

const advisory = (ghsaId: string, publishedAt: string) => ({
  ghsaId, cveId: null, summary: "Out-of-bounds table access", state: "published", publishedAt, htmlUrl: `https://github.com/advisories/${ghsaId}`,
  vulnerabilities: [{ package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 24.0.0, < 39.0.1", patched: "39.0.1" }],
});

test("a merged fix with a request, an advisory and a release left unhandled are resumed; a second recovery writes nothing", async () => {
  const { fake, env, config, warnings } = setup();
  const fix = fake.plantMergedPull({ title: "Fix table.copy bounds check", author: "alex", mergedBy: "sam", files: { [TABLE_RS]: TABLE_FIXED }, labels: ["backport:lts"] });
  fake.addAdvisory(advisory("GHSA-rcvr-0001-aaaa", "2025-12-09T10:00:00Z"));
  // Outside the window (reconcileDays: 14): left to the people who were there.
  fake.addAdvisory(advisory("GHSA-rcvr-0002-bbbb", "2025-10-01T10:00:00Z"));
  fake.addRelease({ tag: "v39.0.1", publishedAt: "2025-12-09T12:00:00Z" });

  const done = await recoverRepository(env, { defaultBranch: "main" });
  expect(done).toEqual({ backports: 1, releases: ["v39.0.1"], advisories: ["GHSA-rcvr-0001-aaaa"] });
  expect(warnings).toEqual([]);
  // The fix's backports: one PR per LTS line.
  expect(fake.allPulls().filter((p) => p.author === fake.botLogin).map((p) => p.base.ref).sort()).toEqual(["release-24.0.0", "release-36.0.0"]);
  expect(fake.commentsOn(fix.number).filter((c) => c.author === fake.botLogin)).toHaveLength(1);
  // The advisory in the window has its tracking issue; the old one is left alone.
  expect(await findAdvisoryIssue(fake, config, "GHSA-rcvr-0001-aaaa")).toBeDefined();
  expect(await findAdvisoryIssue(fake, config, "GHSA-rcvr-0002-bbbb")).toBeUndefined();
  // Recovery creates nothing the daily tick owns: no schedule issue, no branch at a tag.
  expect(fake.allIssues().filter((i) => i.author === fake.botLogin && /schedule/i.test(i.title))).toEqual([]);

  fake.clearLog();
  expect(await recoverRepository(env, { defaultBranch: "main" })).toEqual(done);
  expect(fake.writes()).toEqual([]);
});

test("bounded: one page of releases, one of advisories, one window of merged PRs; reconcileDays 0 reads nothing", async () => {
  const { fake, env } = setup();
  await recoverRepository(env, { defaultBranch: "main" });
  expect(fake.calls().map((c) => c.method).filter((m) => m === "listReleases" || m === "listPublishedAdvisories" || m === "listClosedPulls").sort())
    .toEqual(["listClosedPulls", "listPublishedAdvisories", "listReleases"]);

  const off = setup(configOf({ preset: "wasmtime", automation: { reconcileDays: 0 } }));
  const before = off.fake.calls().length;
  expect(await recoverRepository(off.env, { defaultBranch: "main" })).toEqual({ backports: 0, releases: [], advisories: [] });
  expect(off.fake.calls().length).toBe(before);
});

test("one item failing does not stop the others: the failure is logged, the rest is resumed, and the next recovery finishes it", async () => {
  const { fake, env, config, warnings } = setup();
  fake.addAdvisory(advisory("GHSA-rcvr-0003-cccc", "2025-12-08T10:00:00Z"));
  fake.addAdvisory(advisory("GHSA-rcvr-0004-dddd", "2025-12-09T10:00:00Z"));
  // The first tracking issue GitHub is asked for is refused (not a lost answer: nothing to look up).
  fake.failOn({ method: "createIssue", error: "invalid", times: 1 });
  await recoverRepository(env, { defaultBranch: "main" });
  expect(warnings).toEqual(["recovery: the advisory GHSA-rcvr-0003-cccc failed"]);
  expect(await findAdvisoryIssue(fake, config, "GHSA-rcvr-0003-cccc")).toBeUndefined();
  expect(await findAdvisoryIssue(fake, config, "GHSA-rcvr-0004-dddd")).toBeDefined();
  await recoverRepository(env, { defaultBranch: "main" });
  expect(await findAdvisoryIssue(fake, config, "GHSA-rcvr-0003-cccc")).toBeDefined();
});

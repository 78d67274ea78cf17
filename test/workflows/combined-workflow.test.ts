/**
 * Combined backports (`runBackports`, src/backport/combined.ts) against the fake GitHub: three security fixes
 * on a Wasmtime-like repository with `backport.combine.selectors: [security]`, asserted by the records that
 * result (one combined PR per line carrying each fix once, in landing order; one summary per fix), then the
 * same under lost answers, a crash after every write, and two copies of the App at once.
 */
import { combinedBranch } from "../../src/backport/combined.js";
import { CLAIM_TIMING } from "../../src/backport/process-target.js";
import { readSummary } from "../../src/backport/render.js";
import { readCombined } from "../../src/backport/render-combined.js";
import { runBackports } from "../../src/backport/run-backport.js";
import { planReconcile } from "../../src/calendar/reconcile.js";
import { toPolicy } from "../../src/config/policy.js";
import type { PullRequest } from "../../src/github/types.js";
import { hasMarker } from "../../src/state/markers.js";
import { FakeCrash, type FakeGitHub, WRITE_METHODS } from "../helpers/fake-github.js";
import { configOf, memoryLog, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";
const SECURITY = ["release-40.0.0", "release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"];

function scenario(count = 3) {
  const { fake } = wasmtimeRepo();
  const fixes = Array.from({ length: count }, (_, i) =>
    fake.plantMergedPull({ title: `Fix number ${i + 1}`, author: "alex", mergedBy: "sam", files: { [`crates/fix${i + 1}.rs`]: `pub fn f${i + 1}() {}\n` }, labels: ["security"] }),
  );
  const config = configOf({ preset: "wasmtime", backport: { combine: { selectors: ["security"] } } });
  const policy = toPolicy(config);
  const run = (numbers = fixes.map((f) => f.number)) => runBackports({ port: fake, config, policy, today: TODAY, numbers, defaultBranch: "main", log: memoryLog() });
  return { fake, fixes, config, run };
}

type Scenario = ReturnType<typeof scenario>;

const own = (fake: FakeGitHub) => fake.allPulls().filter((p) => p.author === fake.botLogin);
const sourcesIn = (fake: FakeGitHub, pull: PullRequest) => fake.commitsOf(pull.number).map((c) => /\(cherry picked from commit ([0-9a-f]+)\)/.exec(c.message)?.[1]);

/** One open, decorated combined PR per line carrying every fix once in landing order; one summary per fix; no other branch. */
function expectComplete(s: Scenario, fixes: PullRequest[] = s.fixes) {
  const { fake, config } = s;
  const pulls = own(fake);
  expect(pulls.map((p) => p.base.ref).sort()).toEqual([...SECURITY].sort());
  for (const target of SECURITY) {
    const pull = pulls.find((p) => p.base.ref === target)!;
    expect({ target, head: pull.head.ref, state: pull.state }).toEqual({ target, head: combinedBranch(config.backport.branchPrefix, target), state: "open" });
    expect({ target, from: sourcesIn(fake, pull) }).toEqual({ target, from: fixes.map((f) => f.mergeCommitSha) });
    expect({ target, listed: readCombined(pull.body)?.sources.map((x) => x.number) }).toEqual({ target, listed: fixes.map((f) => f.number) });
    expect({ target, labels: [...pull.labels].sort(), reviewers: pull.requestedReviewers }).toEqual({ target, labels: ["backport", "security"], reviewers: ["alex", "sam"] });
  }
  for (const fix of fixes) {
    const summaries = fake.commentsOn(fix.number).filter((c) => c.author === fake.botLogin && hasMarker(c.body, "summary", `pr-${fix.number}`));
    expect(summaries).toHaveLength(1);
    const rows = readSummary(summaries[0]!.body)!.rows;
    expect(rows.map((r) => [r.branch, r.outcome.kind === "opened" || r.outcome.kind === "exists" ? r.outcome.pull.number : r.outcome.kind]).sort())
      .toEqual(SECURITY.map((t) => [t, pulls.find((p) => p.base.ref === t)!.number]).sort());
    expect(fake.allIssues().filter((i) => i.author === fake.botLogin && hasMarker(i.body, "tracking", `pr-${fix.number}`))).toHaveLength(1);
  }
  expect(fake.branchNames().filter((b) => b.startsWith(config.backport.branchPrefix)).sort()).toEqual(SECURITY.map((t) => combinedBranch(config.backport.branchPrefix, t)).sort());
}

test("three fixes at once: one combined PR per line with each fix's commit in landing order, decorated, one summary and tracking issue per fix; again writes nothing", async () => {
  const s = scenario();
  // Asked in reverse: combined in the order they landed.
  await s.run([...s.fixes.map((f) => f.number)].reverse());
  expectComplete(s);
  s.fake.clearLog();
  await s.run();
  expect(s.fake.writes()).toEqual([]);
});

test("asked one after another, each fix is appended to the open PRs: earlier commits stay as they were", async () => {
  const s = scenario();
  await s.run([s.fixes[0]!.number, s.fixes[1]!.number]);
  const before = new Map(own(s.fake).map((p) => [p.number, s.fake.commitsOf(p.number).map((c) => c.sha)]));
  await s.run([s.fixes[2]!.number]);
  expectComplete(s);
  for (const [number, shas] of before) expect(s.fake.commitsOf(number).map((c) => c.sha).slice(0, 2)).toEqual(shas);
});

describe("lost answers: GitHub applied the write, then the answer was lost", () => {
  test.each(["server-error", "network"] as const)("on the first call of every write method once (%s): nothing duplicated, everything decorated", async (error) => {
    const s = scenario();
    const hooks = WRITE_METHODS.map((method) => s.fake.failOn({ method, when: "after", error }));
    await s.run();
    expect(hooks.filter((h) => h.fired === 1).length).toBeGreaterThanOrEqual(7);
    expectComplete(s);
  });
});

describe("crashes: the App dies right after a write, then runs again", () => {
  const timing = { ...CLAIM_TIMING };
  beforeAll(() => Object.assign(CLAIM_TIMING, { pollMs: 1, staleMs: 1 }));
  afterAll(() => Object.assign(CLAIM_TIMING, timing));

  test("right after each write of a clean run in turn: every second run ends complete, with each fix once per line", async () => {
    const clean = scenario();
    await clean.run();
    const writes = clean.fake.writes().length;
    expect(writes).toBeGreaterThan(30);
    for (let k = 1; k <= writes; k++) {
      const s = scenario();
      s.fake.crashAfter({ write: true, after: k - 1 });
      await s.run().catch((error: unknown) => expect(error).toBeInstanceOf(FakeCrash));
      expect({ k, crashed: s.fake.crashed }).toEqual({ k, crashed: true });
      s.fake.restart();
      await s.run();
      expectComplete(s);
    }
  });
});

describe("two copies of the App at once, with no coordinator", () => {
  const timing = { ...CLAIM_TIMING };
  beforeAll(() => Object.assign(CLAIM_TIMING, { pollMs: 1, staleMs: 600_000, giveUpMs: 60_000 }));
  afterAll(() => Object.assign(CLAIM_TIMING, timing));

  test("the same fixes: one PR per line, each fix once in it", async () => {
    const s = scenario();
    await Promise.all([s.run(), s.run()]);
    expectComplete(s);
  });

  test("different fixes at once: both end up in the same PR per line, each once", async () => {
    const s = scenario(2);
    await Promise.all([s.run([s.fixes[0]!.number]), s.run([s.fixes[1]!.number])]);
    const pulls = own(s.fake);
    expect(pulls.map((p) => p.base.ref).sort()).toEqual([...SECURITY].sort());
    for (const pull of pulls) expect([...sourcesIn(s.fake, pull)].sort()).toEqual(s.fixes.map((f) => f.mergeCommitSha).sort());
  });
});

test("lost webhooks: the daily reconcile (and so recovery after a restart) combines the labelled fixes in landing order", async () => {
  const s = scenario();
  const actions = await planReconcile(s.fake, { config: s.config, policy: toPolicy(s.config), today: TODAY, defaultBranch: "main", log: memoryLog() });
  expect(actions).toHaveLength(3);
  for (const action of actions) await action.apply();
  expectComplete(s);
});

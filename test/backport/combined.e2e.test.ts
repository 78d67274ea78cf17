/**
 * Acceptance, end to end: combined backports against the sandbox's Wasmtime-like history on 2025-11-21, when
 * `security` has four targets (39, 38, 36 and 24). Three merged fixes, the second of which conflicts on
 * release-24.0.0, combined by `/backport security #a #b #c` on a plain issue: one PR per line whose commits
 * are those of `git cherry-pick -x` in landing order; a fourth fix merged with the `security` label (combined
 * by default here) appends one commit to each open PR; after a combined PR is merged the next fix starts a new one.
 */
import { readTracking } from "../../src/backport/render.js";
import { readCombined } from "../../src/backport/render-combined.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { PullRecord, RepoRecord } from "../../sandbox/state/types.js";
import { cherryPickTree, SLOW, startHarness, type Harness } from "./harness.js";

const people = WASMTIME_PEOPLE;
const TABLE = "crates/runtime/src/table.rs";
const LINES = ["release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"];
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-21" });
  repo = h.repo;
  const config = "preset: wasmtime\nbackport:\n  combine:\n    selectors: [security]\n";
  await h.sandbox.scenario.commit({ repo, branch: "main", message: "Combine security backports\n", files: { ".github/lts-steward.yml": config }, author: people.maintainer });
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

interface Fix {
  number: number;
  sha: string;
  title: string;
}

async function mergeFix(branch: string, title: string, files: Record<string, string>, labels: string[] = []): Promise<Fix> {
  const { issue } = await h.sandbox.scenario.proposeFix({ repo, branch, title, files, author: people.committer, labels });
  const sha = await h.sandbox.scenario.merge({ repo, number: issue.number, method: "squash", by: people.maintainer });
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  return { number: issue.number, sha, title };
}

async function read(ref: string, path: string): Promise<string> {
  const found = await h.git().readPath({ commit: (await h.git().resolveCommit(ref))!, path });
  if (found?.kind !== "file") throw new Error(`no ${path} on ${ref}`);
  return found.content.toString("utf8");
}

/** A fix to a line of table.rs that every line has, which release-24.0.0 changed on its own first: it conflicts there alone. */
async function conflictingFix(): Promise<Fix> {
  const texts = await Promise.all(["main", ...LINES].map((ref) => read(ref, TABLE)));
  const line = texts[0]!.split("\n").find((l) => l.trim().length > 20 && texts.every((t) => t.split("\n").filter((x) => x === l).length === 1))!;
  expect(line).toBeDefined();
  await h.sandbox.scenario.commit({ repo, branch: "release-24.0.0", message: "Tweak table bounds on 24 only\n", files: { [TABLE]: texts[4]!.replace(line, `${line} // 24 only`) }, author: people.maintainer });
  return mergeFix("fix-table-bounds", "Check table bounds before filling", { [TABLE]: texts[0]!.replace(line, `${line} // checked`) });
}

const combinedPulls = (): PullRecord[] => [...repo.pulls.values()].filter((p) => /\/combined$/.test(p.headRef));
const openCombined = (base: string) => combinedPulls().find((p) => p.baseRef === base && repo.issues.get(p.number)!.state === "open")!;

/** The combined PR's commits on top of its base, oldest first, with the source each was picked from. */
async function commitsOf(pull: PullRecord): Promise<{ sha: string; from: string }[]> {
  const head = (await h.git().readRef(`refs/heads/${pull.headRef}`))!;
  const base = (await h.git().readRef(`refs/heads/${pull.baseRef}`))!;
  const shas = (await h.git().revList({ include: [head], exclude: [base], reverse: true })) ?? [];
  return Promise.all(shas.map(async (sha) => ({ sha, from: /\(cherry picked from commit ([0-9a-f]{40})\)/.exec((await h.git().readCommit(sha))!.message)?.[1] ?? "" })));
}

async function expectTree(pull: PullRecord, fixes: Fix[]): Promise<void> {
  const head = (await h.git().readRef(`refs/heads/${pull.headRef}`))!;
  expect((await h.git().readCommit(head))!.tree).toBe(cherryPickTree({ gitDir: h.gitDir(), branch: pull.baseRef, shas: fixes.map((f) => f.sha) }));
}

const summariesOf = (number: number) => h.botComments(number).filter((c) => c.body.includes("lts-steward:summary"));
const trackingOf = (fix: Fix) => [...repo.issues.values()].find((i) => !repo.pulls.has(i.number) && i.body?.includes(`lts-steward:tracking pr-${fix.number}`));

let a: Fix;
let b: Fix;
let c: Fix;
let d: Fix;
const firstCommits = new Map<string, string[]>();

test("/backport security #a #b #c on an issue: four PRs (three with three commits, one with two) equal to git cherry-pick -x in landing order, one conflict report, one summary per fix", async () => {
  a = await mergeFix("fix-a", "Reject negative table sizes", { "crates/fixes/a.rs": "pub fn a() {}\n" });
  b = await conflictingFix();
  c = await mergeFix("fix-c", "Zero memory on reuse", { "crates/fixes/c.rs": "pub fn c() {}\n" });
  // Merged without a request: nothing yet.
  expect(combinedPulls()).toEqual([]);

  const issue = h.sandbox.scenario.openIssue({ repo, title: "Security release 2025-11-21", author: people.maintainer });
  // Named out of order: they are combined in the order they landed.
  const comment = h.sandbox.scenario.comment({ repo, number: issue.number, body: `/backport security #${c.number} #${a.number} #${b.number}`, author: people.maintainer });
  await h.deliver(h.driver.issueComment({ repo, comment }));

  const pulls = combinedPulls();
  expect(pulls.map((p) => p.baseRef).sort()).toEqual([...LINES].sort());
  for (const pull of pulls) {
    expect(pull.headRef).toBe(`lts-steward/backport/${pull.baseRef}/combined`);
    const record = repo.issues.get(pull.number)!;
    const expected = pull.baseRef === "release-24.0.0" ? [a, c] : [a, b, c];
    expect((await commitsOf(pull)).map((x) => x.from)).toEqual(expected.map((f) => f.sha));
    await expectTree(pull, expected);
    expect(record.title).toMatch(/^\[\d+\.0\.x\] Backports: /);
    for (const f of expected) expect(record.title).toContain(f.title);
    expect(record.labels).toContain("backport");
    expect(readCombined(record.body)!.sources.map((s) => s.number)).toEqual(expected.map((f) => f.number));
    expect(record.body).toContain(`#${a.number}`);
    firstCommits.set(pull.baseRef, (await commitsOf(pull)).map((x) => x.sha));
  }
  expect(cherryPickTree({ gitDir: h.gitDir(), branch: "release-24.0.0", shas: [a.sha, b.sha, c.sha] })).toBe("conflict");
  // No PR of a fix's own, and no scratch branch left behind.
  const branches = (await h.git().listRefs("refs/heads/lts-steward/")).map((r) => r.ref);
  expect(branches.filter((r) => !r.endsWith("/combined"))).toEqual([]);

  for (const fix of [a, b, c]) {
    expect(summariesOf(fix.number)).toHaveLength(1);
    expect(repo.issues.get(fix.number)!.labels).toEqual(expect.arrayContaining(["backport:security", "backport-combined"]));
  }
  expect(h.summaryRows(b.number).map((r) => [r.branch, r.outcome.kind])).toEqual([
    ["release-39.0.0", "opened"], ["release-38.0.0", "opened"], ["release-36.0.0", "opened"], ["release-24.0.0", "conflict"],
  ]);
  expect(h.summaryRows(a.number).every((r) => r.outcome.kind === "opened" && r.outcome.combined === true)).toBe(true);
  const conflicts = [...repo.issues.values()].filter((i) => i.body?.includes("lts-steward:conflict "));
  expect(conflicts.map((i) => i.body!.match(/lts-steward:conflict (\S+)/)![1])).toEqual([`pr-${b.number}/release-24.0.0`]);
  // One tracking issue per fix (security), its rows linking the combined PRs.
  expect(readTracking(trackingOf(a)!.body)!.rows.map((r) => [r.branch, r.status, r.pull?.number])).toEqual(LINES.map((l) => [l, "open", openCombined(l).number]));
  const reply = h.botComments(issue.number);
  expect(reply).toHaveLength(1);
  expect(reply[0]!.body).toContain("Combining the backports");
}, SLOW);

test("a fourth fix merged with the security label appends one commit to each open combined PR; nothing is rewritten", async () => {
  d = await mergeFix("fix-d", "Bound the table growth", { "crates/fixes/d.rs": "pub fn d() {}\n" }, ["security"]);
  expect(combinedPulls()).toHaveLength(4);
  for (const base of LINES) {
    const pull = openCombined(base);
    const commits = await commitsOf(pull);
    expect(commits.map((x) => x.sha).slice(0, -1)).toEqual(firstCommits.get(base));
    expect(commits.at(-1)!.from).toBe(d.sha);
    await expectTree(pull, base === "release-24.0.0" ? [a, c, d] : [a, b, c, d]);
    const record = repo.issues.get(pull.number)!;
    expect(readCombined(record.body)!.sources.map((s) => s.number).at(-1)).toBe(d.number);
    expect(record.labels).toContain("security");
  }
  expect(summariesOf(d.number)).toHaveLength(1);
  expect(h.summaryRows(d.number).map((r) => r.outcome.kind)).toEqual(["opened", "opened", "opened", "opened"]);
}, SLOW);

test("the fourth fix's webhook again, and the command again, write nothing", async () => {
  const mark = h.sandbox.log.mark();
  await h.deliver(await h.driver.pullRequest({ repo, number: d.number, action: "closed", sender: people.maintainer }));
  await h.deliver(await h.driver.pullRequest({ repo, number: a.number, action: "closed", sender: people.maintainer }));
  expect(h.sandbox.log.writes(mark).filter((x) => x.operationId !== "apps/create-installation-access-token")).toEqual([]);
}, SLOW);

test("a merged combined PR moves every fix's tracking row; the next fix starts a new combined PR on that line", async () => {
  const merged = openCombined("release-39.0.0");
  await h.sandbox.scenario.merge({ repo, number: merged.number, method: "merge", by: people.maintainer });
  await h.deliver(await h.driver.pullRequest({ repo, number: merged.number, action: "closed", sender: people.maintainer }));
  for (const fix of [a, b, c, d]) {
    const row = readTracking(trackingOf(fix)!.body)!.rows.find((r) => r.branch === "release-39.0.0")!;
    expect([row.status, row.pull?.number]).toEqual(["merged", merged.number]);
  }

  const e = await mergeFix("fix-e", "Check the element type", { "crates/fixes/e.rs": "pub fn e() {}\n" }, ["security"]);
  const fresh = openCombined("release-39.0.0");
  expect(fresh.number).not.toBe(merged.number);
  expect((await commitsOf(fresh)).map((x) => x.from)).toEqual([e.sha]);
  await expectTree(fresh, [e]);
  for (const base of ["release-38.0.0", "release-36.0.0", "release-24.0.0"]) {
    expect((await commitsOf(openCombined(base))).at(-1)!.from).toBe(e.sha);
  }
  expect(combinedPulls()).toHaveLength(5);
}, SLOW);

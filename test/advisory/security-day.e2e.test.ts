/**
 * Acceptance, end to end: security days as Wasmtime runs them, on the Wasmtime-like history on 2025-11-10
 * (24, 36, 37, 38 supported, 39 cut and upcoming). The fixes are merged on the default branch and, as one PR
 * per line, on each line's branch (the upcoming one too); patch releases are published; then the advisory.
 * The real App against the sandbox, through signed webhooks.
 */
import { readAdvisoryIssue } from "../../src/advisory/render.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { IssueRecord, RepoRecord } from "../../sandbox/state/types.js";
import { SLOW, startHarness, type Harness } from "../backport/harness.js";

const people = WASMTIME_PEOPLE;
const TOKEN = "apps/create-installation-access-token";
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-10" });
  repo = h.repo;
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

const advisoryIssues = (ghsaId: string): IssueRecord[] =>
  [...repo.issues.values()].filter((i) => !repo.pulls.has(i.number) && (i.body ?? "").includes(`lts-steward:advisory ${ghsaId.toLowerCase()}`));

/** The next patch version of a released line, from the published releases. */
function nextPatch(major: number): string {
  const patches = repo.releases.map((r) => /^v(\d+)\.0\.(\d+)$/.exec(r.tagName)).filter((m) => m !== null && Number(m[1]) === major).map((m) => Number(m![2]));
  return `${major}.0.${Math.max(...patches) + 1}`;
}

let topics = 0;
/** A fix merged as its own PR on `base` (squash), as maintainers merge the per-line PRs of a security day. */
async function mergeFix(base: string, title: string, file: string, body?: string): Promise<number> {
  const head = `security-fix-${++topics}`;
  await h.sandbox.scenario.commit({ repo, branch: head, from: base, message: title, files: { [file]: `${title}\n` }, author: people.committer });
  const { issue } = await h.sandbox.scenario.openPull({ repo, head, base, title, author: people.committer, ...(body ? { body } : {}) });
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

interface Day {
  ghsaId: string;
  /** Major versions of the released lines whose patched release ships today. */
  released: number[];
  /** Released lines the advisory covers (vulnerable up to their next patch). */
  covered: number[];
  /** Declared patched versions per covered line, when not the next patch. */
  declared?: Record<number, string>;
}

/** One security day: the fix on main, on every line in `released` and on 39 (upcoming), releases for `released`, then the advisory. */
async function securityDay(day: Day): Promise<{ fix: number; patches: Record<number, string>; mark: number }> {
  const title = `Bounds-check memory.copy (${day.ghsaId.slice(5, 9)})`;
  const file = `crates/runtime/${day.ghsaId.toLowerCase()}.rs`;
  const fix = await mergeFix(repo.defaultBranch, title, file, `Fixes ${day.ghsaId}.`);
  const patches = Object.fromEntries(day.covered.map((major) => [major, nextPatch(major)]));
  for (const major of [39, ...day.released]) await mergeFix(`release-${major}.0.0`, `[${major}.0.x] ${title}`, file);
  for (const major of day.released) await h.sandbox.scenario.release({ repo, tag: `v${patches[major]}`, target: `release-${major}.0.0`, by: people.maintainer });
  const record = h.sandbox.scenario.advisory({
    repo, ghsaId: day.ghsaId, state: "published", summary: "Out-of-bounds read in memory.copy", by: people.maintainer,
    vulnerabilities: day.covered.map((major) => ({ name: "wasmtime", vulnerable: `>= ${major}.0.0, < ${patches[major]}`, patched: day.declared?.[major] ?? patches[major]! })),
  });
  const mark = h.sandbox.log.mark();
  expect(await h.deliver(h.driver.repositoryAdvisory({ repo, advisory: record, action: "published" }))).toBe(200);
  return { fix, patches, mark };
}

test("published after every line shipped its patch: one issue, opened and closed at once, listing each line with its patched release; no other write", async () => {
  const { fix, patches, mark } = await securityDay({ ghsaId: "GHSA-q1q1-q1q1-q1q1", released: [24, 36, 38], covered: [24, 36, 38] });

  const issues = advisoryIssues("GHSA-q1q1-q1q1-q1q1");
  expect(issues).toHaveLength(1);
  const [issue] = issues as [IssueRecord];
  expect(issue.state).toBe("closed");
  const tracking = readAdvisoryIssue(issue.body)!;
  expect(tracking.rows).toEqual([]);
  expect((tracking.patched ?? []).map((p) => [p.branch, p.patchedIn])).toEqual([
    ["release-39.0.0", null],
    ["release-38.0.0", patches[38]],
    ["release-36.0.0", patches[36]],
    ["release-24.0.0", patches[24]],
  ]);
  expect(tracking.mismatches).toEqual([]);
  expect(issue.body).toContain("### Patched lines");
  expect(issue.body).toContain(`| 36.0.x | \`release-36.0.0\` | ${patches[36]} |`);
  // Only 37, which the ranges do not reach, reads as not affected; patched lines are never listed there.
  expect((issue.body ?? "").split("### Not affected")[1]?.split("###")[0]?.match(/^- \d+\.0\.x/gm)).toEqual(["- 37.0.x"]);
  // The upcoming line has the fix on its branch: it is patched, not affected, and gets no backport.
  expect(h.backportPulls(fix)).toEqual([]);
  expect(h.sandbox.log.writes(mark).filter((c) => c.operationId !== TOKEN).map((c) => c.operationId)).toEqual(["issues/create", "issues/update"]);

  // GitHub re-delivers the publication: nothing is written again.
  const again = h.sandbox.log.mark();
  const record = repo.advisories.get("GHSA-q1q1-q1q1-q1q1")!;
  await h.deliver(h.driver.repositoryAdvisory({ repo, advisory: record, action: "published" }));
  expect(h.sandbox.log.writes(again).filter((c) => c.operationId !== TOKEN)).toEqual([]);
}, SLOW);

test("the same day with one supported line forgotten: the issue stays open with that row, its next patch version and a backport of the fix; a wrong declared version is named", async () => {
  const { fix, patches } = await securityDay({ ghsaId: "GHSA-r2r2-r2r2-r2r2", released: [36, 38], covered: [24, 36, 38], declared: { 36: "36.0.9" } });

  const [issue] = advisoryIssues("GHSA-r2r2-r2r2-r2r2");
  expect(issue?.state).toBe("open");
  const tracking = readAdvisoryIssue(issue!.body)!;
  expect(tracking.rows.map((r) => [r.branch, r.nextPatch, r.status])).toEqual([["release-24.0.0", patches[24], "open"]]);
  expect(h.backportPulls(fix).map((p) => p.baseRef)).toEqual(["release-24.0.0"]);
  expect((tracking.patched ?? []).map((p) => [p.branch, p.patchedIn])).toEqual([
    ["release-39.0.0", null],
    ["release-38.0.0", patches[38]],
    ["release-36.0.0", patches[36]],
  ]);
  expect(issue!.body).toContain("### What to do");
  expect(issue!.body).toContain(`publish ${patches[24]}`);
  expect(tracking.mismatches).toEqual([
    "The advisory declares 36.0.9 patched, but no 36.0.9 release is published.",
    `The advisory declares 36.0.9 patched for 36.0.x, but ${patches[36]} already shipped the fix.`,
  ]);
  expect(issue!.body).toContain("### Advisory and releases disagree");
}, SLOW);

test("/release on a plain issue reaches the App (before the advisory exists there is no record to comment on); other text there is ignored", async () => {
  const maintainer = await h.sandbox.client({ login: people.maintainer });
  const { data: plain } = await maintainer.rest.issues.create({ owner: repo.owner.login, repo: repo.name, title: "Security release day", body: "Patch releases for the fixes merged today." });
  const chatter = h.sandbox.scenario.comment({ repo, number: plain.number, body: "Releases go out at 16:00 UTC.", author: people.maintainer });
  const mark = h.sandbox.log.mark();
  await h.deliver(h.driver.issueComment({ repo, comment: chatter }));
  expect(h.sandbox.log.writes(mark).filter((c) => c.operationId !== TOKEN)).toEqual([]);

  const release = h.sandbox.scenario.comment({ repo, number: plain.number, body: "/release security", author: people.maintainer });
  await h.deliver(h.driver.issueComment({ repo, comment: release }));
  // This repository's config has no release workflow: the reply says how to add one, and nothing is dispatched.
  const replies = h.botComments(plain.number);
  expect(replies).toHaveLength(1);
  expect(replies[0]!.body).toContain("`/release` needs a release workflow in the config");
  expect(h.sandbox.log.since(mark).some((c) => c.operationId === "actions/create-workflow-dispatch")).toBe(false);
}, SLOW);

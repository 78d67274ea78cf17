/**
 * Acceptance, end to end: advisories on the Wasmtime-like history on 2025-11-10 (24, 36, 37, 38 supported,
 * 39 upcoming; latest 36.0.2 and 38.0.0). The real App against the sandbox, through signed webhooks.
 */
import { readAdvisoryIssue } from "../../src/advisory/render.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { AdvisoryRecord, IssueRecord, RepoRecord } from "../../sandbox/state/types.js";
import { SLOW, startHarness, type Harness } from "../backport/harness.js";

const people = WASMTIME_PEOPLE;
const RANGES = [
  { name: "wasmtime", vulnerable: ">= 36.0.0, < 36.0.4", patched: "36.0.4" },
  { name: "wasmtime", vulnerable: ">= 38.0.0, < 38.0.2", patched: "38.0.2" },
];
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-10" });
  repo = h.repo;
}, SLOW);
afterAll(() => h.stop());
afterEach(() => {
  h.sandbox.faults.clear();
  h.sandbox.assertNoViolations();
});

const advisoryIssues = (ghsaId: string): IssueRecord[] =>
  [...repo.issues.values()].filter((i) => !repo.pulls.has(i.number) && (i.body ?? "").includes(`lts-steward:advisory ${ghsaId.toLowerCase()}`));
const apiWrites = (mark: number) => h.sandbox.log.writes(mark);

function advisory(ghsaId: string, state: AdvisoryRecord["state"], summary = "Out-of-bounds write in table.grow") {
  return h.sandbox.scenario.advisory({ repo, ghsaId, cveId: "CVE-2025-64345", state, summary, vulnerabilities: RANGES, by: people.maintainer });
}

async function mergedFix(branch: string, title: string): Promise<number> {
  const { issue } = await h.sandbox.scenario.proposeFix({ repo, branch, title, files: { [`docs/${branch}.md`]: `${title}\n` }, author: people.committer });
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

test("a reported advisory: nothing is written anywhere", async () => {
  const record = advisory("GHSA-aaaa-bbbb-cccc", "triage", "Embargoed: secret bug in the pooling allocator");
  const mark = h.sandbox.log.mark();
  const status = await h.deliver(h.driver.repositoryAdvisory({ repo, advisory: record, action: "reported" }));
  expect(status).toBe(200);
  expect(apiWrites(mark)).toEqual([]);
  expect(advisoryIssues("GHSA-aaaa-bbbb-cccc")).toEqual([]);
  expect(JSON.stringify(h.logs)).not.toContain("GHSA-aaaa-bbbb-cccc");
  expect(JSON.stringify(h.logs)).not.toContain("secret bug");
}, SLOW);

// 39 is cut but not released: its branch has the vulnerable code unless it was cut after the fix, so it is
// affected too (offline, because the newest released line, 38, is), and its fix ships in 39.0.0.
test("a published advisory: rows for 39 (upcoming), 38 and 36 with next patches, the others not affected with reasons, backports of the fix", async () => {
  const fix = await mergedFix("fix-table-grow", "Fix GHSA-2222-3333-4444: bounds-check table.grow");
  const record = advisory("GHSA-2222-3333-4444", "published");
  await h.deliver(h.driver.repositoryAdvisory({ repo, advisory: record, action: "published" }));
  const [issue] = advisoryIssues("GHSA-2222-3333-4444");
  expect(issue?.title).toBe("GHSA-2222-3333-4444 (CVE-2025-64345): Out-of-bounds write in table.grow");
  const tracking = readAdvisoryIssue(issue!.body)!;
  expect(tracking.rows.map((r) => [r.branch, r.nextPatch, r.status])).toEqual([
    ["release-39.0.0", "39.0.0", "open"],
    ["release-38.0.0", "38.0.1", "open"],
    ["release-36.0.0", "36.0.3", "open"],
  ]);
  expect(tracking.unaffected.map((n) => n.branch).sort()).toEqual(["release-24.0.0", "release-37.0.0"]);
  expect(tracking.unaffected.every((n) => n.reason.length > 10)).toBe(true);
  expect(tracking.fixes).toEqual([expect.objectContaining({ kind: "pull", number: fix })]);
  const backports = h.backportPulls(fix);
  expect(backports.map((p) => p.baseRef).sort()).toEqual(["release-36.0.0", "release-38.0.0", "release-39.0.0"]);
  expect(tracking.rows.map((r) => r.pull?.number).sort()).toEqual(backports.map((p) => p.number).sort());

  // Re-delivery and re-publication never open a second issue.
  await h.deliver(h.driver.repositoryAdvisory({ repo, advisory: record, action: "published" }));
  const edited = advisory("GHSA-2222-3333-4444", "published", "Out-of-bounds write in table.grow (edited)");
  await h.deliver(h.driver.repositoryAdvisory({ repo, advisory: edited, action: "published" }));
  expect(advisoryIssues("GHSA-2222-3333-4444")).toHaveLength(1);
  expect(h.backportPulls(fix)).toHaveLength(3);
}, SLOW);

test("no fix on main yet: the issue says how to point the App at it; a maintainer's /backport security #n is honoured, a read-only user's refused", async () => {
  const record = advisory("GHSA-5555-6666-7777", "published", "Use-after-free in the component model");
  await h.deliver(h.driver.repositoryAdvisory({ repo, advisory: record, action: "published" }));
  const [issue] = advisoryIssues("GHSA-5555-6666-7777");
  expect(issue!.body).toContain("/backport security");
  expect(readAdvisoryIssue(issue!.body)!.rows.map((r) => r.status)).toEqual(["pending", "pending", "pending"]);

  const fix = await mergedFix("fix-uaf", "Fix a use-after-free when dropping a component instance");
  const outsider = h.sandbox.scenario.comment({ repo, number: issue!.number, body: `/backport security #${fix}`, author: people.outsider });
  const mark = h.sandbox.log.mark();
  await h.deliver(h.driver.issueComment({ repo, comment: outsider }));
  expect(apiWrites(mark).map((c) => c.operationId).filter((op) => op !== "apps/create-installation-access-token")).toEqual(["issues/create-comment"]);
  expect(h.backportPulls(fix)).toEqual([]);

  const maintainer = h.sandbox.scenario.comment({ repo, number: issue!.number, body: `/backport security #${fix}`, author: people.maintainer });
  await h.deliver(h.driver.issueComment({ repo, comment: maintainer }));
  expect(h.backportPulls(fix).map((p) => p.baseRef).sort()).toEqual(["release-36.0.0", "release-38.0.0", "release-39.0.0"]);
  const tracking = readAdvisoryIssue(advisoryIssues("GHSA-5555-6666-7777")[0]!.body)!;
  expect(tracking.rows.map((r) => r.status)).toEqual(["open", "open", "open"]);
  expect(tracking.fixes).toEqual([expect.objectContaining({ kind: "pull", number: fix })]);
  expect(h.botComments(issue!.number).filter((c) => c.body.includes(`comment-${maintainer.id}`))).toHaveLength(1);
}, SLOW);

test("/dismiss settles a row; an unknown line is answered with the known ones", async () => {
  const [issue] = advisoryIssues("GHSA-5555-6666-7777");
  const unknown = h.sandbox.scenario.comment({ repo, number: issue!.number, body: "/dismiss 99 not ours", author: people.maintainer });
  await h.deliver(h.driver.issueComment({ repo, comment: unknown }));
  expect(h.botComments(issue!.number).find((c) => c.body.includes(`comment-${unknown.id}`))?.body).toContain("36.0.x");
  const dismiss = h.sandbox.scenario.comment({ repo, number: issue!.number, body: "/dismiss 38 the 38 line is not shipped downstream", author: people.maintainer });
  await h.deliver(h.driver.issueComment({ repo, comment: dismiss }));
  const row = readAdvisoryIssue(advisoryIssues("GHSA-5555-6666-7777")[0]!.body)!.rows.find((r) => r.label === "38.0.x")!;
  expect([row.status, row.dismissed]).toEqual(["dismissed", "the 38 line is not shipped downstream"]);
}, SLOW);

test("global advisories: ignored unless the package is configured; published tracks, withdrawn comments and stops", async () => {
  const record = advisory("GHSA-8888-9999-aaaa", "published", "Global: miscompile in cranelift");
  const mark = h.sandbox.log.mark();
  await h.deliver(h.driver.securityAdvisory({ advisory: record, action: "published" }));
  expect(apiWrites(mark).filter((c) => c.operationId !== "apps/create-installation-access-token")).toEqual([]);
  expect(advisoryIssues("GHSA-8888-9999-aaaa")).toEqual([]);

  const config = "preset: wasmtime\nadvisories:\n  packages:\n    - { ecosystem: rust, name: wasmtime }\n";
  await h.sandbox.scenario.commit({ repo, branch: "main", message: "List our packages\n", files: { ".github/lts-steward.yml": config }, author: people.maintainer });
  await h.deliver(h.driver.securityAdvisory({ advisory: record, action: "published" }));
  const [issue] = advisoryIssues("GHSA-8888-9999-aaaa");
  expect(readAdvisoryIssue(issue!.body)!.rows.map((r) => r.branch)).toEqual(["release-39.0.0", "release-38.0.0", "release-36.0.0"]);

  const withdrawn = h.sandbox.scenario.advisory({ repo, ghsaId: "GHSA-8888-9999-aaaa", state: "withdrawn", summary: "Global: miscompile in cranelift", vulnerabilities: RANGES, by: people.maintainer });
  await h.deliver(h.driver.securityAdvisory({ advisory: withdrawn, action: "withdrawn" }));
  const after = advisoryIssues("GHSA-8888-9999-aaaa")[0]!;
  expect(after.state).toBe("closed");
  expect(readAdvisoryIssue(after.body)!.withdrawn).toBe(true);
  expect(h.botComments(after.number).some((c) => /withdrawn/i.test(c.body))).toBe(true);
}, SLOW);

// Last: the releases it publishes make 36 and 38 patched for any later advisory in this file.
test("patch releases mark exactly their rows released; the last one closes the issue", async () => {
  const [issue] = advisoryIssues("GHSA-2222-3333-4444");
  const rows = readAdvisoryIssue(issue!.body)!.rows;
  for (const row of rows) {
    await h.sandbox.scenario.merge({ repo, number: row.pull!.number, by: people.maintainer });
    await h.deliver(await h.driver.pullRequest({ repo, number: row.pull!.number, action: "closed", sender: people.maintainer }));
  }
  expect(readAdvisoryIssue(advisoryIssues("GHSA-2222-3333-4444")[0]!.body)!.rows.map((r) => r.status)).toEqual(["merged", "merged", "merged"]);

  // A release on 36 that does not contain the backport changes nothing.
  const before = (await h.git().readRef("refs/heads/release-36.0.0"))!;
  await h.sandbox.scenario.release({ repo, tag: "v36.0.9", target: (await h.git().readCommit(before))!.parents[0]!, by: people.maintainer });
  await h.deliver(h.driver.release({ repo, tag: "v36.0.9" }));
  expect(readAdvisoryIssue(advisoryIssues("GHSA-2222-3333-4444")[0]!.body)!.rows.map((r) => r.status)).toEqual(["merged", "merged", "merged"]);
  await h.sandbox.scenario.release({ repo, tag: "v36.0.3", target: "release-36.0.0", by: people.maintainer });
  await h.deliver(h.driver.release({ repo, tag: "v36.0.3" }));
  let tracking = readAdvisoryIssue(advisoryIssues("GHSA-2222-3333-4444")[0]!.body)!;
  expect(tracking.rows.map((r) => [r.label, r.status, r.releasedIn])).toEqual([["39.0.x", "merged", null], ["38.0.x", "merged", null], ["36.0.x", "released", "36.0.3"]]);
  expect(advisoryIssues("GHSA-2222-3333-4444")[0]!.state).toBe("open");

  await h.sandbox.scenario.release({ repo, tag: "v38.0.1", target: "release-38.0.0", by: people.maintainer });
  await h.deliver(h.driver.release({ repo, tag: "v38.0.1" }));
  expect(advisoryIssues("GHSA-2222-3333-4444")[0]!.state).toBe("open");
  await h.sandbox.scenario.release({ repo, tag: "v39.0.0", target: "release-39.0.0", by: people.maintainer });
  await h.deliver(h.driver.release({ repo, tag: "v39.0.0" }));
  const closed = advisoryIssues("GHSA-2222-3333-4444")[0]!;
  tracking = readAdvisoryIssue(closed.body)!;
  expect(tracking.rows.map((r) => [r.label, r.status, r.releasedIn])).toEqual([["39.0.x", "released", "39.0.0"], ["38.0.x", "released", "38.0.1"], ["36.0.x", "released", "36.0.3"]]);
  expect(closed.state).toBe("closed");
  expect(h.botComments(closed.number).some((c) => c.body.includes("38.0.1"))).toBe(true);
}, SLOW);

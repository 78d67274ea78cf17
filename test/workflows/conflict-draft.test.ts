/**
 * `backport.conflicts: draft-pr` against the fake GitHub: a fix that conflicts on line 36 (the line changed the
 * same code since) becomes a draft PR holding the pick with git's markers, with no conflict issue; the other
 * line gets its ordinary backport PR. Re-runs, lost answers and a crash find the draft again instead of making
 * a second one. Marked ready with markers left, it is told once; resolved, it becomes the decorated backport
 * PR, in the summary and the tracking issue. The default (`issue`) keeps today's conflict issue.
 */
import { finishConflictDraft } from "../../src/backport/finish-draft.js";
import { backportBranch, CLAIM_TIMING } from "../../src/backport/process-target.js";
import { readConflictDraft } from "../../src/backport/render-conflict-draft.js";
import { readSummary, readTracking } from "../../src/backport/render.js";
import { runBackport } from "../../src/backport/run-backport.js";
import { toPolicy } from "../../src/config/policy.js";
import { hasMarker } from "../../src/state/markers.js";
import { FakeCrash, type FakeGitHub } from "../helpers/fake-github.js";
import { configOf, memoryLog, TABLE_FIXED, TABLE_RS, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";
const LINE_36 = "pub fn copy(dst: u32, src: u32, len: u32) {\n    // bounds checked by the caller\n}\n";

function scenario(conflicts: "issue" | "draft-pr" = "draft-pr") {
  const { fake } = wasmtimeRepo();
  // Line 36 changed the line the fix changes: the pick conflicts there, and applies on 24.
  fake.commit({ branch: "release-36.0.0", files: { [TABLE_RS]: LINE_36 }, message: "Document who checks bounds", author: "sam" });
  const source = fake.plantMergedPull({ title: "Fix table.copy bounds check", author: "alex", mergedBy: "sam", files: { [TABLE_RS]: TABLE_FIXED }, labels: ["backport:lts"] });
  const config = configOf({ preset: "wasmtime", tracking: { for: "all" }, backport: { conflicts } });
  const run = () => runBackport({ port: fake, config, policy: toPolicy(config), today: TODAY, number: source.number, defaultBranch: "main", log: memoryLog() });
  const head = backportBranch(config.backport.branchPrefix, "release-36.0.0", `pr-${source.number}`);
  const finish = (number: number) => finishConflictDraft({ port: fake, config, number, log: memoryLog() });
  return { fake, source, config, run, head, finish };
}

const appPulls = (fake: FakeGitHub) => fake.allPulls().filter((p) => p.author === fake.botLogin);
const draftOf = (fake: FakeGitHub) => appPulls(fake).filter((p) => p.base.ref === "release-36.0.0");
const summaryRows = (fake: FakeGitHub, number: number) =>
  readSummary(fake.commentsOn(number).find((c) => c.author === fake.botLogin && hasMarker(c.body, "summary", `pr-${number}`))?.body ?? null)?.rows ?? [];
const conflictIssues = (fake: FakeGitHub) => fake.allIssues().filter((i) => i.author === fake.botLogin && (i.body ?? "").includes("lts-steward:conflict "));

function expectOneDraft(s: ReturnType<typeof scenario>) {
  const drafts = draftOf(s.fake);
  expect(drafts.map((p) => [p.head.ref, p.state, p.draft, p.labels, p.requestedReviewers])).toEqual([[s.head, "open", true, [], []]]);
  const draft = drafts[0]!;
  const pickSha = s.fake.git.commit(s.fake.git.resolve("main")!).sha.slice(0, 7);
  expect(s.fake.fileAt(draft.head.sha, TABLE_RS)).toBe(
    "pub fn copy(dst: u32, src: u32, len: u32) {\n<<<<<<< HEAD\n    // bounds checked by the caller\n=======\n    check_bounds(dst, src, len);\n" +
      `>>>>>>> ${pickSha} (Fix table.copy bounds check (#${s.source.number}))\n}\n`,
  );
  // The line's own files stay; the draft's commit sits on the line with the -x line git adds.
  expect(s.fake.fileAt(draft.head.sha, "Cargo.toml")).toBe(s.fake.fileAt("release-36.0.0", "Cargo.toml"));
  const commit = s.fake.git.commit(draft.head.sha);
  expect(commit.parents).toEqual([s.fake.git.resolve("release-36.0.0")]);
  expect(commit.message).toContain("(cherry picked from commit ");
  expect(commit.message).toContain(`Conflicts:\n\t${TABLE_RS}\n`);
  const row = summaryRows(s.fake, s.source.number).find((r) => r.branch === "release-36.0.0");
  expect(row?.outcome).toEqual({ kind: "conflict", files: [TABLE_RS], commands: expect.arrayContaining([`git switch -C ${s.head} origin/${s.head}`]), missing: expect.any(Array), issue: null, pull: { number: draft.number, url: draft.htmlUrl } });
  expect(conflictIssues(s.fake)).toEqual([]);
  return draft;
}

test("a conflict becomes a draft PR holding the pick with git's markers; the other line gets its backport PR; no conflict issue", async () => {
  const s = scenario();
  const report = await s.run();
  expect(report?.rows.map((r) => [r.branch, r.outcome.kind])).toEqual([["release-36.0.0", "conflict"], ["release-24.0.0", "opened"]]);
  const draft = expectOneDraft(s);
  expect(draft.body).toContain("The cherry-pick conflicts.");
  expect(draft.body).toContain("mark this pull request ready for review");
  expect(readConflictDraft(draft.body)?.draft.marked).toEqual([TABLE_RS]);
  const summary = s.fake.commentsOn(s.source.number).find((c) => c.author === s.fake.botLogin)!.body;
  expect(summary).toContain(`draft #${draft.number} holds the pick with its markers`);
  const tracking = s.fake.allIssues().find((i) => hasMarker(i.body, "tracking", `pr-${s.source.number}`));
  expect(readTracking(tracking?.body ?? null)?.rows.map((r) => [r.branch, r.status, r.pull?.number ?? null])).toEqual([["release-36.0.0", "conflict", draft.number], ["release-24.0.0", "open", expect.any(Number)]]);
  expect(tracking?.body).toContain(`conflict: draft #${draft.number} to finish`);
  // Run again: nothing is written.
  s.fake.clearLog();
  await s.run();
  expect(s.fake.writes()).toEqual([]);
});

test("with the default (issue), a conflict gets its issue and no draft, and no branch is left", async () => {
  const s = scenario("issue");
  await s.run();
  expect(draftOf(s.fake)).toEqual([]);
  expect(conflictIssues(s.fake)).toHaveLength(1);
  expect(s.fake.branchNames()).not.toContain(s.head);
});

test("the summary lost: the next run finds the draft by its branch and reads its conflict back, writing no second draft", async () => {
  const s = scenario();
  await s.run();
  const draft = draftOf(s.fake)[0]!;
  const summary = s.fake.commentsOn(s.source.number).find((c) => c.author === s.fake.botLogin)!;
  await s.fake.deleteComment(summary.id);
  await s.run();
  expect(draftOf(s.fake).map((p) => p.number)).toEqual([draft.number]);
  expectOneDraft(s);
});

describe("lost answers and crashes", () => {
  const timing = { ...CLAIM_TIMING };
  beforeAll(() => Object.assign(CLAIM_TIMING, { pollMs: 1, staleMs: 1 }));
  afterAll(() => Object.assign(CLAIM_TIMING, timing));

  test("the draft's creation answered with a 502 after GitHub made it: one draft", async () => {
    const s = scenario();
    s.fake.failOn({ method: "createPull", when: "after", match: (call) => (call.args[0] as { draft?: boolean }).draft === true });
    await s.run();
    expectOneDraft(s);
  });

  test("the App killed after each write of the draft's making in turn: the next run ends with one draft, and nothing twice", async () => {
    const clean = scenario();
    await clean.run();
    const writes = clean.fake.writes().length;
    for (let k = 1; k <= writes; k++) {
      const s = scenario();
      s.fake.crashAfter({ write: true, after: k - 1 });
      await s.run().catch((error: unknown) => expect(error).toBeInstanceOf(FakeCrash));
      s.fake.restart();
      await s.run();
      expect({ k, drafts: draftOf(s.fake).length, issues: conflictIssues(s.fake).length }).toEqual({ k, drafts: 1, issues: 0 });
      expectOneDraft(s);
    }
  });
});

describe("finishing a draft", () => {
  test("marked ready with markers left: told once, whatever is pushed meanwhile; the row stays a conflict", async () => {
    const s = scenario();
    await s.run();
    const draft = draftOf(s.fake)[0]!;
    expect(await s.finish(draft.number)).toBe("not-ready");
    s.fake.markReady(draft.number);
    expect(await s.finish(draft.number)).toBe("markers");
    s.fake.commit({ branch: s.head, files: { "NOTES.md": "unrelated\n" }, message: "Unrelated", author: "alex" });
    expect(await s.finish(draft.number)).toBe("markers");
    const comments = s.fake.commentsOn(draft.number).filter((c) => c.author === s.fake.botLogin);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(`\`${TABLE_RS}\``);
    expect(summaryRows(s.fake, s.source.number).find((r) => r.branch === "release-36.0.0")?.outcome.kind).toBe("conflict");
    expect(draftOf(s.fake)[0]!.labels).toEqual([]);
  });

  test("resolved and ready: decorated like any backport PR, opened in the summary, open in the tracking issue, an ordinary body; again: nothing", async () => {
    const s = scenario();
    await s.run();
    const draft = draftOf(s.fake)[0]!;
    s.fake.commit({ branch: s.head, files: { [TABLE_RS]: TABLE_FIXED.replace("check_bounds", "// bounds checked by the caller\n    check_bounds") }, message: "Resolve", author: "alex" });
    s.fake.markReady(draft.number);
    expect(await s.finish(draft.number)).toBe("finished");
    const ready = draftOf(s.fake)[0]!;
    expect([ready.labels, ready.requestedReviewers, ready.draft]).toEqual([["backport"], ["alex", "sam"], false]);
    expect(readConflictDraft(ready.body)).toBeNull();
    expect(ready.body).toContain("lts-steward cherry-picked these through the GitHub API");
    const row = summaryRows(s.fake, s.source.number).find((r) => r.branch === "release-36.0.0");
    expect(row?.outcome).toEqual({ kind: "opened", pull: { number: draft.number, url: draft.htmlUrl }, commits: [expect.objectContaining({ source: s.fake.git.resolve("main"), title: `Fix table.copy bounds check (#${s.source.number})` })] });
    const tracking = s.fake.allIssues().find((i) => hasMarker(i.body, "tracking", `pr-${s.source.number}`));
    expect(readTracking(tracking?.body ?? null)?.rows.find((r) => r.branch === "release-36.0.0")).toMatchObject({ status: "open", pull: { number: draft.number } });
    s.fake.clearLog();
    expect(await s.finish(draft.number)).toBe("not-a-draft");
    await s.run();
    expect(s.fake.writes()).toEqual([]);
  });

  test("a look-alike: a person's PR whose body copies a draft's state is not finished by the App", async () => {
    const s = scenario();
    await s.run();
    const draft = draftOf(s.fake)[0]!;
    // Under a branch name of the App's own form, not a draft, markers in: only its author tells it apart.
    const head = backportBranch(s.config.backport.branchPrefix, "release-36.0.0", "pr-999");
    s.fake.setBranch(head, s.head);
    const copy = s.fake.plantPull({ title: "copy", body: draft.body, author: "mallory", head, base: "release-36.0.0" });
    s.fake.clearLog();
    expect(await s.finish(copy.number)).toBe("not-a-draft");
    expect(s.fake.writes()).toEqual([]);
  });
});

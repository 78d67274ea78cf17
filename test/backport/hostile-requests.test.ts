/**
 * Requests nobody may make, and requests too big to answer in full (issue 14), against the fake GitHub:
 * a request label counts only when whoever added it may ask; a `/backport` with 10,000 selectors gets one
 * short reply; an outsider repeating a command is refused once; every body fits GitHub's 65,536 characters.
 */
import { labelRefusalRef, renderRejection } from "../../src/backport/render-replies.js";
import { BODY_LIMIT, fitBody, readSummary, renderSummary } from "../../src/backport/render-summary.js";
import { runBackport } from "../../src/backport/run-backport.js";
import { runCommand } from "../../src/backport/run-command.js";
import { toPolicy } from "../../src/config/policy.js";
import { hasMarker } from "../../src/state/markers.js";
import type { FakeGitHub } from "../helpers/fake-github.js";
import { configOf, memoryLog, TABLE_FIXED, TABLE_RS, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";

function setup() {
  const { fake } = wasmtimeRepo({ permissions: { alex: "write", sam: "maintain", tess: "triage", olive: "read" } });
  const config = configOf({ preset: "wasmtime" });
  const policy = toPolicy(config);
  return { fake, config, policy };
}

const botComments = (fake: FakeGitHub, number: number) => fake.commentsOn(number).filter((c) => c.author === fake.botLogin);
const appWrites = (fake: FakeGitHub) => ({
  pulls: fake.allPulls().filter((p) => p.author === fake.botLogin).length,
  issues: fake.allIssues().filter((i) => i.author === fake.botLogin).length,
  branches: fake.branchNames().filter((b) => b.startsWith("lts-steward/")).length,
});

describe("a request label counts only when whoever added it may ask", () => {
  test("backport:security added after merge by a triage user: one reply, no backport writes, however often it runs", async () => {
    const { fake, config, policy } = setup();
    const source = fake.plantMergedPull({ title: "Fix table.copy bounds check", author: "alex", mergedBy: "sam", files: { [TABLE_RS]: TABLE_FIXED } });
    fake.addLabels(source.number, ["backport:security"], "tess");
    const run = () => runBackport({ port: fake, config, policy, today: TODAY, number: source.number, defaultBranch: "main", log: memoryLog() });
    expect(await run()).toBeNull();
    expect(await run()).toBeNull();
    const replies = botComments(fake, source.number);
    expect(replies).toHaveLength(1);
    const ref = labelRefusalRef("backport:security");
    expect(hasMarker(replies[0]!.body, ref.kind, ref.key)).toBe(true);
    expect(replies[0]!.body).toContain("@tess");
    expect(replies[0]!.body).toContain("has triage");
    expect(appWrites(fake)).toEqual({ pulls: 0, issues: 0, branches: 0 });
  });

  test("the same label added again by a maintainer counts; a refused label beside an allowed one does not stop it", async () => {
    const { fake, config, policy } = setup();
    const source = fake.plantMergedPull({ title: "Fix table.copy bounds check", author: "alex", mergedBy: "sam", files: { [TABLE_RS]: TABLE_FIXED } });
    fake.addLabels(source.number, ["backport:security"], "tess");
    fake.addLabels(source.number, ["backport:lts"], "sam");
    const run = () => runBackport({ port: fake, config, policy, today: TODAY, number: source.number, defaultBranch: "main", log: memoryLog() });
    const report = await run();
    expect(report?.rows.map((r) => r.branch).sort()).toEqual(["release-24.0.0", "release-36.0.0"]);
    expect(report?.source.number).toBe(source.number);
    const refusal = labelRefusalRef("backport:security");
    expect(botComments(fake, source.number).filter((c) => hasMarker(c.body, refusal.kind, refusal.key))).toHaveLength(1);
  });

  test("an implied label (`security`) added by an outsider is refused too", async () => {
    const { fake, config, policy } = setup();
    const source = fake.plantMergedPull({ title: "Fix table.copy bounds check", author: "alex", mergedBy: "sam", files: { [TABLE_RS]: TABLE_FIXED } });
    fake.addLabels(source.number, ["security"], "olive");
    expect(await runBackport({ port: fake, config, policy, today: TODAY, number: source.number, defaultBranch: "main", log: memoryLog() })).toBeNull();
    const ref = labelRefusalRef("security");
    expect(botComments(fake, source.number).filter((c) => hasMarker(c.body, ref.kind, ref.key))).toHaveLength(1);
    expect(appWrites(fake)).toEqual({ pulls: 0, issues: 0, branches: 0 });
  });
});

describe("bounded replies", () => {
  test("/backport with 10,000 selectors: one reply under 65,536 characters, nothing else written", async () => {
    const { fake, config, policy } = setup();
    const source = fake.plantMergedPull({ title: "Fix table.copy bounds check", author: "alex", mergedBy: "sam", files: { [TABLE_RS]: TABLE_FIXED } });
    const body = `/backport ${Array.from({ length: 10_000 }, (_, i) => `release-${i}.0.0`).join(" ")}`;
    const comment = fake.plantComment({ number: source.number, body, author: "sam" });
    const input = { port: fake, config: { ok: true as const, config, policy }, today: TODAY, defaultBranch: "main", number: source.number, comment: { id: comment.id, body, author: "sam" }, log: memoryLog() };
    expect(await runCommand(input)).toBe("rejected");
    expect(await runCommand(input)).toBe("answered-before");
    const replies = botComments(fake, source.number);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.length).toBeLessThan(BODY_LIMIT);
    expect(replies[0]!.body).toContain("at most 20");
    expect(appWrites(fake)).toEqual({ pulls: 0, issues: 0, branches: 0 });
  });

  test("20 commands from an outsider on one PR: at most 2 replies", async () => {
    const { fake, config, policy } = setup();
    const source = fake.plantMergedPull({ title: "Fix table.copy bounds check", author: "alex", mergedBy: "sam", files: { [TABLE_RS]: TABLE_FIXED } });
    const results: string[] = [];
    for (let i = 0; i < 20; i++) {
      const body = `/backport lts ${i}`;
      const comment = fake.plantComment({ number: source.number, body, author: "olive" });
      results.push(await runCommand({ port: fake, config: { ok: true, config, policy }, today: TODAY, defaultBranch: "main", number: source.number, comment: { id: comment.id, body, author: "olive" }, log: memoryLog() }));
    }
    expect(botComments(fake, source.number).length).toBeLessThanOrEqual(2);
    expect(results.filter((r) => r === "refused").length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r === "refused" || r === "refused-quietly")).toBe(true);
  });

  test("a rejection naming 10,000 unknown selectors fits, and ends with 'and N more'", () => {
    const problems = Array.from({ length: 10_000 }, (_, i) => ({ selector: `nope-${i}`.repeat(5), reason: "names no release line" }));
    const body = renderRejection({ commentId: 1, problems, valid: Array.from({ length: 5_000 }, (_, i) => `release-${i}.0.0`) });
    expect(body.length).toBeLessThan(BODY_LIMIT);
    expect(body).toContain("and 9950 more");
  });

  test("a summary with huge lists fits and its state still reads back", () => {
    const source = { number: 7, title: "Fix", url: "https://example.test/pull/7", author: "alex", mergedBy: "sam" };
    const rows = Array.from({ length: 10 }, (_, i) => ({
      branch: `release-${i}.0.0`, line: `${i}`, label: `${i}.0.x`, lineKind: "regular" as const, nextPatch: `${i}.0.1`, reason: "supported",
      outcome: { kind: "conflict" as const, files: Array.from({ length: 400 }, (_, f) => `src/very/long/path/to/file-${f}.rs`), commands: ["git cherry-pick -x abc"], missing: [], issue: null },
    }));
    const skipped = Array.from({ length: 5_000 }, (_, i) => ({ branch: `release-${i}.0.0`, line: `${i}`, label: `${i}.0.x`, reason: "end of support 2020-01-01" }));
    const requests = Array.from({ length: 5_000 }, (_, i) => ({ selector: `s${i}`, via: `/backport by @p${i}` }));
    const problems = Array.from({ length: 5_000 }, (_, i) => `problem ${i}`);
    const body = renderSummary({ source, rows, skipped, requests, problems });
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(body).toContain("and 4950 more");
    expect(readSummary(body)?.rows).toHaveLength(10);
    expect(body).toContain("and 350 more");
  });

  test("fitBody keeps the marker and the state whole and cuts the prose", () => {
    const body = ["<!-- lts-steward:reply comment-1 -->", "x".repeat(200_000), "<!-- lts-steward:state eyJhIjoxfQ -->"].join("\n\n");
    const fitted = fitBody(body);
    expect(fitted.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(fitted.startsWith("<!-- lts-steward:reply comment-1 -->")).toBe(true);
    expect(fitted.endsWith("<!-- lts-steward:state eyJhIjoxfQ -->")).toBe(true);
    expect(fitBody("short")).toBe("short");
  });
});

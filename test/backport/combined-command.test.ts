/**
 * `/backport <selector…> #a #b` (src/backport/run-combined-command.ts) against the fake GitHub: on a PR the
 * PR joins the fixes it names; on any issue the fixes are named; fixes not merged yet are labelled and join
 * when they merge (the combine label alone decides it, with no `backport.combine.selectors`); fixes that
 * cannot be backported are left out with a reason; who may not ask is refused and nothing is labelled.
 */
import { combinedBranch } from "../../src/backport/combined.js";
import { readCombined } from "../../src/backport/render-combined.js";
import { runBackport } from "../../src/backport/run-backport.js";
import { runCommand } from "../../src/backport/run-command.js";
import { toPolicy } from "../../src/config/policy.js";
import { commentCommand } from "../../src/workflows/comment-command.js";
import { hasMarker } from "../../src/state/markers.js";
import type { JobEnv } from "../../src/runtime/jobs.js";
import { configOf, memoryLog, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";
const LTS = ["release-36.0.0", "release-24.0.0"];

function scenario() {
  const { fake } = wasmtimeRepo({ permissions: { alex: "write", sam: "maintain", olive: "read" } });
  const fix = (i: number) => fake.plantMergedPull({ title: `Fix ${i}`, author: "alex", mergedBy: "sam", files: { [`crates/fix${i}.rs`]: `pub fn f${i}() {}\n` } });
  const config = configOf({ preset: "wasmtime" });
  const policy = toPolicy(config);
  const input = (number: number, body: string, author = "sam") => {
    const comment = fake.plantComment({ number, body, author });
    return { port: fake, config: { ok: true as const, config, policy }, today: TODAY, defaultBranch: "main", number, comment: { id: comment.id, body, author }, log: memoryLog() };
  };
  return { fake, fix, config, policy, input };
}

const combinedPulls = (s: ReturnType<typeof scenario>) => s.fake.allPulls().filter((p) => p.author === s.fake.botLogin);
const carried = (s: ReturnType<typeof scenario>, base: string) => readCombined(combinedPulls(s).find((p) => p.base.ref === base)?.body ?? null)?.sources.map((x) => x.number);
const reply = (s: ReturnType<typeof scenario>, number: number, commentId: number) => s.fake.commentsOn(number).find((c) => c.author === s.fake.botLogin && hasMarker(c.body, "reply", `comment-${commentId}`));

test("on a merged PR: the PR and the fixes it names are combined, each labelled with the request and the combine label", async () => {
  const s = scenario();
  const [one, two] = [s.fix(1), s.fix(2)];
  expect(await runCommand(s.input(two.number, `/backport lts #${one.number}`))).toBe("started");
  expect(combinedPulls(s).map((p) => [p.base.ref, p.head.ref]).sort()).toEqual(LTS.map((b) => [b, combinedBranch(s.config.backport.branchPrefix, b)]).sort());
  for (const base of LTS) expect(carried(s, base)).toEqual([one.number, two.number]);
  for (const pull of [one, two]) expect(s.fake.allPulls().find((p) => p.number === pull.number)!.labels).toEqual(["backport:lts", "backport-combined"]);
});

test("a fix not merged yet is labelled and joins the open combined PR when it merges, by its combine label alone", async () => {
  const s = scenario();
  const one = s.fix(1);
  s.fake.setBranch("topic/pending", "main");
  s.fake.commit({ branch: "topic/pending", files: { "crates/pending.rs": "pub fn p() {}\n" }, message: "Pending fix", author: "alex" });
  const pending = s.fake.plantPull({ title: "Pending fix", author: "alex", head: "topic/pending" });
  const issue = s.fake.plantIssue({ title: "Security release", author: "sam" });
  const input = s.input(issue.number, `/backport lts #${one.number} #${pending.number}`);
  expect(await runCommand(input, { onIssue: true })).toBe("started");
  expect(reply(s, issue.number, input.comment.id)?.body).toContain("Not merged yet");
  for (const base of LTS) expect(carried(s, base)).toEqual([one.number]);
  s.fake.mergePull(pending.number, { by: "sam" });
  await runBackport({ port: s.fake, config: s.config, policy: s.policy, today: TODAY, number: pending.number, defaultBranch: "main", log: memoryLog() });
  expect(combinedPulls(s)).toHaveLength(2);
  for (const base of LTS) expect(carried(s, base)).toEqual([one.number, pending.number]);
});

test("fixes that cannot be backported are left out with their reasons; the others go on", async () => {
  const s = scenario();
  const one = s.fix(1);
  s.fake.setBranch("topic/closed", "main");
  s.fake.commit({ branch: "topic/closed", files: { "x.rs": "x\n" }, message: "Closed", author: "alex" });
  const closed = s.fake.plantPull({ title: "Closed", author: "alex", head: "topic/closed" });
  await s.fake.updateIssue({ number: closed.number, state: "closed" });
  const issue = s.fake.plantIssue({ title: "Backports", author: "sam" });
  const input = s.input(issue.number, `/backport lts #${one.number} #${closed.number} #${issue.number} #9999`);
  expect(await runCommand(input, { onIssue: true })).toBe("started");
  const body = reply(s, issue.number, input.comment.id)!.body;
  expect(body).toContain("Left out");
  expect(body).toContain(`\`#${closed.number}\`: was closed without being merged`);
  expect(body).toContain("`#9999`: is not a pull request in this repository");
  expect(body).toContain(`\`#${issue.number}\`: is not a pull request in this repository`);
  for (const base of LTS) expect(carried(s, base)).toEqual([one.number]);
  expect(s.fake.allPulls().find((p) => p.number === closed.number)!.labels).toEqual([]);
});

test("nothing to do, or too much: rejected with nothing labelled or built", async () => {
  const s = scenario();
  const one = s.fix(1);
  const issue = s.fake.plantIssue({ title: "Backports", author: "sam" });
  const cases: [string, string][] = [
    ["/backport lts", "on an issue, name the fixes"],
    [`/backport #${one.number}`, "name at least one selector"],
    [`/backport nope #${one.number}`, "is neither a selector"],
    ["/backport lts #9999", "is not a pull request"],
    [`/backport lts ${Array.from({ length: 21 }, (_, i) => `#${i + 100}`).join(" ")}`, "at most 20"],
  ];
  for (const [body, says] of cases) {
    const input = s.input(issue.number, body);
    expect(await runCommand(input, { onIssue: true })).toBe("rejected");
    expect(reply(s, issue.number, input.comment.id)?.body).toContain(says);
  }
  expect(combinedPulls(s)).toEqual([]);
  expect(s.fake.allPulls().find((p) => p.number === one.number)!.labels).toEqual([]);
});

test("someone who may not ask is refused once; nothing is labelled; the command again is not answered twice", async () => {
  const s = scenario();
  const one = s.fix(1);
  const issue = s.fake.plantIssue({ title: "Backports", author: "olive" });
  const input = s.input(issue.number, `/backport lts #${one.number}`, "olive");
  expect(await runCommand(input, { onIssue: true })).toBe("refused");
  expect(await runCommand(input, { onIssue: true })).toBe("answered-before");
  expect(s.fake.allPulls().find((p) => p.number === one.number)!.labels).toEqual([]);
  expect(combinedPulls(s)).toEqual([]);
});

test("through the comment workflow on a plain issue (not an advisory record): combined", async () => {
  const s = scenario();
  const [one, two] = [s.fix(1), s.fix(2)];
  const issue = s.fake.plantIssue({ title: "Security release", author: "sam" });
  const { comment, number } = s.input(issue.number, `/backport security #${two.number} #${one.number}`);
  const env = { port: s.fake, today: TODAY, log: memoryLog(), config: async () => ({ status: "ok", config: s.config, policy: s.policy }) } as unknown as JobEnv;
  await commentCommand(env, { number, onPullRequest: false, comment, defaultBranch: "main" });
  const pulls = combinedPulls(s);
  expect(pulls.length).toBeGreaterThanOrEqual(4);
  for (const pull of pulls) expect(readCombined(pull.body)!.sources.map((x) => x.number)).toEqual([one.number, two.number]);
});

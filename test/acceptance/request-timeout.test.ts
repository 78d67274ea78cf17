/**
 * One GitHub request that never answers (issue 13, item 2): it times out (GITHUB_REQUEST_TIMEOUT_MS, here
 * 2 s), counts as an ambiguous failure, and the repository's queue goes on: the next PR's backports complete,
 * and the PR whose request hung completes too, at once or on the next delivery, with nothing created twice.
 */
import { runApp, type RunningApp } from "../../sandbox/run-app.js";
import type { Sandbox } from "../../sandbox/sandbox.js";
import { startSandboxOn } from "./story.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";

const people = WASMTIME_PEOPLE;
const DAY = "2025-11-21";

let sandbox: Sandbox;
let repo: RepoRecord;
let app: RunningApp;

beforeAll(async () => {
  ({ sandbox, repo } = await startSandboxOn(DAY));
  app = await runApp(sandbox, { today: DAY, requestTimeoutMs: 2_000 });
});
afterAll(async () => {
  await app.stop();
  await sandbox.stop();
});

let fixes = 0;
async function mergedFix(): Promise<number> {
  const n = ++fixes;
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: `fix-hang-${n}`, title: `Check the import count (${n})`, files: { [`docs/security/hang-${n}.md`]: `fix ${n}\n` },
    author: people.committer, labels: ["backport:security"],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

const deliver = async (number: number) => {
  await app.driver.send(await app.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer }));
  await app.queue.idle();
};
const openBackports = (number: number) => [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`)).map((p) => ({ base: p.baseRef, state: repo.issues.get(p.number)!.state }));
const summaries = (number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number && c.body.includes("lts-steward:summary"));

test("a request that never answers times out; the next PR's backports complete, and the first PR's too, once", async () => {
  const first = await mergedFix();
  const second = await mergedFix();
  // The first attempt to open a backport PR hangs: GitHub never answers it (and never applies it).
  sandbox.faults.add({ kind: "hang", match: "pulls/create", times: 1 });
  await deliver(first);
  expect(app.logs.some((l) => /no answer within 2000 ms/.test(String(l.msg)))).toBe(true);
  await deliver(second);
  const lines = openBackports(second).map((p) => p.base).sort();
  expect(lines.length).toBeGreaterThanOrEqual(3);
  expect(openBackports(second).every((p) => p.state === "open")).toBe(true);
  expect(summaries(second)).toHaveLength(1);
  // The PR whose request hung: complete now, or after GitHub's next delivery; never twice.
  if (openBackports(first).length < lines.length) await deliver(first);
  expect(openBackports(first).map((p) => p.base).sort()).toEqual(lines);
  expect(openBackports(first).every((p) => p.state === "open")).toBe(true);
  expect(summaries(first)).toHaveLength(1);
  sandbox.assertNoViolations();
});

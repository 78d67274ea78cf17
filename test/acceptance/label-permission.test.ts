/**
 * End to end (issue 14): a `backport:security` label added after merge by a triage user. The real App against
 * the sandbox's Wasmtime-like history: one reply on the PR saying who added it and why it does not count, no
 * backport writes; the same webhook again adds nothing.
 */
import { runApp, type RunningApp } from "../../sandbox/run-app.js";
import type { Sandbox } from "../../sandbox/sandbox.js";
import { startSandboxOn } from "./story.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";

const people = WASMTIME_PEOPLE;
const DAY = "2025-11-21";
const BOT = "lts-steward[bot]";

let sandbox: Sandbox;
let repo: RepoRecord;
let app: RunningApp;

beforeAll(async () => {
  ({ sandbox, repo } = await startSandboxOn(DAY));
  app = await runApp(sandbox, { today: DAY });
});
afterAll(async () => {
  await app?.stop();
  await sandbox?.stop();
});

test("backport:security added after merge by a triage user: one reply, no backport writes", async () => {
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-label-permission", title: "Harden the loader", files: { "docs/security/label-permission.md": "hardening\n" }, author: people.committer,
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  const label = sandbox.scenario.label({ repo, number: issue.number, label: "backport:security", by: people.triager });
  const deliver = async () => app.driver.send(await app.driver.pullRequest({ repo, number: issue.number, action: "labeled", label, sender: people.triager }));
  await deliver();
  await deliver();
  await app.queue.idle();
  const replies = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number && c.user.login === BOT);
  expect(replies).toHaveLength(1);
  expect(replies[0]!.body).toContain("lts-steward:label-refused backport%3Asecurity");
  expect(replies[0]!.body).toContain(`@${people.triager}`);
  expect([...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${issue.number}`))).toEqual([]);
  expect([...repo.issues.values()].filter((i) => i.user.login === BOT)).toEqual([]);
});

/**
 * Shadow mode end to end (issue 17): a repository in `mode: shadow` through a whole sandbox story writes
 * nothing, and its recorded plans list every write the active App makes in the same story; switched to
 * `mode: active`, the App does the work still due, once.
 */
import type { CallRecord } from "../../sandbox/http/call-log.js";
import type { ShadowPlan } from "../../src/runtime/shadow.js";
import { playStory, startStoryApp, type StoryApp } from "./shadow-story.js";

const SLOW = 600_000;

/** The port operation a sandbox write is (the App's only writes; the call log names GitHub's operations). */
const OPERATION: Record<string, string> = {
  "git/create-commit": "createCommit",
  "git/create-ref": "createBranch",
  "git/update-ref": "updateBranch",
  "git/delete-ref": "deleteBranch",
  "repos/merge": "merge",
  "pulls/create": "createPull",
  "pulls/request-reviewers": "requestReviewers",
  "checks/create": "createCheckRun",
  "actions/create-workflow-dispatch": "dispatchWorkflow",
  "issues/create": "createIssue",
  "issues/update": "updateIssue",
  "issues/create-comment": "createComment",
  "issues/update-comment": "updateComment",
  "reactions/create-for-issue-comment": "addReaction",
};
const TOKEN = "apps/create-installation-access-token";

const activeOperation = (call: CallRecord) => OPERATION[call.operationId ?? ""] ?? `unmapped ${call.operationId ?? call.route}`;
/**
 * A comment the active App edits in a later job is one it created in an earlier job; in shadow mode nothing
 * was created, so the later job plans it as a creation: both count as writing that comment.
 */
const kind = (operation: string) => (operation === "updateComment" ? "createComment" : operation);
/** The backport PRs the App opened, as `head → base`. */
const appPulls = (app: StoryApp) => [...app.repo.pulls.values()].filter((p) => p.headRef.startsWith("lts-steward/")).map((p) => `${p.headRef} → ${p.baseRef}`).sort();
const distinct = (keys: string[]) => [...new Set(keys)].sort();

let active: StoryApp;
let shadow: StoryApp;
let activeWrites: string[];
let dependsOnCut: string[];
let story: { security: number; command: number };
/** The same story's PR numbers in the active App's sandbox (its backport PRs took numbers the shadow's did not). */
let activeStory: { security: number; command: number };

beforeAll(async () => {
  active = await startStoryApp({ mode: "active", through: "2025-11-30" });
  shadow = await startStoryApp({ mode: "shadow", through: "2025-11-30" });
});
afterAll(async () => {
  await active?.stop();
  await shadow?.stop();
});

test("the active App's story: backports, a reply, a cut, a schedule issue", async () => {
  const mark = active.sandbox.log.mark();
  activeStory = await playStory(active);
  const writes = active.sandbox.log.writes(mark).filter((c) => c.operationId !== TOKEN);
  activeWrites = writes.map(activeOperation);
  // Writes that follow from the active App's own cut: on the cut day's tick, reconcile picks the security fix
  // onto the line just cut, finds it already there and removes its branch. The shadow App never cut the line.
  dependsOnCut = writes.filter((c) => c.operationId === "git/delete-ref" && c.path.includes("release-40.0.0")).map(activeOperation);
  expect(activeWrites).toEqual(expect.arrayContaining(["createBranch", "createPull", "createComment", "createIssue"]));
  expect(appPulls(active).map((p) => p.split(" → ")[1])).toEqual(expect.arrayContaining(["release-24.0.0", "release-36.0.0", "release-38.0.0", "release-39.0.0"]));
  expect(await active.sandbox.store.git(active.repo).readRef("refs/heads/release-40.0.0")).not.toBeNull();
  expect(active.ledger.plans(`${active.repo.owner.login}/${active.repo.name}`)).toEqual([]);
});

test("in shadow mode the same story writes nothing, and the plans list every write the active App made, with reasons", async () => {
  const mark = shadow.sandbox.log.mark();
  story = await playStory(shadow);
  expect(shadow.sandbox.log.writes(mark).map((c) => c.operationId).filter((op) => op !== TOKEN)).toEqual([]);
  const plans = shadow.ledger.plans(`${shadow.repo.owner.login}/${shadow.repo.name}`);
  expect(plans.every((p) => p.reason.length > 0 && p.job.length > 0)).toBe(true);
  // Every kind of write the active App made is planned, every backport PR it opened (by head and base), the cut.
  const planned = new Set(plans.map((p) => kind(p.operation)));
  expect(distinct(activeWrites.map(kind)).filter((operation) => !planned.has(operation))).toEqual(distinct(dependsOnCut));
  const plannedPulls = new Set(plans.filter((p) => p.operation === "createPull").map((p) => p.target));
  // Every backport PR the active App opened is planned, by head and base: the labelled security fix's and those
  // the `/backport` command started (named by the shadow sandbox's PR numbers).
  const asShadow = (pull: string) => pull.replace(`/pr-${activeStory.security} `, `/pr-${story.security} `).replace(`/pr-${activeStory.command} `, `/pr-${story.command} `);
  expect(appPulls(active).map(asShadow).filter((pull) => !plannedPulls.has(pull))).toEqual([]);
  expect(appPulls(active).filter((pull) => pull.includes(`/pr-${activeStory.command} `)).length).toBe(2);
  expect(appPulls(active).filter((pull) => pull.includes(`/pr-${activeStory.security} `)).length).toBeGreaterThanOrEqual(4);
  expect(plans).toContainEqual(expect.objectContaining({ operation: "createBranch", target: "release-40.0.0", job: "daily tick 2025-12-05" }));
  expect(appPulls(shadow)).toEqual([]);
});

test("switched to active, the App does what is still due once: the next tick makes the backports; a second tick writes nothing", async () => {
  const { sandbox } = shadow;
  await shadow.setMode("active");
  shadow.today.value = "2025-12-21";
  const mark = sandbox.log.mark();
  await shadow.tick("2025-12-21");
  const made = sandbox.log.writes(mark).filter((c) => c.operationId === "pulls/create").length;
  // What is due on the 21st: the labelled security fix on every security line (38 reached its end of support on
  // the 20th; the line 40 cut that day already has the fix), one PR each. The `/backport` command given in
  // shadow mode was never acknowledged nor recorded (its label write was only planned): it is not carried over.
  expect(made).toBe(appPulls(shadow).length);
  expect(appPulls(shadow)).toEqual([24, 36, 39].map((line) => `lts-steward/backport/release-${line}.0.0/pr-${story.security} → release-${line}.0.0`));
  expect(appPulls(shadow).some((p) => p.includes(`/pr-${story.command}`))).toBe(false);
  const again = sandbox.log.mark();
  await shadow.tick("2025-12-22");
  expect(sandbox.log.writes(again).filter((c) => c.operationId === "pulls/create" || c.operationId === "git/create-ref")).toEqual([]);
});

/**
 * Acceptance, end to end (issue 16): three failed CI runs on one release branch, then a green one, delivered
 * to the real App as `workflow_run.completed` webhooks (schema-checked): one issue, updated twice, closed once.
 */
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { SLOW, startHarness, type Harness } from "../backport/harness.js";

const people = WASMTIME_PEOPLE;
const TOKEN = "apps/create-installation-access-token";
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-21" });
  repo = h.repo;
  await h.sandbox.scenario.commit({ repo, branch: "main", message: "Watch CI on release branches", files: { ".github/lts-steward.yml": "preset: wasmtime\nautomation:\n  ciHealth: { workflow: main.yml }\n" }, author: people.maintainer });
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

const ciIssues = () => [...repo.issues.values()].filter((i) => i.title === "CI failing on release-38.0.0");

test("three failed runs then a green one on release-38.0.0: one issue, created, updated twice, closed once; main's runs are ignored", async () => {
  const mark = h.sandbox.log.mark();
  const run = async (conclusion: string, branch = "release-38.0.0") => {
    const record = await h.sandbox.scenario.completeRun({ repo, workflow: "main.yml", branch, conclusion, by: people.maintainer });
    expect(await h.deliver(h.driver.workflowRun({ repo, run: record }))).toBe(200);
  };
  await run("failure", "main");
  for (const conclusion of ["failure", "failure", "timed_out"]) await run(conclusion);
  const [issue, ...more] = ciIssues();
  expect(more).toEqual([]);
  expect(issue!.state).toBe("open");
  await run("success");
  expect(ciIssues()[0]!.state).toBe("closed");
  const writes = h.sandbox.log.writes(mark).filter((c) => c.operationId !== TOKEN).map((c) => c.operationId);
  expect(writes).toEqual(["issues/create", "issues/update", "issues/update", "issues/create-comment", "issues/update"]);
  expect(h.botComments(issue!.number).map((c) => c.body)).toEqual([expect.stringContaining("passes on `release-38.0.0` again")]);
}, SLOW);

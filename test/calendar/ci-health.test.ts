/**
 * CI health of release branches (src/calendar/ci-health.ts), against the fake GitHub: three failed runs on one
 * supported branch and then a green one give one issue, updated twice and closed once; late deliveries of older
 * runs, other workflows and other branches change nothing; a new failure reopens the issue for a new episode.
 */
import { recordCiRun, type CompletedRun } from "../../src/calendar/ci-health.js";
import { toPolicy } from "../../src/config/policy.js";
import { computeLines } from "../../src/engine/lines.js";
import { readReleaseHistory } from "../../src/workflows/release-state.js";
import { configOf, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";

async function setup(raw: Record<string, unknown> = { preset: "wasmtime", automation: { ciHealth: { workflow: "main.yml" } } }) {
  const { fake } = wasmtimeRepo();
  const config = configOf(raw);
  const policy = toPolicy(config);
  const lines = computeLines(policy, await readReleaseHistory(fake, policy), TODAY);
  const record = (run: Partial<CompletedRun> & { runNumber: number }) => recordCiRun(fake, {
    config, lines,
    run: { path: ".github/workflows/main.yml", branch: "release-38.0.0", conclusion: "failure", runId: 1000 + run.runNumber, url: `https://github.com/o/r/actions/runs/${1000 + run.runNumber}`, createdAt: `${TODAY}T0${run.runNumber % 10}:00:00Z`, ...run },
  });
  const issues = () => fake.allIssues().filter((i) => i.title.startsWith("CI failing"));
  return { fake, record, issues };
}

test("three failures then a success: one issue, created then updated twice, closed once with a comment", async () => {
  const s = await setup();
  expect(await s.record({ runNumber: 1 })).toBe("failing");
  expect(await s.record({ runNumber: 2, conclusion: "timed_out" })).toBe("failing");
  expect(await s.record({ runNumber: 3 })).toBe("failing");
  const [issue, ...more] = s.issues();
  expect(more).toEqual([]);
  expect(issue!.title).toBe("CI failing on release-38.0.0");
  expect(issue!.state).toBe("open");
  expect(issue!.body).toContain("[run 3](https://github.com/o/r/actions/runs/1003)");
  expect(issue!.body).toContain("timed_out");
  const writes = () => s.fake.writes().filter((c) => c.applied).map((c) => c.method);
  expect(writes()).toEqual(["createIssue", "updateIssue", "updateIssue"]);

  expect(await s.record({ runNumber: 4, conclusion: "success" })).toBe("green");
  expect(s.issues()[0]!.state).toBe("closed");
  expect(s.fake.commentsOn(issue!.number).map((c) => c.body)).toEqual([expect.stringContaining("passes on `release-38.0.0` again")]);
  expect(writes()).toEqual(["createIssue", "updateIssue", "updateIssue", "createComment", "updateIssue"]);

  // The same success delivered again, and an older failure arriving late: nothing.
  s.fake.clearLog();
  expect(await s.record({ runNumber: 4, conclusion: "success" })).toBe("stale");
  expect(await s.record({ runNumber: 2 })).toBe("stale");
  expect(s.fake.writes()).toEqual([]);

  // A new failure later: the same issue, reopened, listing only the new episode.
  expect(await s.record({ runNumber: 5 })).toBe("failing");
  const [again, ...none] = s.issues();
  expect(none).toEqual([]);
  expect(again!.number).toBe(issue!.number);
  expect(again!.state).toBe("open");
  expect(again!.body).toContain("run 5");
  expect(again!.body).not.toContain("run 3");
});

test("other workflows, the default branch, unknown branches, cancelled runs and no watched workflow change nothing", async () => {
  const s = await setup();
  expect(await s.record({ runNumber: 1, path: ".github/workflows/docs.yml" })).toBe("not-watched");
  expect(await s.record({ runNumber: 2, branch: "main" })).toBe("not-a-release-branch");
  expect(await s.record({ runNumber: 3, branch: "release-30.0.0" })).toBe("not-a-release-branch");
  expect(await s.record({ runNumber: 4, conclusion: "cancelled" })).toBe("nothing");
  expect(await s.record({ runNumber: 5, conclusion: "success" })).toBe("nothing");
  const off = await setup({ preset: "wasmtime" });
  expect(await off.record({ runNumber: 1 })).toBe("not-watched");
  expect([...s.fake.writes(), ...off.fake.writes()]).toEqual([]);
  // automation.ci's workflow is watched when ciHealth is not set.
  const ci = await setup({ preset: "wasmtime", automation: { ci: { workflow: "main.yml" } } });
  expect(await ci.record({ runNumber: 1 })).toBe("failing");
});

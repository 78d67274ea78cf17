/**
 * Branch cuts on the daily tick (src/calendar/cut.ts), against the fake GitHub with Wasmtime's calendar:
 * release-40.0.0 is due on 2025-12-05. The App creates the branch, or, with `automation.cut`, dispatches the
 * project's own workflow once; it never cuts while the previous line has not shipped its first release, and
 * never makes a branch at an X.0.0 release when the project cuts its own.
 */
import { cutAtRelease } from "../../src/calendar/cut.js";
import { runTick } from "../../src/calendar/tick.js";
import { toPolicy } from "../../src/config/policy.js";
import { configOf, memoryLog, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const CUT_DAY = "2025-12-05";
const WORKFLOW = "release-process.yml";
const OWN = { preset: "wasmtime", automation: { cut: { workflow: WORKFLOW, inputs: { action: "cut", version: "{version}", branch: "{branch}" } } } };

function setup(raw: Record<string, unknown>, options: { released?: number[]; upcoming?: number[] } = {}) {
  const { fake } = wasmtimeRepo({ released: options.released ?? [24, 36, 37, 38, 39], upcoming: options.upcoming ?? [], now: `${CUT_DAY}T07:00:00Z` });
  fake.addWorkflow(WORKFLOW);
  const config = configOf(raw);
  const tick = (today = CUT_DAY) => runTick({ port: fake, config, policy: toPolicy(config), today, defaultBranch: "main", dryRun: false, log: memoryLog() });
  const dispatches = () => fake.calls("dispatchWorkflow").filter((c) => c.applied).map((c) => c.args[0]);
  return { fake, config, tick, dispatches };
}

test("by default the App creates the branch from main on cut day", async () => {
  const s = setup({ preset: "wasmtime" });
  await s.tick();
  expect(s.fake.branchNames()).toContain("release-40.0.0");
  expect(s.dispatches()).toEqual([]);
});

test("automation.cut: one dispatch of the project's workflow on main with the line's inputs, no branch made by the App; a second tick writes nothing", async () => {
  const s = setup(OWN);
  const report = await s.tick();
  expect(s.dispatches()).toEqual([{ workflow: WORKFLOW, ref: "main", inputs: { action: "cut", version: "40.0.0", branch: "release-40.0.0" } }]);
  expect(s.fake.branchNames()).not.toContain("release-40.0.0");
  expect(report.outcomes.filter((o) => o.job === "cut")).toEqual([expect.objectContaining({ status: "done", description: expect.stringContaining(`dispatch ${WORKFLOW} on main to cut release-40.0.0`) })]);

  s.fake.clearLog();
  await s.tick();
  expect(s.fake.writes().filter((c) => c.applied)).toEqual([]);
  // The next day, the project's workflow has not run yet: still not dispatched twice.
  await s.tick("2025-12-06");
  expect(s.fake.calls("dispatchWorkflow")).toEqual([]);
});

test("automation.cut without check-ins: the dispatched run itself shows the cut was asked for", async () => {
  const s = setup({ ...OWN, automation: { ...OWN.automation, checkin: false } });
  await s.tick();
  await s.tick("2025-12-06");
  expect(s.dispatches()).toHaveLength(1);
});

test("never while the previous line has not shipped its first release, in either mode", async () => {
  for (const raw of [{ preset: "wasmtime" }, OWN]) {
    const s = setup(raw, { released: [24, 36, 37, 38], upcoming: [39] });
    await s.tick();
    expect(s.fake.branchNames()).not.toContain("release-40.0.0");
    expect(s.dispatches()).toEqual([]);
  }
});

test("a project that cuts its own branches gets no branch from the App at an X.0.0 release either", async () => {
  const s = setup(OWN, { released: [24, 36, 37, 38, 39], upcoming: [] });
  s.fake.addRelease({ tag: "v40.0.0", publishedAt: "2025-12-20T18:00:00Z", target: "main" });
  expect(await cutAtRelease(s.fake, { config: s.config, policy: toPolicy(s.config), tag: "v40.0.0" })).toBeNull();
  const own = setup({ preset: "wasmtime" }, { released: [24, 36, 37, 38, 39], upcoming: [] });
  own.fake.addRelease({ tag: "v40.0.0", publishedAt: "2025-12-20T18:00:00Z", target: "main" });
  expect(await cutAtRelease(own.fake, { config: own.config, policy: toPolicy(own.config), tag: "v40.0.0" })).toBe("release-40.0.0");
});

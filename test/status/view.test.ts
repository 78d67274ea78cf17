/**
 * The status page's views as data (src/status/view.ts), which are also its JSON: the index and a
 * repository's page from the job history, the shadow ledger, the queue and the schedule read from GitHub
 * (cached, dropped when a job of the repository finishes); the embargo over everything that leaves.
 */
import { WITHHELD } from "../../src/runtime/embargo.js";
import { repositoryStatus, statusIndex } from "../../src/status/view.js";
import { REPO, statusFixture, TODAY } from "./fixture.js";

test("the index: every known repository with its last job, failures, shadow plans and queue; the queue's running and waiting jobs", async () => {
  const f = statusFixture();
  f.record({ name: "daily tick 2025-11-21", workflow: "daily-tick", outcomes: [{ subject: "tick: cut", status: "done", detail: "create branch release-40.0.0" }] });
  f.record({ name: "pull closed #12", status: "failed", error: "GitHub kept failing (502) after retrying" });
  f.record({ repo: "acme/other", name: "release v1.0.0", workflow: "release-published" });
  f.deps.shadow.record({ at: "2025-11-21T09:00:00.000Z", repo: REPO, operation: "createPull", target: "a → b", summary: "x", job: "j", reason: "r" });
  let release!: () => void;
  const blocker = new Promise<void>((resolve) => (release = resolve));
  f.deps.queue.enqueue({ key: REPO, name: `${REPO}: pull closed #13`, run: () => blocker });
  f.deps.queue.enqueue({ key: REPO, name: `${REPO}: release v39.0.1`, run: async () => undefined });
  await new Promise((resolve) => setImmediate(resolve));

  const index = await statusIndex(f.deps);
  expect(index).toMatchObject({ generatedAt: "2025-11-21T10:00:00.000Z", version: "9.9.9", today: TODAY, installationsError: null });
  expect(index.repositories).toEqual([
    {
      repository: "acme/engine", path: "/status/acme/engine", installed: true,
      lastJob: expect.objectContaining({ name: "pull closed #12", status: "failed", error: "GitHub kept failing (502) after retrying" }),
      failures: 1, lastFailure: expect.objectContaining({ subject: "pull closed #12", reason: "GitHub kept failing (502) after retrying" }),
      shadowPlans: 1, queue: { running: "pull closed #13", waiting: 1 },
    },
    expect.objectContaining({ repository: "acme/other", installed: false, lastJob: expect.objectContaining({ name: "release v1.0.0" }) }),
  ]);
  expect(index.queue).toEqual({
    pending: 2, completed: 0, failed: 0, shared: null,
    running: [{ repository: REPO, name: "pull closed #13" }], waiting: [{ repository: REPO, name: "release v39.0.1" }],
  });
  release();
  await f.deps.queue.idle();
});

test("a repository: the engine's schedule on the App's day (lines, chart bars, next events, the issue's Markdown and Mermaid), jobs newest first, shadow plans newest first", async () => {
  const f = statusFixture();
  f.record({ name: "first" });
  f.record({ name: "second", outcomes: [{ subject: "backport #12 → release-36.0.0", status: "done", detail: "opened #40", url: "https://github.com/acme/engine/pull/40" }] });
  for (const n of [1, 2]) f.deps.shadow.record({ at: `2025-11-21T09:0${n}:00.000Z`, repo: REPO, operation: "createIssue", target: "new issue", summary: `plan ${n}`, job: "j", reason: "r" });
  const status = (await repositoryStatus(f.deps, "ACME/Engine"))!;
  expect(status.repository).toBe(REPO);
  expect(status.installed).toBe(true);
  expect(status.jobs.map((j) => j.name)).toEqual(["second", "first"]);
  expect(status.shadowPlans.map((p) => p.summary)).toEqual(["plan 2", "plan 1"]);
  expect(status.queue).toEqual({ running: null, waiting: [], shared: null });
  if (status.schedule.status !== "ok") throw new Error(JSON.stringify(status.schedule));
  expect(status.schedule.on).toBe(TODAY);
  expect(status.schedule.mode).toBe("active");
  expect(status.schedule.lines.map((l) => [l.releaseCycle, l.status, l.lts])).toEqual([
    ["40", "projected", false], ["39", "supported", false], ["38", "supported", false], ["36", "supported", true], ["24", "supported", true],
  ]);
  // The chart has the lines that ended lately too (37, on 2025-11-20), as the schedule issue's chart does.
  expect(status.schedule.chart.map((b) => [b.section, b.label, b.status, b.start, b.end])).toEqual([
    ["LTS", "36", "supported", "2025-08-20", "2027-08-20"],
    ["LTS", "24", "supported", "2024-08-20", "2026-08-20"],
    ["Regular", "40 (projected)", "projected", "2025-12-20", "2026-02-20"],
    ["Regular", "39", "supported", "2025-11-20", "2026-01-20"],
    ["Regular", "38", "supported", "2025-10-20", "2025-12-20"],
    ["Regular", "37", "end-of-support", "2025-09-20", "2025-11-20"],
  ]);
  expect(status.schedule.next.nextCut).toMatchObject({ branch: "release-40.0.0", date: "2025-12-05" });
  expect(status.schedule.markdown.split("\n")[0]).toBe("| Line | Branch | Kind | Released | End of support | Latest | Status |");
  expect(status.schedule.mermaid).toContain("    36 : active, 2025-08-20, 2027-08-20");
});

test("the schedule is read once and kept; a finished job of the repository drops it; a repository the App does not know is null", async () => {
  const f = statusFixture();
  await repositoryStatus(f.deps, REPO);
  await repositoryStatus(f.deps, REPO);
  expect(f.reads.filter((r) => r === "config")).toHaveLength(1);
  f.config.value = { preset: "wasmtime", mode: "shadow" };
  f.record({ name: "release v39.0.1" });
  const status = (await repositoryStatus(f.deps, REPO))!;
  expect(f.reads.filter((r) => r === "config")).toHaveLength(2);
  expect(status.schedule).toMatchObject({ status: "ok", mode: "shadow" });
  expect(await repositoryStatus(f.deps, "acme/unknown")).toBeNull();
});

test("a repository without a usable config, or whose config cannot be read, says so instead of a schedule", async () => {
  const f = statusFixture();
  f.config.value = null;
  expect((await repositoryStatus(f.deps, REPO))!.schedule).toEqual({ status: "missing", reason: "this repository has no .github/lts-steward.yml" });
  const g = statusFixture();
  g.config.value = { preset: "wasmtime", support: { lts: { evry: 12 } } };
  expect((await repositoryStatus(g.deps, REPO))!.schedule).toMatchObject({ status: "invalid", problems: [expect.objectContaining({ path: expect.stringContaining("evry") })] });
  const unreadable = statusFixture();
  unreadable.config.value = new Error("the file is not valid UTF-8");
  expect((await repositoryStatus(unreadable.deps, REPO))!.schedule).toMatchObject({ status: "invalid", problems: [{ path: "", message: expect.stringContaining("could not be read: the file is not valid UTF-8") }] });
  const h = statusFixture({ installed: false });
  h.record({ name: "old job" });
  expect((await repositoryStatus(h.deps, REPO))!).toMatchObject({ installed: false, schedule: { status: "not-installed" }, jobs: [expect.objectContaining({ name: "old job" })] });
});

test("the embargo holds over what is not recorded through the history: queue names, shadow plans, config problems", async () => {
  const f = statusFixture();
  f.deps.shadow.record({ at: "2025-11-21T09:00:00.000Z", repo: REPO, operation: "createPull", target: "x", summary: "[release-36.0.0] Fix GHSA-9999-8888-7777 (#12)", job: "pull closed #12", reason: "r" });
  f.deps.shadow.record({ at: "2025-11-21T09:00:00.000Z", repo: REPO, operation: "createIssue", target: "new issue", summary: "GHSA-2222-3333-4444 (CVE-2025-64345): Out-of-bounds write", job: "advisory published", reason: "r" });
  f.deps.history.embargo.allow({ ghsaId: "GHSA-2222-3333-4444", cveId: "CVE-2025-64345" });
  let release!: () => void;
  f.deps.queue.enqueue({ key: REPO, name: `${REPO}: advisory GHSA-9999-8888-7777`, run: () => new Promise<void>((resolve) => (release = resolve)) });
  await new Promise((resolve) => setImmediate(resolve));
  const text = JSON.stringify([await statusIndex(f.deps), await repositoryStatus(f.deps, REPO)]);
  expect(text).not.toContain("9999-8888-7777");
  expect(text).toContain(`[release-36.0.0] Fix ${WITHHELD} (#12)`);
  expect(text).toContain("GHSA-2222-3333-4444 (CVE-2025-64345): Out-of-bounds write");
  release();
  const g = statusFixture();
  g.config.value = { preset: "wasmtime", "GHSA-9999-8888-7777": true };
  const invalid = JSON.stringify(await repositoryStatus(g.deps, REPO));
  expect(invalid).toContain("unknown key");
  expect(invalid).not.toContain("9999-8888-7777");
  await f.deps.queue.idle();
});

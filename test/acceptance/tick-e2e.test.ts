/**
 * Acceptance, in the sandbox with a controlled clock: ticking every day of December 2025 on the
 * Wasmtime-like history (release-40.0.0 is cut on the 5th, 40.0.0 ships on the 20th; LTS lines 24 and 36).
 * Each day is ticked twice; the second tick must write nothing.
 */
import { runTick } from "../../src/calendar/tick.js";
import { parseConfig } from "../../src/config/load.js";
import { toPolicy } from "../../src/config/policy.js";
import { createOctokitPort } from "../../src/github/octokit-port.js";
import { WritePacer } from "../../src/github/pacer.js";
import type { GitHubPort } from "../../src/github/port.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { startHarness, type Harness } from "../backport/harness.js";

const people = WASMTIME_PEOPLE;
const CONFIG = "preset: wasmtime\nautomation:\n  ci:\n    workflow: main.yml\n";
let h: Harness;
let repo: RepoRecord;
let port: GitHubPort;
const quiet = { info: () => {}, warn: () => {} };

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-30" });
  repo = h.repo;
  await h.sandbox.scenario.commit({ repo, branch: "main", message: "Dispatch CI weekly on LTS branches\n", files: { ".github/lts-steward.yml": CONFIG }, author: people.maintainer });
  const octokit = await h.sandbox.client({ installationOf: repo.owner.login });
  port = createOctokitPort({ octokit, owner: repo.owner.login, repo: repo.name, installationId: repo.installationId, botLogin: "lts-steward[bot]", pacer: new WritePacer({ intervalMs: 0 }), retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
});
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

const config = () => {
  const parsed = parseConfig({ preset: "wasmtime", automation: { ci: { workflow: "main.yml" } } });
  if (!parsed.ok) throw new Error("config invalid");
  return parsed.config;
};
const tick = (today: string) => runTick({ port, config: config(), policy: toPolicy(config()), today, defaultBranch: "main", dryRun: false, log: quiet });
const writes = (mark: number) => h.sandbox.log.writes(mark).map((c) => c.operationId);
const scheduleIssues = () => [...repo.issues.values()].filter((i) => i.body?.includes("lts-steward:schedule support"));
const checkins = () => [...repo.issues.values()].filter((i) => i.title.startsWith("LTS automation check-in"));

let backportTo38: number;

test("(setup) a fix backported to release-38.0.0, whose PR is still open when 38's support ends on 2025-12-20", async () => {
  const { issue } = await h.sandbox.scenario.proposeFix({ repo, branch: "fix-38", title: "Fix a 38-only bug", files: { "docs/fix-38.md": "x\n" }, author: people.committer, labels: ["backport:38"] });
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  const [pull] = h.backportPulls(issue.number);
  expect(pull?.baseRef).toBe("release-38.0.0");
  backportTo38 = pull!.number;
});

test("a month of ticks: one cut on the 5th, the schedule issue updated on the 20th, LTS CI weekly, one check-in; a second tick the same day writes nothing", async () => {
  const cuts: string[] = [];
  const scheduleEdits: string[] = [];
  for (let day = 1; day <= 31; day++) {
    const today = `2025-12-${String(day).padStart(2, "0")}`;
    h.today.value = today;
    if (today === "2025-12-20") {
      // 40.0.0 ships on its branch; the App hears of it through the release webhook.
      await h.sandbox.scenario.release({ repo, tag: "v40.0.0", target: "release-40.0.0", by: people.maintainer });
      const mark = h.sandbox.log.mark();
      await h.deliver(h.driver.release({ repo, tag: "v40.0.0" }));
      if (writes(mark).includes("issues/update")) scheduleEdits.push(`${today} (release webhook)`);
    }
    const mark = h.sandbox.log.mark();
    const report = await tick(today);
    expect(report.outcomes.filter((o) => o.status === "failed")).toEqual([]);
    const first = h.sandbox.log.since(mark);
    if (first.some((c) => c.operationId === "git/create-ref")) cuts.push(today);
    if (first.some((c) => c.operationId === "issues/update" && scheduleIssues().some((i) => c.path.endsWith(`/issues/${i.number}`)))) scheduleEdits.push(today);
    const again = h.sandbox.log.mark();
    const second = await tick(today);
    // Reconcile re-checks recently merged PRs that asked for backports: reads only.
    const acted = second.outcomes.filter((o) => o.job !== "reconcile");
    expect({ today, writes: writes(again), acted }).toEqual({ today, writes: [], acted: [] });
  }
  expect(cuts).toEqual(["2025-12-05"]);
  expect(await h.git().readRef("refs/heads/release-40.0.0")).not.toBeNull();
  expect(scheduleIssues()).toHaveLength(1);
  expect(scheduleEdits).toContain("2025-12-20 (release webhook)");
  expect(scheduleIssues()[0]!.body).toContain("| 40 | `release-40.0.0` | regular | 2025-12-20 |");
  // Mondays of December 2025: 1, 8, 15, 22, 29; each dispatches CI on both supported LTS branches.
  const dispatches = repo.dispatches.map((d) => `${d.ref}@${d.at.slice(0, 10)}`);
  expect(repo.dispatches.every((d) => d.workflowId === "main.yml")).toBe(true);
  expect(dispatches.map((d) => d.split("@")[0]).sort()).toEqual([...Array(5).fill("release-24.0.0"), ...Array(5).fill("release-36.0.0")]);
  expect(checkins().map((i) => i.title)).toEqual(["LTS automation check-in: December 2025"]);
  // 38's support ended on the 20th: its open backport PR was told once, on the 21st.
  const notices = [...repo.comments.values()].filter((c) => c.issueNumber === backportTo38 && c.body.includes("lts-steward:eol release-38.0.0"));
  expect(notices.map((c) => c.createdAt.slice(0, 10))).toEqual(["2025-12-21"]);
  expect(notices[0]!.body).toContain("reached its end of support on 2025-12-20");
});

test("a merged PR labelled backport:lts whose webhook never came gets its backports at the next tick", async () => {
  h.today.value = "2026-01-02";
  const { issue } = await h.sandbox.scenario.proposeFix({ repo, branch: "fix-lost-webhook", title: "Fix a lost webhook", files: { "docs/lost.md": "x\n" }, author: people.committer, labels: ["backport:lts"] });
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  expect(h.backportPulls(issue.number)).toEqual([]);
  await tick("2026-01-02");
  expect(h.backportPulls(issue.number).map((p) => p.baseRef).sort()).toEqual(["release-24.0.0", "release-36.0.0"]);
  const mark = h.sandbox.log.mark();
  await tick("2026-01-02");
  expect(writes(mark)).toEqual([]);
});

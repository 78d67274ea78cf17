import { renderAdvisoryIssue } from "../../src/advisory/render.js";
import { embedState, marker } from "../../src/state/markers.js";
import { dueNextMonth, planCheckin, summariseLastMonth } from "../../src/calendar/checkin.js";
import { checkinTitle, keepTicks, monthKey, monthName, readCheckin, renderCheckin, shiftMonth } from "../../src/calendar/render-checkin.js";
import type { ActivityEntry, TickAction } from "../../src/calendar/types.js";
import { parseConfig } from "../../src/config/load.js";
import { toPolicy } from "../../src/config/policy.js";
import type { Config } from "../../src/config/schema.js";
import { computeLines } from "../../src/engine/lines.js";
import type { ReleaseHistory } from "../../src/engine/types.js";
import type { GitHubPort } from "../../src/github/port.js";
import type { Issue, PullRequest } from "../../src/github/types.js";
import { history, wasmtime, wasmtimeRelease } from "../fixtures/policies.js";

/** Releases 20.0.0 … 42.0.0 on the 20th of their nominal month, each with its `release-<v>.0.0` branch (cut day unknown). */
const fullHistory = (): ReleaseHistory => {
  const versions = Array.from({ length: 23 }, (_, i) => 20 + i);
  return history(versions.map((v) => wasmtimeRelease(v)), versions.map((v) => ({ name: `release-${v}.0.0` })));
};

const linesOn = (day: string) => computeLines(wasmtime(), fullHistory(), day);

function wasmtimeConfig(extra: Record<string, unknown> = {}): Config {
  const result = parseConfig({ preset: "wasmtime", ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** An in-memory repository: issues and PRs share one number sequence, as on GitHub. */
class FakeRepo {
  issues: Issue[] = [];
  pulls: PullRequest[] = [];
  /** Every write, for "nothing was written" checks. */
  writes: string[] = [];
  private next = 1;
  /** The instant new issues are created at. */
  now = "2025-11-01T06:00:00Z";

  number(): number {
    return this.next++;
  }

  addIssue(fields: Partial<Issue> & { title: string; body: string; createdAt: string }): Issue {
    const issue: Issue = {
      number: this.number(), author: "lts-steward[bot]", state: "open", labels: ["backport-tracking"], assignees: [], htmlUrl: "", isPullRequest: false, closedAt: null, ...fields,
    };
    this.issues.push(issue);
    return issue;
  }

  addPull(fields: { head: string; base: string; createdAt: string; merged?: boolean; state?: "open" | "closed" }): PullRequest {
    const merged = fields.merged ?? false;
    const pull: PullRequest = {
      number: this.number(), title: "a PR", body: null, state: merged ? "closed" : (fields.state ?? "open"), merged, mergedAt: null, mergeCommitSha: null,
      mergedBy: null, author: "someone", head: { ref: fields.head, sha: "h" }, base: { ref: fields.base, sha: "b" }, labels: [], draft: false, requestedReviewers: [], htmlUrl: "", milestone: null,
      updatedAt: fields.createdAt, createdAt: fields.createdAt,
    };
    this.pulls.push(pull);
    return pull;
  }

  issue(number: number): Issue {
    const found = this.issues.find((i) => i.number === number);
    if (!found) throw new Error(`no issue #${number}`);
    return found;
  }

  port(): GitHubPort {
    const calls: Partial<GitHubPort> = {
      owner: "bytecodealliance",
      repo: "wasmtime",
      botLogin: "lts-steward[bot]",
      listIssues: async ({ labels, state }) =>
        this.issues
          .filter((i) => labels.every((l) => i.labels.includes(l)) && (state === "all" || i.state === state))
          .sort((a, b) => b.number - a.number)
          .map((i) => ({ ...i })),
      createIssue: async ({ title, body, labels = [], assignees = [] }) => {
        this.writes.push(`create ${title}`);
        return { ...this.addIssue({ title, body, labels, assignees, createdAt: this.now }) };
      },
      updateIssue: async ({ number, title, body, state }) => {
        this.writes.push(`update #${number}`);
        const issue = this.issue(number);
        if (title !== undefined) issue.title = title;
        if (body !== undefined) issue.body = body;
        if (state !== undefined) {
          issue.state = state;
          issue.closedAt = state === "closed" ? this.now : null;
        }
        return { ...issue };
      },
      listPullsCreatedSince: async (since) =>
        this.pulls.filter((p) => p.createdAt >= since).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((p) => ({ ...p })),
    };
    return new Proxy(calls, {
      get(target, name) {
        if (name in target) return target[name as keyof GitHubPort];
        return () => {
          throw new Error(`the fake port does not implement ${String(name)}`);
        };
      },
    }) as GitHubPort;
  }
}

const apply = async (actions: TickAction[]) => {
  for (const action of actions) await action.apply();
};

const entry = (on: string, kind: ActivityEntry["kind"], subject: string, detail: string): ActivityEntry => ({ on, kind, subject, detail });

const tick = (repo: FakeRepo, today: string, activity: ActivityEntry[] = [], config = wasmtimeConfig()) =>
  planCheckin(repo.port(), { config, policy: toPolicy(config), today, lines: linesOn(today), activity });

const OCTOBER_ACTIVITY = [
  entry("2025-10-05", "cut", "release-39.0.0", "cut from main"),
  entry("2025-10-06", "dispatch", "release-24.0.0", "main.yml"),
  entry("2025-10-06", "dispatch", "release-36.0.0", "main.yml"),
  entry("2025-10-13", "dispatch-failed", "release-24.0.0", "workflow main.yml not found"),
];

/** October's check-in (open), and what the App did in October: backport PRs, a conflict issue, an advisory. */
function octoberRepo(): { repo: FakeRepo; october: Issue } {
  const repo = new FakeRepo();
  repo.addIssue({ title: "Backports to release-36.0.0 (36.0.x)", body: "an unrelated tracking issue", createdAt: "2025-09-30T10:00:00Z" });
  const october = repo.addIssue({
    title: checkinTitle("2025-10"),
    createdAt: "2025-10-01T06:00:00Z",
    body: renderCheckin({
      month: "2025-10",
      lastMonth: { month: "2025-09", cuts: [], backportPulls: [], conflicts: [], advisories: [], dispatches: [], endsOfSupport: [], errors: [] },
      due: dueNextMonth(linesOn("2025-10-01"), "2025-10-01"),
      activity: OCTOBER_ACTIVITY,
    }),
  });
  repo.addPull({ head: "lts-steward/backport/pr-123/release-38.0.0", base: "release-38.0.0", createdAt: "2025-10-14T09:00:00Z", merged: true });
  repo.addPull({ head: "lts-steward/backport/pr-123/release-36.0.0", base: "release-36.0.0", createdAt: "2025-10-14T09:01:00Z" });
  repo.addPull({ head: "someone/feature", base: "main", createdAt: "2025-10-15T09:00:00Z" });
  repo.addPull({ head: "lts-steward/backport/pr-8/release-39.0.0", base: "release-39.0.0", createdAt: "2025-09-30T23:59:59Z" });
  repo.addIssue({
    title: "Backport #123 to release-24.0.0 needs a hand: Fix a miscompile",
    createdAt: "2025-10-14T09:02:00Z",
    body: [marker("conflict", "pr-123/release-24.0.0"), "Does not cherry-pick cleanly.", embedState({ version: 1, source: 123, branch: "release-24.0.0", line: "24.0.x" })].join("\n\n"),
  });
  const advisory = renderAdvisoryIssue({
    ghsaId: "GHSA-abcd-efgh-ijkl", cveId: null, summary: "Out-of-bounds read", advisoryUrl: null, ranges: ["<39.0.1"], assessedOn: "2025-10-20",
    rows: [], unaffected: [], endOfSupport: [], fixes: [], withdrawn: false,
  });
  repo.addIssue({ ...advisory, createdAt: "2025-10-20T12:00:00Z" });
  return { repo, october };
}

const checkinOf = (repo: FakeRepo, month: string) => repo.issues.find((i) => i.title === checkinTitle(month));

describe("month helpers", () => {
  test("keys, names and titles", () => {
    expect(monthKey("2025-11-21")).toBe("2025-11");
    expect(monthName("2025-11")).toBe("November 2025");
    expect(checkinTitle("2025-11")).toBe("LTS automation check-in: November 2025");
    expect(shiftMonth("2025-01", -1)).toBe("2024-12");
    expect(shiftMonth("2025-12", 1)).toBe("2026-01");
  });
});

describe("planCheckin", () => {
  test("the first tick of a month opens its check-in and closes last month's", async () => {
    const { repo, october } = octoberRepo();
    const actions = await tick(repo, "2025-11-01");
    expect(actions.map((a) => [a.job, a.description])).toEqual([
      ["checkin", 'open the check-in issue "LTS automation check-in: November 2025"'],
      ["checkin", `close the check-in issue #${october.number} for October 2025: November 2025's takes over`],
    ]);
    await apply(actions);

    const november = checkinOf(repo, "2025-11");
    expect(november?.labels).toEqual(["backport-tracking"]);
    expect(november?.state).toBe("open");
    expect(repo.issue(october.number).state).toBe("closed");
    expect(readCheckin(november?.body ?? null)).toEqual({ version: 1, month: "2025-11", activity: [] });
  });

  test("last month's summary: the App's backport PRs of that month, its conflict and advisory issues, and the check-in's activity", async () => {
    const { repo } = octoberRepo();
    const summary = await summariseLastMonth(repo.port(), { config: wasmtimeConfig(), month: "2025-10", previousActivity: OCTOBER_ACTIVITY });
    expect(summary.backportPulls.map((p) => [p.target, p.state])).toEqual([
      ["release-38.0.0", "merged"],
      ["release-36.0.0", "open"],
    ]);
    expect(summary.conflicts.map((c) => [c.source, c.branch, c.state])).toEqual([[123, "release-24.0.0", "open"]]);
    expect(summary.advisories.map((a) => a.ghsaId)).toEqual(["GHSA-abcd-efgh-ijkl"]);
    expect(summary.cuts.map((c) => c.subject)).toEqual(["release-39.0.0"]);
    expect(summary.dispatches).toHaveLength(3);
    expect(summary.errors).toEqual([]);
  });

  test("a second tick the same day plans nothing", async () => {
    const { repo } = octoberRepo();
    await apply(await tick(repo, "2025-11-01"));
    const writes = repo.writes.length;
    expect(await tick(repo, "2025-11-01")).toEqual([]);
    expect(repo.writes).toHaveLength(writes);
  });

  test("a new activity entry plans one update that adds it; the same entry again plans nothing", async () => {
    const { repo } = octoberRepo();
    await apply(await tick(repo, "2025-11-01"));
    const november = checkinOf(repo, "2025-11");
    const cut = entry("2025-11-05", "cut", "release-40.0.0", "cut from main");

    const actions = await tick(repo, "2025-11-05", [cut]);
    expect(actions.map((a) => a.description)).toEqual([`update the check-in issue #${november?.number} for November 2025: 1 new activity entry`]);
    await apply(actions);
    expect(november?.body).toContain("- 2025-11-05 branch cut `release-40.0.0`: cut from main");
    expect(readCheckin(november?.body ?? null)?.activity).toEqual([cut]);

    expect(await tick(repo, "2025-11-05", [cut])).toEqual([]);
    expect(await tick(repo, "2025-11-05", [cut, { ...cut }])).toEqual([]);
  });

  test("boxes the maintainers ticked stay ticked and are no reason to write", async () => {
    const { repo } = octoberRepo();
    await apply(await tick(repo, "2025-11-01"));
    const november = checkinOf(repo, "2025-11") as Issue;
    november.body = (november.body ?? "").replace("- [ ] Confirm the next release", "- [x] Confirm the next release").replace(/\n/g, "\r\n");
    expect(await tick(repo, "2025-11-01")).toEqual([]);

    await apply(await tick(repo, "2025-11-03", [entry("2025-11-03", "dispatch", "release-36.0.0", "main.yml")]));
    expect(november.body).toContain("- [x] Confirm the next release");
    expect(november.body).toContain("- 2025-11-03 CI dispatched `release-36.0.0`: main.yml");
  });

  test("nothing at all, not even a read, when the check-in is turned off", async () => {
    const config = wasmtimeConfig({ automation: { checkin: false } });
    const noCalls = {} as GitHubPort; // any call would throw a TypeError
    expect(await planCheckin(noCalls, { config, policy: toPolicy(config), today: "2025-11-01", lines: linesOn("2025-11-01"), activity: [] })).toEqual([]);
  });

  test("the rendered check-in", async () => {
    const { repo } = octoberRepo();
    await apply(await tick(repo, "2025-11-01", [entry("2025-11-01", "error", "schedule", "GitHub said 502 <Bad Gateway>")]));
    const body = (checkinOf(repo, "2025-11")?.body ?? "").replace(/<!-- lts-steward:state \S+ -->/, "<!-- state -->");
    expect(body).toMatchInlineSnapshot(`
"<!-- lts-steward:checkin 2025-11 -->

lts-steward's check-in for November 2025: what it did in October 2025, what is due in December 2025, and what the maintainers should look at. It updates this issue as the month goes on and closes it when the next one opens.

### Last month (October 2025)

- Branch cuts: 1
  - 2025-10-05 branch cut \`release-39.0.0\`: cut from main
- Backport PRs opened: 2
  - #3 into \`release-38.0.0\` (merged)
  - #4 into \`release-36.0.0\` (open)
- Conflicts that needed a person: 1
  - #7: backport of #123 onto \`release-24.0.0\` (open)
- Advisories tracked: 1
  - GHSA-abcd-efgh-ijkl (#8)
- CI dispatches: 3, 1 failed
  - 2025-10-13 CI dispatch failed \`release-24.0.0\`: workflow main.yml not found
- Errors: none

### Due in December 2025

- Branch cuts: \`release-40.0.0\` on 2025-12-05
- Releases: 40.0.0 on 2025-12-20
- Ends of support: 38.0.x (\`release-38.0.0\`) on 2025-12-20
- Next LTS line: 48.0.x (\`release-48.0.0\`), nominal release 2026-08-20

### Checklist

- [ ] Review the backport PR still open from last month: #4
- [ ] Finish the conflict issue still open from last month: #7
- [ ] Check the LTS CI results on the dispatched branches: \`release-24.0.0\`, \`release-36.0.0\`
- [ ] Confirm the next release: 39.0.0 on 2025-11-20 (nominal cut of \`release-39.0.0\`: 2025-11-05)
- [ ] Confirm the lts-steward automation runs: this issue opening on time says it ran; "This month so far" below grows as it works

### This month so far

- 2025-11-01 error \`schedule\`: GitHub said 502 &lt;Bad Gateway>

<!-- state -->"
`);
  });
});

describe("dueNextMonth", () => {
  test("on 2025-11-21: December's cut, release and end of support, and the next LTS line", () => {
    const due = dueNextMonth(linesOn("2025-11-21"), "2025-11-21", wasmtime());
    expect(due.month).toBe("2025-12");
    expect(due.cuts.map((c) => [c.branch, c.date])).toEqual([["release-40.0.0", "2025-12-05"]]);
    expect(due.releases.map((r) => [r.version, r.date])).toEqual([["40.0.0", "2025-12-20"]]);
    expect(due.endsOfSupport.map((e) => [e.line, e.branch, e.date, e.projected])).toEqual([["38", "release-38.0.0", "2025-12-20", false]]);
    // 48 is 28 lines after 20 (2024-04-20): 2026-08-20, the date the engine gives 48 once it projects that far.
    expect(due.nextLts).toEqual({ line: "48", label: "48.0.x", branch: "release-48.0.0", nominalRelease: "2026-08-20" });
    const engine48 = computeLines(wasmtime(), history(Array.from({ length: 28 }, (_, i) => wasmtimeRelease(20 + i))), "2026-07-21").find((l) => l.line === "48");
    expect([engine48?.kind, engine48?.nominalRelease]).toEqual(["lts", "2026-08-20"]);
    expect(due.nextRelease).toMatchObject({ version: "40.0.0", date: "2025-12-20", cut: "2025-12-05" });
  });

  test("on the 1st of the month, next month's cut and release come from the calendar: the engine lists only up to the next cut", () => {
    const lines = linesOn("2025-11-01");
    expect(lines.map((l) => l.line)).not.toContain("40");
    const due = dueNextMonth(lines, "2025-11-01", wasmtime());
    expect(due.cuts.map((c) => [c.branch, c.date, c.kind])).toEqual([["release-40.0.0", "2025-12-05", "regular"]]);
    expect(due.releases.map((r) => [r.version, r.date])).toEqual([["40.0.0", "2025-12-20"]]);
    expect(due.nextRelease).toMatchObject({ version: "39.0.0", date: "2025-11-20" });
    expect(due.nextLts?.line).toBe("48");
  });

  test("without the policy, the next LTS line is only found among the lines the engine lists", () => {
    expect(dueNextMonth(linesOn("2025-11-21"), "2025-11-21").nextLts).toBeNull();
  });

  test("on 2025-12-31 it looks at January 2026", () => {
    const due = dueNextMonth(linesOn("2025-12-31"), "2025-12-31", wasmtime());
    expect(due.month).toBe("2026-01");
    expect(due.cuts.map((c) => [c.branch, c.date])).toEqual([["release-41.0.0", "2026-01-05"]]);
    expect(due.endsOfSupport.map((e) => [e.line, e.date])).toEqual([["39", "2026-01-20"]]);
  });
});

describe("keepTicks", () => {
  test("ticks only the items whose text is unchanged", () => {
    expect(keepTicks("- [ ] a\n- [ ] b 2", "- [x] a\n- [X] b 1")).toBe("- [x] a\n- [ ] b 2");
  });
});

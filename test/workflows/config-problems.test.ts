/**
 * A config that does not validate is answered where people look (src/workflows/config-problems.ts): a merged
 * PR that asked for backports gets one comment, the daily tick keeps one issue open while the file is broken.
 */
import type { ConfigProblem } from "../../src/config/load.js";
import type { Log } from "../../src/log.js";
import type { JobEnv } from "../../src/runtime/jobs.js";
import { hasMarker } from "../../src/state/markers.js";
import { trackConfigProblems } from "../../src/workflows/config-problems.js";
import { pullClosed, pullLabeled } from "../../src/workflows/pull-request.js";
import { configOf, TABLE_FIXED, TABLE_RS, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const problems: ConfigProblem[] = [{ path: "support.regular", message: "expected a duration like \"2 months\"" }];

function setup() {
  const { fake } = wasmtimeRepo();
  const noop = () => undefined;
  const log = { debug: noop, info: noop, warn: noop, error: noop, child: () => log } as unknown as Log;
  const env: JobEnv = { port: fake, config: async () => ({ status: "invalid", problems }), today: "2025-12-10", log, skipped: noop };
  return { fake, env };
}

const own = <T extends { author: string; body: string | null }>(fake: { botLogin: string }, items: T[], key: string) =>
  items.filter((i) => i.author === fake.botLogin && hasMarker(i.body, "config-problems", key));

test("a merged PR labelled backport:lts under a broken config gets one comment naming the problem, kept, never repeated", async () => {
  const { fake, env } = setup();
  const pr = fake.plantMergedPull({ title: "Fix table.copy", author: "alex", mergedBy: "sam", files: { [TABLE_RS]: TABLE_FIXED }, labels: ["backport:lts", "area:wasi"] });
  const closed = { number: pr.number, url: pr.htmlUrl, merged: true, headRef: "fix", baseRef: "main", defaultBranch: "main" };
  await pullClosed(env, closed);
  const comments = own(fake, fake.commentsOn(pr.number), `pr-${pr.number}`);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain("`backport:lts` is on hold");
  expect(comments[0]!.body).toContain("`support.regular`: expected a duration");
  fake.clearLog();
  await pullClosed(env, closed);
  await pullLabeled(env, { number: pr.number, label: "backport:lts", defaultBranch: "main" });
  expect(fake.writes()).toEqual([]);
  // No new backport PR, of course.
  expect(fake.allPulls().filter((p) => p.author === fake.botLogin)).toEqual([]);
});

test("a merged PR without a request, or a PR closed unmerged, gets nothing", async () => {
  const { fake, env } = setup();
  const pr = fake.plantMergedPull({ title: "Docs", author: "alex", files: { "README.md": "x\n" }, labels: ["area:docs"] });
  await pullClosed(env, { number: pr.number, url: pr.htmlUrl, merged: true, headRef: "docs", baseRef: "main", defaultBranch: "main" });
  await pullClosed(env, { number: pr.number, url: pr.htmlUrl, merged: false, headRef: "docs", baseRef: "main", defaultBranch: "main" });
  await pullLabeled(env, { number: pr.number, label: "area:docs", defaultBranch: "main" });
  expect(fake.writes()).toEqual([]);
});

test("the daily tick: one issue while the config is broken, closed once it reads, opened again if it breaks again", async () => {
  const { fake } = setup();
  const issues = () => own(fake, fake.allIssues(), "repository");
  await trackConfigProblems(fake, { problems });
  expect(issues().map((i) => [i.title, i.state])).toEqual([["lts-steward cannot read its config", "open"]]);
  expect(issues()[0]!.body).toContain("`support.regular`");
  fake.clearLog();
  await trackConfigProblems(fake, { problems });
  expect(fake.writes()).toEqual([]);
  await trackConfigProblems(fake, { problems: null, config: configOf({ preset: "wasmtime" }) });
  expect(issues().map((i) => i.state)).toEqual(["closed"]);
  fake.clearLog();
  await trackConfigProblems(fake, { problems: null, config: configOf({ preset: "wasmtime" }) });
  expect(fake.writes()).toEqual([]);
  await trackConfigProblems(fake, { problems: [{ path: "calendar.cutDay", message: "too big" }] });
  expect(issues().map((i) => i.state)).toEqual(["open"]);
  expect(issues()[0]!.body).toContain("`calendar.cutDay`");
});

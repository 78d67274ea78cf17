/**
 * End to end, on 2025-11-21: a PR that changes `.github/lts-steward.yml` gets one `lts-steward config` check
 * run on its head — failing with the problems by path, or passing with the support table — and a PR that
 * does not touch the file gets none.
 */
import { CONFIG_CHECK_NAME } from "../../src/workflows/config-check.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { CheckRunRecord, RepoRecord } from "../../sandbox/state/types.js";
import { SLOW, startHarness, type Harness } from "../backport/harness.js";

const people = WASMTIME_PEOPLE;
const CONFIG = ".github/lts-steward.yml";
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-21" });
  repo = h.repo;
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

const runsOn = (sha: string): CheckRunRecord[] => [...repo.checkRuns.values()].filter((r) => r.headSha === sha);

/** A branch with one commit changing `files`, its PR, and the `opened` webhook delivered; returns the PR and its head. */
async function openAndDeliver(branch: string, files: Record<string, string | null>) {
  const sha = await h.sandbox.scenario.commit({ repo, branch, message: `Change ${Object.keys(files).join(", ")}\n`, files, author: people.maintainer });
  const { issue } = await h.sandbox.scenario.openPull({ repo, head: branch, title: `Change on ${branch}`, author: people.maintainer });
  const event = await h.driver.pullRequest({ repo, number: issue.number, action: "opened", sender: people.maintainer });
  expect(await h.deliver(event)).toBeLessThan(300);
  return { number: issue.number, sha, event };
}

test("a misspelt key fails the check, naming the key's path; re-delivery adds no second run", async () => {
  const { sha, event } = await openAndDeliver("config-typo", { [CONFIG]: "preset: wasmtime\nbackprot:\n  label: x\n" });
  const runs = runsOn(sha);
  expect(runs).toHaveLength(1);
  const [run] = runs;
  expect(run!.name).toBe(CONFIG_CHECK_NAME);
  expect(run!.status).toBe("completed");
  expect(run!.conclusion).toBe("failure");
  expect(run!.output.title).toBe(`1 problem in ${CONFIG}`);
  expect(run!.output.summary).toContain("`backprot`: unknown key");

  // GitHub re-delivering the same event (same delivery id) is dropped before any work.
  const delivery = h.driver.deliveries.at(-1)!;
  await h.deliver(event, { deliveryId: delivery.deliveryId });
  expect(runsOn(sha)).toHaveLength(1);
}, SLOW);

test("a valid change passes, with the support table for today", async () => {
  const config = "preset: wasmtime\nsupport:\n  overrides:\n    - { line: 37, extend: 1 month }\n";
  const { sha } = await openAndDeliver("config-extend-37", { [CONFIG]: config });
  const runs = runsOn(sha);
  expect(runs).toHaveLength(1);
  const run = runs[0]!;
  expect(run.name).toBe(CONFIG_CHECK_NAME);
  expect(run.conclusion).toBe("success");
  expect(run.output.title).toMatch(/^Valid: \d+ supported lines? today$/);
  expect(run.output.summary).toContain("| Line | Branch |");
  expect(run.output.summary).toContain("`release-39.0.0`");
  expect(run.output.summary).toContain("LTS");
  // The override keeps 37 supported a month past its usual end (it would have ended with 39's release).
  expect(run.output.summary).toMatch(/\| 37 \| `release-37\.0\.0` \| regular \|[^\n]*\| supported \|/);
  expect(run.output.summary).not.toContain("_extends");
}, SLOW);

test("a YAML syntax error is a whole-file problem, listed as (file)", async () => {
  const { sha } = await openAndDeliver("config-broken-yaml", { [CONFIG]: "preset: wasmtime\nsupport: [\n" });
  const [run] = runsOn(sha);
  expect(run?.conclusion).toBe("failure");
  expect(run?.output.summary).toMatch(/`\(file\)`: YAML: /);
}, SLOW);

test("_extends is noted as not followed by the check", async () => {
  const { sha } = await openAndDeliver("config-extends", { [CONFIG]: "_extends: .github\npreset: wasmtime\n" });
  const [run] = runsOn(sha);
  expect(run?.conclusion).toBe("success");
  expect(run?.output.summary).toMatch(/_extends: \.github`, which this check does not follow/);
}, SLOW);

test("deleting the file gets a neutral check saying the repository will no longer be managed", async () => {
  const { sha } = await openAndDeliver("config-delete", { [CONFIG]: null });
  const runs = runsOn(sha);
  expect(runs.map((r) => [r.name, r.conclusion])).toEqual([[CONFIG_CHECK_NAME, "neutral"]]);
  expect(runs[0]!.output.summary).toMatch(/no longer manage/);
}, SLOW);

test("a push to the PR checks the new head; a PR not touching the file gets no check run", async () => {
  const branch = "config-typo-fixed";
  const first = await openAndDeliver(branch, { [CONFIG]: "preset: wasmtime\nbackprot: {}\n" });
  expect(runsOn(first.sha).map((r) => r.conclusion)).toEqual(["failure"]);
  const fixed = await h.sandbox.scenario.commit({ repo, branch, message: "Fix the typo\n", files: { [CONFIG]: "preset: wasmtime\nbackport: {}\n" }, author: people.maintainer });
  const pushed = await h.driver.pullRequest({ repo, number: first.number, action: "synchronize", before: first.sha, sender: people.maintainer });
  expect(pushed.payload).toMatchObject({ before: first.sha, after: fixed });
  await h.deliver(pushed);
  expect(runsOn(fixed).map((r) => r.conclusion)).toEqual(["success"]);

  const before = repo.checkRuns.size;
  const other = await openAndDeliver("docs-only", { "docs/unrelated.md": "nothing to do with the config\n" });
  expect(runsOn(other.sha)).toEqual([]);
  expect(repo.checkRuns.size).toBe(before);
}, SLOW);

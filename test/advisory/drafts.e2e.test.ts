/**
 * Draft advisories, opt-in (`advisories.drafts: suggest`), end to end: the real App's daily tick against the
 * sandbox on the Wasmtime-like history on 2025-11-10 (latest 36.0.2 and 38.0.0). Empty patched versions of a
 * draft are filled from the engine; the only write is the advisory edit; nothing public and no log line names
 * the draft or repeats what it says.
 */
import { runApp } from "../../sandbox/run-app.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { SLOW, startHarness, type Harness } from "../backport/harness.js";

const people = WASMTIME_PEOPLE;
const TOKEN = "apps/create-installation-access-token";
const GHSA = "GHSA-d7d7-d7d7-d7d7";
const SECRET = "Sandbox escape through the pooling allocator";
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-10" });
  repo = h.repo;
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

const everythingPublic = () => JSON.stringify([
  [...repo.issues.values()].map((i) => [i.title, i.body]),
  [...repo.comments.values()].map((c) => c.body),
  [...repo.pulls.values()].map((p) => p.headRef),
]);

test("a draft's empty patched versions are filled by the daily tick, a declared one is left alone; the call log shows only the advisory edit and no log line names the draft", async () => {
  h.sandbox.scenario.advisory({
    repo, ghsaId: GHSA, state: "draft", summary: SECRET, by: people.maintainer,
    vulnerabilities: [
      { name: "wasmtime", ecosystem: "rust", vulnerable: ">= 36.0.0, < 36.0.3" },
      { name: "wasmtime", ecosystem: "rust", vulnerable: ">= 38.0.0, < 38.0.1" },
      { name: "wasmtime", ecosystem: "rust", vulnerable: ">= 24.0.0, < 24.0.9", patched: "24.0.9" },
    ],
  });
  // With drafts off (the default) the tick does its usual work and leaves the draft alone.
  await h.tick();
  expect(repo.advisories.get(GHSA)!.vulnerabilities.map((v) => v.patchedVersions)).toEqual([null, null, "24.0.9"]);

  await h.sandbox.scenario.commit({ repo, branch: "main", message: "Suggest patched versions for drafts", files: { ".github/lts-steward.yml": "preset: wasmtime\nadvisories:\n  drafts: suggest\n" }, author: people.maintainer });
  // The next day's tick (a day's tick runs once).
  h.today.value = "2025-11-11";
  const mark = h.sandbox.log.mark();
  await h.tick();
  expect(repo.advisories.get(GHSA)!.vulnerabilities.map((v) => v.patchedVersions)).toEqual(["36.0.3", "38.0.1", "24.0.9"]);
  expect(repo.advisories.get(GHSA)!.state).toBe("draft");
  expect(h.sandbox.log.writes(mark).filter((c) => c.operationId !== TOKEN).map((c) => c.operationId)).toEqual(["security-advisories/update-repository-advisory"]);

  // Filled once: the next tick leaves it as it is.
  h.today.value = "2025-11-12";
  const again = h.sandbox.log.mark();
  await h.tick();
  expect(h.sandbox.log.writes(again).filter((c) => c.operationId !== TOKEN)).toEqual([]);

  const logs = JSON.stringify(h.logs);
  for (const secret of [GHSA, GHSA.toLowerCase(), SECRET, "36.0.0, < 36.0.3"]) {
    expect(logs).not.toContain(secret);
    expect(everythingPublic()).not.toContain(secret);
  }
}, SLOW);

test("at debug level too, no log line names a draft (requests are logged by route, not by path)", async () => {
  const ghsa = "GHSA-e8e8-e8e8-e8e8";
  h.sandbox.scenario.advisory({ repo, ghsaId: ghsa, state: "draft", summary: SECRET, by: people.maintainer, vulnerabilities: [{ name: "wasmtime", ecosystem: "rust", vulnerable: ">= 38.0.0, < 38.0.1" }] });
  const app = await runApp(h.sandbox, { today: "2025-11-13", logLevel: "trace" });
  try {
    await app.tick();
    expect(repo.advisories.get(ghsa)!.vulnerabilities.map((v) => v.patchedVersions)).toEqual(["38.0.1"]);
    expect(app.logs.length).toBeGreaterThan(10);
    const logs = JSON.stringify(app.logs);
    for (const secret of [ghsa, ghsa.toLowerCase(), SECRET]) expect(logs).not.toContain(secret);
  } finally {
    await app.stop();
  }
}, SLOW);

/**
 * The CLI on a clone shaped like a large project's (bench/large-clone.ts: 10,000 refs, a default branch that
 * moves daily, monthly branches cut on the 5th, some late or early): cut dates exact, and a stale-history
 * warning when the newest tag is months old. Query times are measured by `bench/cli.bench.ts`, not here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGitHistory } from "../../src/cli/git-history.js";
import { runCli } from "../../src/cli/main.js";
import { toPolicy } from "../../src/config/policy.js";
import { nominalCutOf } from "../../src/engine/lines.js";
import { Naming } from "../../src/engine/naming.js";
import { generateLargeClone, type LargeClone } from "../../bench/large-clone.js";
import { configOf } from "../helpers/wasmtime-repo.js";

let dir: string;
let clone: LargeClone;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lts-steward-large-clone-"));
  clone = generateLargeClone({ dir: join(dir, "clone.git") });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, "--preset", "wasmtime", "--repo", clone.dir], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, today: "2026-12-03" });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

test("the clone has 10,000 refs and the cut days of 41 lines, some late or early", () => {
  expect(clone.refs).toBe(10_000);
  expect(clone.cuts.size).toBe(41);
  expect([...clone.cuts.values()].filter((d) => !d.endsWith("-05")).length).toBeGreaterThanOrEqual(6);
});

test("every branch's cut day is the real one, whether the cut was on the nominal day, later or earlier", async () => {
  const policy = toPolicy(configOf({ preset: "wasmtime" }));
  const naming = new Naming(policy.granularity, policy.branchPattern, policy.tagPattern);
  const history = await readGitHistory({
    repo: clone.dir, naming,
    nominalCut: nominalCutOf(policy, naming),
  });
  expect(Object.fromEntries(history.branches.map((b) => [b.name, b.createdAt]))).toEqual(Object.fromEntries(clone.cuts));
});

test("the day before a cut the line is not a target; on its cut day it is, dated that day", async () => {
  const before = await cli(["targets", "security", "--on", "2025-12-04"]);
  expect(before.stdout).not.toContain("release-40.0.0");
  const on = await cli(["targets", "security", "--on", "2025-12-05"]);
  expect(on.stdout).toContain("release-40.0.0  regular  next 40.0.0   security: upcoming line: branch cut 2025-12-05");
  expect(on.stderr).toBe("");
});

test("months after the newest tag: the answer comes with a warning naming the lines due since, the newest release and how to fetch", async () => {
  const r = await cli(["targets", "security", "--on", "2026-12-03"]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`its newest release is 48.0.0 (${clone.newestTag})`);
  expect(r.stderr).toContain("49.0.0, 50.0.0 and 51.0.0 were due by 2026-11-20");
  expect(r.stderr).toContain("git fetch --tags origin");
});

/**
 * CLI queries on a large project's clone (issue 17): a generated bare repository of 10,000 refs shaped like
 * Wasmtime's (bench/large-clone.ts), asked `schedule`, `targets security` and `affected` on several days, in
 * process (the query itself) and as a fresh `node bin/lts-steward.js` process after `npm run build` (what a
 * person waits for, start-up included). Also checks the cut dates against the real ones. Fails (exit code 1)
 * when a query in process takes more than 1 s at the median or a cut date is wrong.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { readGitHistory } from "../src/cli/git-history.js";
import { runCli } from "../src/cli/main.js";
import { toPolicy } from "../src/config/policy.js";
import { parseConfig } from "../src/config/load.js";
import { nominalCutOf } from "../src/engine/lines.js";
import { Naming } from "../src/engine/naming.js";
import { generateLargeClone } from "./large-clone.js";
import { describeMachine, emit, headline, markdownTable, percentile, textTable } from "./report.js";

const BOUND_MS = 1000;
const RUNS = 5;
// The CLI as people run it: compiled.
const build = spawnSync("npm", ["run", "build", "--silent"], { encoding: "utf8" });
if (build.status !== 0) throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);
const dir = mkdtempSync(join(tmpdir(), "lts-steward-cli-bench-"));
try {
  const started = performance.now();
  const clone = generateLargeClone({ dir: join(dir, "clone.git") });
  const generatedMs = performance.now() - started;
  const parsed = parseConfig({ preset: "wasmtime" });
  if (!parsed.ok) throw new Error("the wasmtime preset does not parse");
  const policy = toPolicy(parsed.config);
  const naming = new Naming(policy.granularity, policy.branchPattern, policy.tagPattern);
  const history = await readGitHistory({
    repo: clone.dir, naming,
    nominalCut: nominalCutOf(policy, naming),
  });
  const wrongCuts = history.branches.filter((b) => clone.cuts.get(b.name) !== b.createdAt);

  const queries: { name: string; args: string[] }[] = [
    { name: "targets security (2025-12-04)", args: ["targets", "security", "--on", "2025-12-04"] },
    { name: "targets security (2026-08-20)", args: ["targets", "security", "--on", "2026-08-20"] },
    { name: "schedule (2026-03-01)", args: ["schedule", "--on", "2026-03-01"] },
    { name: "affected (2026-05-01)", args: ["affected", "--range", ">= 36.0.0, < 36.0.9", "--on", "2026-05-01"] },
  ];
  const rows: { name: string; inProcess: number[]; process: number }[] = [];
  for (const query of queries) {
    const args = [...query.args, "--preset", "wasmtime", "--repo", clone.dir];
    const inProcess: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const code = await runCli(args, { stdout: () => {}, stderr: () => {}, cwd: dir, today: "2026-12-03" });
      inProcess.push(performance.now() - t);
      if (code !== 0) throw new Error(`${query.name} exited ${code}`);
    }
    const t = performance.now();
    const child = spawnSync(process.execPath, [join(process.cwd(), "bin/lts-steward.js"), ...args], { encoding: "utf8" });
    const processMs = performance.now() - t;
    if (child.status !== 0) throw new Error(`${query.name} as a process exited ${child.status}: ${child.stderr}`);
    rows.push({ name: query.name, inProcess, process: processMs });
  }
  const medians = rows.map((r) => percentile(r.inProcess, 50));
  const ok = wrongCuts.length === 0 && medians.every((m) => m <= BOUND_MS);
  const header = ["query", "in process, median", "in process, max", "node bin/lts-steward.js (start-up included)"];
  const cells = rows.map((r, i) => [r.name, `${Math.round(medians[i]!)} ms`, `${Math.round(Math.max(...r.inProcess))} ms`, `${Math.round(r.process)} ms`]);
  console.log(`clone: ${clone.refs} refs, ${clone.tags} release tags, ${history.branches.length} release branches, generated in ${(generatedMs / 1000).toFixed(1)} s`);
  console.log(textTable(header, cells));
  console.log(`cut dates: ${history.branches.length - wrongCuts.length} of ${history.branches.length} exact${wrongCuts.length ? ` (wrong: ${wrongCuts.map((b) => `${b.name} ${b.createdAt} vs ${clone.cuts.get(b.name)}`).join(", ")})` : ""}`);
  console.log(`verdict: ${ok ? "ok" : "FAILED"}`);
  headline(`CLI on a 10,000-ref clone: ${Math.round(Math.max(...medians))} ms per query at most (median of ${RUNS}, bound ${BOUND_MS} ms), cut dates ${history.branches.length - wrongCuts.length}/${history.branches.length} exact`);
  emit([
    "## CLI queries on a large clone",
    "",
    describeMachine(),
    "",
    `A generated bare clone (bench/large-clone.ts): ${clone.refs} refs (${clone.tags} release tags, ${history.branches.length} release branches cut on the 5th, ` +
      "some late or early, from a default branch with a commit every day; the rest pull request heads and nightly tags), packed refs.",
    "",
    markdownTable(header, cells),
    "",
    `Cut dates: ${history.branches.length - wrongCuts.length} of ${history.branches.length} exact. Verdict: **${ok ? "ok" : "FAILED"}**.`,
  ].join("\n"));
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

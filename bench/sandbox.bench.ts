/**
 * Sandbox benchmark: how long starting a sandbox and seeding the Wasmtime-like history takes (the target is
 * under 2 s on the development machine), what one REST call costs through it (p50/p99 of a read, a git
 * read and a write, over real HTTP), and the wall time of one cherry-pick done the App's way through the API.
 *
 * Run with `npm run bench` (all benches, writes docs/benchmarks.md) or `npx tsx bench/sandbox.bench.ts`.
 */
import { performance } from "node:perf_hooks";
import { Sandbox } from "../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../sandbox/seed/seed-sandbox.js";
import { describeMachine, emit, headline, markdownTable, percentile } from "./report.js";

const SEED_RUNS = 5;
const CALLS = 200;
const THROUGH = "2025-12-10";
const SEED_BUDGET_MS = 2000;

const median = (values: number[]) => percentile(values, 50);

async function timeSeeding(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SEED_RUNS; i++) {
    const started = performance.now();
    const sandbox = await Sandbox.start();
    await sandbox.seedWasmtime({ through: THROUGH });
    times.push(performance.now() - started);
    await sandbox.stop();
  }
  return times;
}

async function timeCalls(call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times;
}

async function main(): Promise<void> {
  process.stdout.write(`Sandbox benchmark on ${describeMachine()}\n\n`);
  const seeding = await timeSeeding();
  const seedMedian = median(seeding);
  process.stdout.write(`Start + seed Wasmtime-like history through ${THROUGH}: median ${seedMedian.toFixed(0)} ms, max ${Math.max(...seeding).toFixed(0)} ms over ${SEED_RUNS} runs (budget ${SEED_BUDGET_MS} ms)\n`);

  const sandbox = await Sandbox.start({ checkResponses: false });
  const { repo, history } = await sandbox.seedWasmtime({ through: THROUGH });
  const octokit = await sandbox.client({ installationOf: repo.owner.login });
  const params = { owner: repo.owner.login, repo: repo.name };
  const rows: [string, number[]][] = [
    ["repos/get (read)", await timeCalls(() => octokit.repos.get(params))],
    ["git/get-ref (git read)", await timeCalls(() => octokit.git.getRef({ ...params, ref: "heads/release-36.0.0" }))],
    ["issues/create (write)", await timeCalls(() => octokit.issues.create({ ...params, title: "bench" }))],
  ];
  process.stdout.write(`\nOne REST call over loopback HTTP (${CALLS} calls each, response checking off):\n`);
  for (const [name, times] of rows) {
    process.stdout.write(`  ${name.padEnd(24)} p50 ${percentile(times, 50).toFixed(2)} ms   p99 ${percentile(times, 99).toFixed(2)} ms\n`);
  }

  const fix = history.fixes.clean;
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch: "bench-fix", title: "bench fix", files: fix.files, author: WASMTIME_PEOPLE.committer });
  const sha = await sandbox.scenario.merge({ repo, number: issue.number, by: WASMTIME_PEOPLE.maintainer });
  const mark = sandbox.log.mark();
  const started = performance.now();
  const head = (await octokit.git.getRef({ ...params, ref: "heads/release-38.0.0" })).data.object.sha;
  const headTree = (await octokit.git.getCommit({ ...params, commit_sha: head })).data.tree.sha;
  const picked = (await octokit.git.getCommit({ ...params, commit_sha: sha })).data;
  const sibling = await octokit.git.createCommit({ ...params, message: "sibling", tree: headTree, parents: [picked.parents[0]!.sha] });
  await octokit.git.createRef({ ...params, ref: "refs/heads/bench-backport", sha: sibling.data.sha });
  const merged = await octokit.repos.merge({ ...params, base: "bench-backport", head: sha });
  const commit = await octokit.git.createCommit({ ...params, message: picked.message, tree: merged.data.commit.tree.sha, parents: [head] });
  await octokit.git.updateRef({ ...params, ref: "heads/bench-backport", sha: commit.data.sha, force: true });
  const elapsed = performance.now() - started;
  const counts = sandbox.log.counts(mark);
  process.stdout.write(`\nOne cherry-pick through the API (sibling, branch, merge, commit, force): ${elapsed.toFixed(0)} ms, ${counts.reads} reads + ${counts.writes} writes\n`);
  await sandbox.stop();

  headline(
    `Sandbox: start + seed in ${seedMedian.toFixed(0)} ms (budget ${SEED_BUDGET_MS} ms); a REST read ${percentile(rows[0]![1], 50).toFixed(1)} ms, ` +
      `a git read ${percentile(rows[1]![1], 50).toFixed(1)} ms, a write ${percentile(rows[2]![1], 50).toFixed(1)} ms (p50)`,
  );
  emit([
    "## The sandbox itself",
    "",
    "What the other figures stand on: the local GitHub (real bare git repositories behind a REST server, in the benchmark's process).",
    "",
    `- Start + seed the Wasmtime-like history through ${THROUGH}: median **${seedMedian.toFixed(0)} ms**, max ${Math.max(...seeding).toFixed(0)} ms over ${SEED_RUNS} runs (budget ${SEED_BUDGET_MS} ms).`,
    `- One cherry-pick done the App's way through the API (sibling commit, branch, merge, commit, force-update): ${elapsed.toFixed(0)} ms, ` +
      `${counts.reads} reads + ${counts.writes} writes (${Object.entries(counts.byOperation).map(([op, n]) => `${op}×${n}`).join(", ")}).`,
    "",
    `One REST call over loopback HTTP, ${CALLS} calls each, response checking off:`,
    "",
    markdownTable(["call", "p50 ms", "p99 ms"], rows.map(([name, times]) => [name, percentile(times, 50).toFixed(2), percentile(times, 99).toFixed(2)])),
  ].join("\n"));

  if (seedMedian > SEED_BUDGET_MS) {
    process.stdout.write(`\nOVER BUDGET: seeding took ${seedMedian.toFixed(0)} ms\n`);
    process.exitCode = 1;
  }
}

await main();

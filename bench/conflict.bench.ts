/**
 * Conflict report cost (issue 16): the reads the real App makes to explain a conflict on an old line, counted
 * by the sandbox. The Wasmtime-like history on 2025-11-21; on main, a file every line has is renamed, changed
 * three times, then buried under N unrelated commits (N = 0, 300, 1,000); a fix to it is merged and asked for
 * on release-24.0.0 (cut in 2024), where it conflicts. Reported per N: the job's reads by operation, the
 * reads the diagnosis made (compare, commit files and renames, per-file history pages), and whether the
 * report still names the file as the line has it and the newest change it never got.
 *
 * Fails (exit code 1) when the diagnosis takes more reads than its bound or the report is wrong.
 * Run with `npm run bench` or `npx tsx bench/conflict.bench.ts`.
 */
import { performance } from "node:perf_hooks";
import { readSummary } from "../src/backport/render.js";
import { runApp } from "../sandbox/run-app.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { WASMTIME_PEOPLE as people } from "../sandbox/seed/seed-sandbox.js";
import { byOperation, describeMachine, emit, headline, markdownTable, textTable } from "./report.js";

const DAY = "2025-11-21";
const TOKEN = "apps/create-installation-access-token";
const LEGACY = "crates/runtime/src/memory.rs";
const MODERN = "crates/runtime/src/linear_memory.rs";
/** Diagnosis reads at most: compare and the fix's files, then for one file two history lists of up to 3 pages, a commit and one more list. */
const BOUND = 2 + (3 + 3 + 1 + 3);
const DIAGNOSIS = new Set(["repos/compare-commits", "repos/get-commit", "repos/list-commits"]);

interface Row { buried: number; reads: number; diagnosis: number; byOperation: string; files: string; newest: string; ok: boolean; ms: number }

async function run(buried: number): Promise<Row> {
  const sandbox = await Sandbox.start({ now: () => new Date(`${DAY}T${new Date().toISOString().slice(11)}`) });
  try {
    const { repo } = await sandbox.seedWasmtime({ through: DAY });
    const git = sandbox.store.git(repo);
    const current = await git.readPath({ commit: (await git.readRef("refs/heads/main"))!, path: LEGACY });
    if (current?.kind !== "file") throw new Error(`${LEGACY} is not on main`);
    const text = current.content.toString("utf8");
    const commit = (message: string, files: Record<string, string | null>) => sandbox.scenario.commit({ repo, branch: "main", message, files, author: people.committer });
    await commit("Move linear memories to their own file (#880)", { [LEGACY]: null, [MODERN]: text });
    for (const change of ["A", "B", "C"]) await commit(`Memory change ${change}`, { [MODERN]: `${text}// change ${change}\n` });
    for (let i = 0; i < buried; i++) await commit(`Unrelated change ${i}`, { [`docs/noise/${i % 50}.md`]: `noise ${i}\n` });
    const app = await runApp(sandbox, { today: DAY });
    try {
      const { issue } = await sandbox.scenario.proposeFix({ repo, branch: "fix", title: "Fix linear memory growth", files: { [MODERN]: `${text}// fixed\n` }, author: people.committer, labels: ["backport:release-24.0.0"] });
      await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
      const mark = sandbox.log.mark();
      const started = performance.now();
      await app.driver.send(await app.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
      await app.idle();
      const ms = performance.now() - started;
      const reads = sandbox.log.since(mark).filter((c) => !c.write && c.operationId !== TOKEN);
      // The diagnosis's reads: the compare and commit reads after the merge attempt failed, and the history lists.
      const failedMerge = sandbox.log.since(mark).findIndex((c) => c.operationId === "repos/merge" && c.status === 409);
      const diagnosis = failedMerge < 0 ? [] : sandbox.log.since(mark + failedMerge + 1).filter((c) => !c.write && DIAGNOSIS.has(c.operationId ?? ""));
      const summary = [...repo.comments.values()].find((c) => c.issueNumber === issue.number && c.body.includes("lts-steward:summary"));
      const row = readSummary(summary?.body ?? null)?.rows[0];
      const outcome = row?.outcome.kind === "conflict" ? row.outcome : null;
      const files = outcome?.files.join(", ") ?? "no conflict";
      const newest = outcome?.missing.at(-1)?.title ?? "none";
      const ok = outcome !== null && files === LEGACY && newest === "Memory change C" && diagnosis.length <= BOUND;
      return { buried, reads: reads.length, diagnosis: diagnosis.length, byOperation: byOperation(diagnosis.map((c) => c.operationId)), files, newest, ok, ms };
    } finally {
      await app.stop();
    }
  } finally {
    await sandbox.stop();
  }
}

const rows: Row[] = [];
for (const buried of [0, 300, 1000]) rows.push(await run(buried));
const ok = rows.every((r) => r.ok);
const header = ["commits on main since", "job reads", "diagnosis reads", "diagnosis by operation", "file named", "newest missing change", "job time"];
const cells = rows.map((r) => [String(r.buried), String(r.reads), `${r.diagnosis} (bound ${BOUND})`, r.byOperation, r.files, r.newest, `${(r.ms / 1000).toFixed(1)} s`]);
console.log(textTable(header, cells));
console.log(`verdict: ${ok ? "ok" : "FAILED"}`);
headline(`Conflict report on a line cut in 2024: ${Math.max(...rows.map((r) => r.diagnosis))} diagnosis reads at most (bound ${BOUND}) whether 0 or 1,000 commits bury the change, the file named as the line has it after a rename, the newest missing change always listed`);
emit([
  "## Conflict report cost on old lines",
  "",
  describeMachine(),
  "",
  markdownTable(header, cells),
  "",
  `A file renamed on main (${LEGACY} → ${MODERN}), changed three times, then buried under N unrelated commits; a fix to it asked for on ` +
    "release-24.0.0 conflicts there. The diagnosis reads each conflicting file's own history on both sides since the fork (pages of 100, at most 3 a side), " +
    "so the count does not grow with N; the comparison's capped lists (250 commits, 300 files) are not used for it. " +
    `Verdict: **${ok ? "ok" : "FAILED"}**.`,
].join("\n"));
if (!ok) process.exitCode = 1;

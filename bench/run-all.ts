/**
 * `npm run bench`: runs every benchmark, each in its own process (its output streams through), then
 * writes docs/benchmarks.md from the sections and headline figures they report (bench/report.ts), with
 * the machine and the date. Exits non-zero if any benchmark failed (its section then says so).
 *
 *   tsx bench/run-all.ts                 all benches, writes docs/benchmarks.md
 *   tsx bench/run-all.ts --no-write      all benches, prints only
 *   tsx bench/run-all.ts webhooks ...    the named benches only (bench/<name>.bench.ts), prints only
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { describeMachine, machine, type ReportEntry } from "./report.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUTPUT = join(ROOT, "docs", "benchmarks.md");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** In the order of docs/benchmarks.md. */
const BENCHES: { name: string; title: string }[] = [
  { name: "github-cost", title: "GitHub cost" },
  { name: "webhooks", title: "Webhook answer time and throughput" },
  { name: "latency", title: "End-to-end time with slow GitHub" },
  { name: "engine", title: "Engine time per query against history size" },
  { name: "sandbox", title: "The sandbox itself" },
  { name: "intake", title: "Hostile intake: oversized webhooks, slow configs" },
  { name: "crash-recovery", title: "Crash recovery (SIGKILL after each write)" },
  { name: "queue", title: "Queue: redundant deliveries and memory" },
  { name: "replicas", title: "Replicas on Redis" },
  { name: "conflict", title: "Conflict report cost on old lines" },
  { name: "cli", title: "CLI queries on a large clone" },
];

interface Outcome {
  name: string;
  title: string;
  code: number;
  ms: number;
  entries: ReportEntry[];
}

function runBench(name: string, title: string, reportFile: string): Promise<Outcome> {
  const started = performance.now();
  process.stdout.write(`\n=== bench/${name}.bench.ts ===\n`);
  const child = spawn(TSX, [join("bench", `${name}.bench.ts`)], { cwd: ROOT, stdio: "inherit", env: { ...process.env, BENCH_REPORT: reportFile } });
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("exit", (code, signal) => {
      let entries: ReportEntry[] = [];
      try {
        entries = readFileSync(reportFile, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as ReportEntry);
      } catch {
        // No report: the bench failed before emitting; its section says so.
      }
      done({ name, title, code: code ?? (signal ? 128 : 1), ms: performance.now() - started, entries });
    });
  });
}

function render(outcomes: Outcome[], totalMs: number): string {
  const m = machine();
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  const headlines = outcomes.flatMap((o) => o.entries.filter((e) => e.kind === "headline").map((e) => `- ${e.markdown}.`));
  const failed = outcomes.filter((o) => o.code !== 0);
  const sections = outcomes.map((o) => {
    const body = o.entries.filter((e) => e.kind === "section").map((e) => e.markdown);
    const status = o.code === 0 ? "" : `\n\n**This benchmark failed (exit code ${o.code}); see its output.**`;
    const timing = `\n\n<sub>\`npx tsx bench/${o.name}.bench.ts\`, ${(o.ms / 1000).toFixed(0)} s.</sub>`;
    return `${body.length > 0 ? body.join("\n\n") : `## ${o.title}`}${status}${timing}`;
  });
  return [
    "# Benchmarks",
    "",
    "<!-- Written by `npm run bench` (bench/run-all.ts): edit the benches, not this file. -->",
    "",
    `Figures from one run of \`npm run bench\` on ${date} UTC, which took ${(totalMs / 60_000).toFixed(1)} min.`,
    "",
    `- **Machine:** ${m.cores}× ${m.cpu}, ${m.memoryGiB} GiB RAM`,
    `- **OS:** ${m.os}`,
    `- **Node:** ${m.node}`,
    "",
    "Everything runs in one process against the sandbox (sandbox/, a local GitHub over loopback HTTP with real git " +
      "repositories), except where a section says otherwise. Call counts do not depend on the machine; times do.",
    ...(failed.length > 0 ? ["", `**Failed in this run:** ${failed.map((o) => o.name).join(", ")}.`] : []),
    "",
    "## At a glance",
    "",
    ...headlines,
    "",
    "## How to reproduce",
    "",
    "- `npm run bench` runs every benchmark below, each in its own process, prints their figures and rewrites this file " +
      "(most of the time goes to the paced backport, about 35 s, to setting up 100 merged PRs and to the webhook jobs that run behind the answers).",
    "- `npx tsx bench/run-all.ts --no-write` does the same without writing; `npx tsx bench/run-all.ts webhooks latency` runs some only (and does not write).",
    "- `npx tsx bench/<name>.bench.ts` runs one and prints its figures.",
    "- Close other work first: the webhook and latency figures are wall times on a shared machine.",
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const noWrite = args.includes("--no-write");
  const names = args.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) throw new Error(`unknown bench(es): ${unknown.join(", ")}; known: ${BENCHES.map((b) => b.name).join(", ")}`);
  const chosen = names.length > 0 ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
  const write = !noWrite && names.length === 0;

  process.stdout.write(`Benchmarks on ${describeMachine()}\n`);
  const dir = mkdtempSync(join(tmpdir(), "lts-steward-bench-"));
  const started = performance.now();
  const outcomes: Outcome[] = [];
  try {
    for (const { name, title } of chosen) outcomes.push(await runBench(name, title, join(dir, `${name}.jsonl`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const totalMs = performance.now() - started;

  process.stdout.write("\n=== summary ===\n");
  for (const o of outcomes) process.stdout.write(`${o.code === 0 ? "ok    " : "FAILED"} ${o.name} (${(o.ms / 1000).toFixed(0)} s)\n`);
  process.stdout.write(`total ${(totalMs / 1000).toFixed(0)} s\n`);
  if (write) {
    writeFileSync(OUTPUT, render(outcomes, totalMs));
    process.stdout.write(`wrote ${OUTPUT}\n`);
  }
  if (outcomes.some((o) => o.code !== 0)) process.exitCode = 1;
}

await main();

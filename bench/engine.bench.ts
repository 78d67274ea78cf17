/**
 * Engine benchmark: does the cost of a `targets` query and of an `affected` query grow no faster than
 * linearly with the size of the release history?
 *
 * For each size, a synthetic Wasmtime-like history is built once (not timed), the queries are checked
 * for meaningful answers (not timed), warmed up, then timed with performance.now() until at least
 * MIN_TOTAL_MS and MIN_ITERATIONS have passed; the median per-query time is reported. The verdict
 * compares time per release at the largest size with time per release at the next one down: at most
 * MAX_PER_RELEASE_GROWTH × is "no faster than linear" (the slack absorbs noise); above that the bench
 * prints SUPERLINEAR and exits with code 1.
 *
 * Run with `npm run bench` (all benches, writes docs/benchmarks.md) or `npx tsx bench/engine.bench.ts`.
 */
import { performance } from "node:perf_hooks";
import { parseConfig } from "../src/config/load.js";
import { toPolicy } from "../src/config/policy.js";
import { assessAdvisory, computeLines, resolveTargets, type IsoDate, type Policy, type ReleaseHistory, type ReleaseLine } from "../src/engine/index.js";
import { describeMachine, emit, headline, markdownTable } from "./report.js";
import { queryDate, RELEASES_PER_LINE, syntheticHistory } from "./synthetic-history.js";

const SIZES = [100, 1_000, 10_000] as const;
const MIN_TOTAL_MS = 300;
const MIN_ITERATIONS = 5;
const WARMUP_MS = 100;
const WARMUP_ITERATIONS = 3;
const MAX_PER_RELEASE_GROWTH = 2;
const SELECTORS = ["security"];

interface Timing {
  medianMs: number;
  iterations: number;
}

/** Something the optimiser cannot prove unused. */
let sink = 0;

function time(fn: () => { length: number }): Timing {
  const warmStart = performance.now();
  for (let i = 0; i < WARMUP_ITERATIONS || performance.now() - warmStart < WARMUP_MS; i++) sink += fn().length;
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < MIN_ITERATIONS || performance.now() - start < MIN_TOTAL_MS) {
    const t0 = performance.now();
    sink += fn().length;
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const medianMs = samples.length % 2 === 1 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { medianMs, iterations: samples.length };
}

function wasmtimePolicy(): Policy {
  const r = parseConfig({ preset: "wasmtime" });
  if (!r.ok) throw new Error(`wasmtime preset does not parse: ${JSON.stringify(r.problems)}`);
  return toPolicy(r.config);
}

/**
 * Two advisory ranges that hit real lines: every released version of the newest line (so it is
 * affected, fix in its next patch), and the first five patches of the newest supported LTS line
 * (which the synthetic history has already patched past when the line is complete).
 */
function advisoryRanges(lines: ReleaseLine[]): { ranges: string[]; latest: ReleaseLine; lts: ReleaseLine } {
  const released = lines.filter((l) => l.released !== null);
  const latest = released.at(-1);
  if (!latest) throw new Error("sanity: no released line");
  const lts = released.filter((l) => l.kind === "lts" && l.status === "supported" && l.line !== latest.line).at(-1);
  if (!lts) throw new Error("sanity: no supported LTS line besides the newest one");
  return {
    ranges: [`>= ${latest.major}.0.0, < ${latest.nextPatch}`, `>= ${lts.major}.0.0, < ${lts.major}.0.5`],
    latest,
    lts,
  };
}

interface Row {
  size: number;
  releases: number;
  lines: number;
  targets: number;
  affected: number;
  computeLines: Timing;
  targetsQuery: Timing;
  affectedQuery: Timing;
}

function benchSize(policy: Policy, size: number): Row {
  const history: ReleaseHistory = syntheticHistory(size);
  const on: IsoDate = queryDate(history);

  // Untimed sanity checks: a broken engine must not yield a fast-but-meaningless figure.
  if (history.releases.length !== size) throw new Error(`sanity: asked for ${size} releases, got ${history.releases.length}`);
  const lines = computeLines(policy, history, on);
  const releasedLines = lines.filter((l) => l.released !== null).length;
  if (releasedLines !== history.branches.length) {
    throw new Error(`sanity: ${history.branches.length} lines in the history but ${releasedLines} released lines computed`);
  }
  const { ranges, latest, lts } = advisoryRanges(lines);
  const targetsQuery = () => resolveTargets({ lines: computeLines(policy, history, on), selectors: SELECTORS, on, policy }).targets;
  const affectedQuery = () => assessAdvisory({ lines: computeLines(policy, history, on), ranges, on, policy }).targets;
  const targets = targetsQuery();
  if (targets.length < 2) throw new Error(`sanity: ${size} releases: targets ${SELECTORS.join(" ")} gave ${targets.length} target(s), expected at least 2`);
  if (!targets.some((t) => t.line === latest.line) || !targets.some((t) => t.line === lts.line)) {
    throw new Error(`sanity: ${size} releases: targets miss line ${latest.line} or LTS line ${lts.line}: ${targets.map((t) => t.line).join(", ")}`);
  }
  const affected = affectedQuery();
  if (affected.length < 1) throw new Error(`sanity: ${size} releases: ranges ${ranges.join(" | ")} affect no target`);
  if (!affected.some((t) => t.line === latest.line)) throw new Error(`sanity: ${size} releases: line ${latest.line} should be affected`);

  return {
    size,
    releases: history.releases.length,
    lines: lines.length,
    targets: targets.length,
    affected: affected.length,
    computeLines: time(() => computeLines(policy, history, on)),
    targetsQuery: time(targetsQuery),
    affectedQuery: time(affectedQuery),
  };
}

const fmtMs = (ms: number) => (ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(1));
const usPerRelease = (t: Timing, releases: number) => (t.medianMs * 1000) / releases;

function main(): void {
  console.log(`machine: ${describeMachine()}`);
  console.log(`method: median of >= ${MIN_ITERATIONS} runs and >= ${MIN_TOTAL_MS} ms per figure, after warm-up; wasmtime preset; selectors: ${SELECTORS.join(" ")}`);
  console.log("");

  const policy = wasmtimePolicy();
  const started = performance.now();
  const rows = SIZES.map((size) => benchSize(policy, size));

  const header = ["size", "releases", "lines", "targets ms/query", "affected ms/query", "computeLines ms", "targets µs/release", "affected µs/release", "runs t/a"];
  const body = rows.map((r) => [
    r.size.toLocaleString("en-US"),
    String(r.releases),
    String(r.lines),
    fmtMs(r.targetsQuery.medianMs),
    fmtMs(r.affectedQuery.medianMs),
    fmtMs(r.computeLines.medianMs),
    usPerRelease(r.targetsQuery, r.releases).toFixed(2),
    usPerRelease(r.affectedQuery, r.releases).toFixed(2),
    `${r.targetsQuery.iterations}/${r.affectedQuery.iterations}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmtRow = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  console.log(fmtRow(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of body) console.log(fmtRow(row));
  console.log("");
  console.log(`answers: ${rows.map((r) => `${r.size}: ${r.targets} targets, ${r.affected} affected`).join("; ")}`);
  console.log("");

  let superlinear = false;
  const verdicts: string[] = [];
  const queries = [
    ["targets", (r: Row) => r.targetsQuery],
    ["affected", (r: Row) => r.affectedQuery],
  ] as const;
  for (const [name, pick] of queries) {
    const growth: string[] = [];
    for (let i = rows.length - 1; i > 0; i--) {
      const big = rows[i]!;
      const small = rows[i - 1]!;
      const ratio = pick(big).medianMs / pick(small).medianMs;
      growth.push(`time(${big.size})/time(${small.size}) = ${ratio.toFixed(2)}× (size ×${big.releases / small.releases})`);
    }
    const big = rows.at(-1)!;
    const small = rows.at(-2)!;
    const perReleaseGrowth = usPerRelease(pick(big), big.releases) / usPerRelease(pick(small), small.releases);
    const ok = perReleaseGrowth <= MAX_PER_RELEASE_GROWTH;
    if (!ok) superlinear = true;
    console.log(`${name}: ${growth.join(", ")}`);
    const verdict =
      `time per release at ${big.size} is ${perReleaseGrowth.toFixed(2)}× that at ${small.size} (limit ${MAX_PER_RELEASE_GROWTH}×) → ` +
      (ok ? "no faster than linear" : "SUPERLINEAR");
    console.log(`${name}: ${verdict}`);
    verdicts.push(`\`${name}\`: ${growth.join(", ")}; ${verdict}.`);
  }
  console.log("");
  // The timed queries' results feed `sink`, so they cannot be optimised away; they must have found targets.
  if (sink <= 0) throw new Error("sanity: the timed queries returned no targets");
  console.log(`bench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const largest = rows.at(-1)!;
  const smallest = rows[0]!;
  headline(
    `Engine: \`targets\` ${fmtMs(largest.targetsQuery.medianMs)} ms and \`affected\` ${fmtMs(largest.affectedQuery.medianMs)} ms per query ` +
      `at ${largest.size.toLocaleString("en-US")} releases (${fmtMs(smallest.targetsQuery.medianMs)} and ${fmtMs(smallest.affectedQuery.medianMs)} ms ` +
      `at ${smallest.size.toLocaleString("en-US")}): ${superlinear ? "**SUPERLINEAR**" : "no faster than linear"}`,
  );
  emit([
    "## Engine time per query against history size",
    "",
    `A synthetic Wasmtime-like history (one line a month, ${RELEASES_PER_LINE} patches per line), wasmtime preset; ` +
      `\`targets ${SELECTORS.join(" ")}\` and \`affected\` (an advisory with two ranges), each computing the lines from the history; ` +
      `median of ≥ ${MIN_ITERATIONS} runs and ≥ ${MIN_TOTAL_MS} ms per figure, after warm-up.`,
    "",
    markdownTable(header, body),
    "",
    ...verdicts.map((v) => `- ${v}`),
    `- Answers: ${rows.map((r) => `${r.size.toLocaleString("en-US")}: ${r.targets} targets, ${r.affected} affected`).join("; ")}.`,
    `- Verdict: **${superlinear ? "SUPERLINEAR" : "no faster than linear"}**.`,
    "",
    "How to read it: *targets* is the `targets security` query (which supported lines a security fix goes to), *affected* the `affected` query " +
      "(which lines an advisory's version ranges hit, and the patch each needs); both include computing the release lines from the history, " +
      "shown alone as *computeLines*; *runs t/a* are the timed runs of each. The time per release should stay flat as the history grows (linear cost); the bench fails " +
      `(exit code 1) when it grows more than ${MAX_PER_RELEASE_GROWTH}× from the second-largest size to the largest. ` +
      `The synthetic history has one line a month with ${RELEASES_PER_LINE} releases each: 1,000 releases are about 8 years of such a project, 10,000 are far beyond any real one.`,
  ].join("\n"));
  if (superlinear) {
    console.log("verdict: SUPERLINEAR");
    process.exitCode = 1;
  } else {
    console.log("verdict: no faster than linear");
  }
}

main();

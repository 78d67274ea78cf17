/**
 * End-to-end time of a 4-target security backport when every GitHub call is slow: the sandbox adds 100 ms
 * to every call (`faults.latencyMs`), the real App runs with GitHub's write pacing (at least 1 s between
 * the writes of one installation, src/github/pacer.ts), and the wall time runs from the merged PR's
 * `closed` delivery to the App's queue being idle. It is set against its floor: W writes cannot take less
 * than about W × 1 s under that pacing (strictly (W − 1) s plus one call), nor, were no read to overlap a
 * pacing wait, less than W × 1 s + R × 100 ms. The same backport with no pacing shows the cost of the
 * latency alone, against the (R + W) × 100 ms of calls made one after another.
 *
 * Each run gets a fresh sandbox (the Wasmtime-like history on 2025-11-21: security targets 39, 38, 36,
 * 24) and an App warmed by one delivery without latency, so its installation token is cached, as it
 * usually is (tokens last an hour).
 *
 * Run with `npm run bench` (all benches, writes docs/benchmarks.md) or `npx tsx bench/latency.bench.ts`.
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_WRITE_INTERVAL_MS } from "../src/github/pacer.js";
import { runApp } from "../sandbox/run-app.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../sandbox/state/types.js";
import { byOperation, describeMachine, emit, headline, markdownTable, seconds } from "./report.js";

const DAY = "2025-11-21";
const LATENCY_MS = 100;
const TARGETS = 4;
const people = WASMTIME_PEOPLE;
const TOKEN = "apps/create-installation-access-token";

interface Run {
  pacingMs: number;
  wallMs: number;
  firstPrMs: number;
  reads: number;
  writes: number;
  tokens: number;
  writeOps: string;
}

async function mergedFix(sandbox: Sandbox, repo: RepoRecord, branch: string, labels: string[]): Promise<number> {
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch, title: `Fix ${branch}`, files: { [`docs/${branch}.md`]: `${branch}\n` }, author: people.committer, labels });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  return issue.number;
}

async function backport(pacingMs: number): Promise<Run> {
  const sandbox = await Sandbox.start({ checkResponses: false });
  const { repo } = await sandbox.seedWasmtime({ through: DAY });
  const app = await runApp(sandbox, { today: DAY, writeIntervalMs: pacingMs });
  try {
    // Warm-up without latency: a merged PR without backport labels (token, config, JIT).
    const warm = await mergedFix(sandbox, repo, "bench-warm-up", []);
    await app.driver.send(await app.driver.pullRequest({ repo, number: warm, action: "closed", sender: people.maintainer }));
    await app.queue.idle();

    const number = await mergedFix(sandbox, repo, "bench-security", ["backport:security"]);
    const event = await app.driver.pullRequest({ repo, number, action: "closed", sender: people.maintainer });
    sandbox.faults.latencyMs = LATENCY_MS;
    const mark = sandbox.log.mark();
    const startedAt = Date.now();
    const started = performance.now();
    await app.driver.send(event);
    await app.queue.idle();
    const wallMs = performance.now() - started;
    sandbox.faults.latencyMs = 0;

    const opened = [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${number}`)).length;
    if (opened !== TARGETS) throw new Error(`expected ${TARGETS} backport PRs, got ${opened}`);
    const failures = app.logs.filter((l) => typeof l.level === "number" && l.level >= 50);
    if (failures.length > 0) throw new Error(`the App logged errors: ${failures.map((l) => String(l.msg)).join("; ")}`);
    const calls = sandbox.log.since(mark);
    const api = calls.filter((c) => c.operationId !== TOKEN);
    const writes = api.filter((c) => c.write);
    const firstPr = calls.find((c) => c.operationId === "pulls/create");
    return {
      pacingMs, wallMs, firstPrMs: firstPr ? firstPr.at - startedAt : NaN,
      reads: api.length - writes.length, writes: writes.length, tokens: calls.length - api.length,
      writeOps: byOperation(writes.map((c) => c.operationId)),
    };
  } finally {
    await app.stop();
    await sandbox.stop();
  }
}

async function main(): Promise<void> {
  process.stdout.write(`Latency benchmark on ${describeMachine()}\n\n`);
  const started = performance.now();
  const paced = await backport(DEFAULT_WRITE_INTERVAL_MS);
  const unpaced = await backport(0);
  const pacingFloor = (r: Run) => r.writes * r.pacingMs;
  const sequentialFloor = (r: Run) => r.writes * Math.max(r.pacingMs, LATENCY_MS) + r.reads * LATENCY_MS;
  /** The floor each run is set against: the pacing when there is some, else the calls in sequence. */
  const floorOf = (r: Run) => (r.pacingMs === 0 ? sequentialFloor(r) : pacingFloor(r));
  const rows = [paced, unpaced].map((r) => [
    r.pacingMs === 0 ? "none (latency only)" : `${r.pacingMs} ms between writes`,
    `${r.reads} + ${r.writes}`,
    seconds(r.wallMs),
    seconds(r.firstPrMs),
    r.pacingMs === 0 ? "–" : seconds(pacingFloor(r)),
    seconds(sequentialFloor(r)),
    `${seconds(r.wallMs - floorOf(r))} s (×${(r.wallMs / floorOf(r)).toFixed(2)})`,
  ]);
  const header = ["write pacing", "reads + writes", "wall s", "first PR open s", "floor: writes × pacing s", "floor: calls in sequence s", "above the floor"];
  process.stdout.write(`4-target security backport, ${LATENCY_MS} ms added to every sandbox call, from the delivery to the queue being idle:\n\n`);
  for (const [i, r] of [paced, unpaced].entries()) {
    process.stdout.write(
      `${rows[i]![0]}: wall ${seconds(r.wallMs)} s (first backport PR open after ${seconds(r.firstPrMs)} s); ${r.reads} reads + ${r.writes} writes, ${r.tokens} installation tokens\n` +
        (r.pacingMs === 0
          ? `  floor if every call waits for the one before: (${r.reads} + ${r.writes}) × ${LATENCY_MS} ms = ${seconds(sequentialFloor(r))} s\n`
          : `  pacing floor: ${r.writes} writes × ${r.pacingMs} ms = ${seconds(pacingFloor(r))} s; plus ${r.reads} reads × ${LATENCY_MS} ms if no read overlapped a pacing wait: ${seconds(sequentialFloor(r))} s\n`) +
        `  above the floor: ${rows[i]![6]}\n`,
    );
  }
  process.stdout.write(`  writes: ${paced.writeOps}\n\nbench took ${seconds(performance.now() - started)} s\n`);
  if (paced.writes !== unpaced.writes) process.stdout.write(`note: the runs made different numbers of writes (${paced.writes} and ${unpaced.writes})\n`);

  headline(
    `4-target security backport with ${LATENCY_MS} ms per GitHub call: ${seconds(paced.wallMs)} s with GitHub's write pacing ` +
      `(floor ${paced.writes} writes × 1 s = ${seconds(pacingFloor(paced))} s), ${seconds(unpaced.wallMs)} s without pacing (${seconds(sequentialFloor(unpaced))} s of calls in sequence)`,
  );
  emit([
    "## End-to-end time with slow GitHub",
    "",
    `A 4-target security backport (\`backport:security\` on ${DAY}: 39, 38, 36, 24) with ${LATENCY_MS} ms added to every sandbox call, ` +
      "from the `closed` delivery to the App's queue being idle; a fresh sandbox per run and an App warmed by one delivery without latency (installation token cached).",
    "",
    markdownTable(header, rows),
    "",
    `- With GitHub's pacing (≥ ${DEFAULT_WRITE_INTERVAL_MS} ms between one installation's writes), ${paced.writes} writes cannot take less than about ` +
      `${seconds(pacingFloor(paced))} s; the backport took **${seconds(paced.wallMs)} s**, ${seconds(paced.wallMs - pacingFloor(paced))} s above that floor ` +
      (paced.wallMs < sequentialFloor(paced)
        ? `and under the ${seconds(sequentialFloor(paced))} s it would take if no read fitted in a pacing wait. `
        : `(${seconds(paced.wallMs - sequentialFloor(paced))} s above ${seconds(sequentialFloor(paced))} s, the floor if no read fitted in a pacing wait). `) +
      `The first backport PR was open after ${seconds(paced.firstPrMs)} s.`,
    `- Without pacing, the latency alone: **${seconds(unpaced.wallMs)} s** for ${unpaced.reads + unpaced.writes} calls, against ${seconds(sequentialFloor(unpaced))} s if each waited for the one before.`,
    `- Writes: ${paced.writeOps}.`,
    "",
    "How to read it: GitHub asks integrations to wait at least a second between content-creating requests of one installation, and the App's pacer " +
      "(src/github/pacer.ts) does so for every write, so a backport's wall time is set by its number of writes, not by GitHub's latency: " +
      "reads and each write's own latency fit in the second between two writes. *Above the floor* is what the App adds to it. " +
      "The first row's floor counts every write as a full second; strictly the first write waits for nothing, so the floor is (writes − 1) s plus the calls " +
      "before the first write and the last write itself. The second row drops the pacing (as tests and the demo do) to show the latency alone, " +
      "against every call waiting for the one before it (some reads run side by side, so the App can beat that).",
  ].join("\n"));
}

await main();

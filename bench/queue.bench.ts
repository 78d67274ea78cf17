/**
 * Queue benchmark (issue 14): 1,000 redundant deliveries for one repository, each holding a webhook-sized
 * payload, then one real merged fix. Reports how many jobs the queue held at most, how many ran before the
 * fix, how long the fix waited once the running job let go, and the heap at idle, at peak and after the
 * queue drained (with a forced GC when node runs with --expose-gc). Fails (exit code 1) when the queue held
 * more than a few jobs or the heap after draining is more than 50 MB above idle.
 *
 * Run with `npm run bench` or `npx tsx bench/queue.bench.ts` (`node --expose-gc --import tsx ...` for exact heap figures).
 */
import { performance } from "node:perf_hooks";
import { JobQueue } from "../src/runtime/job-queue.js";
import { describeMachine, emit, headline, markdownTable } from "./report.js";

const REDUNDANT = 1_000;
const PAYLOAD_BYTES = 120_000;
const MAX_GROWTH_MB = 50;

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function main(): Promise<void> {
  const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };
  const queue = new JobQueue(quiet);
  const idle = await heapMb();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let ranBeforeFix = 0;
  let maxPending = 0;
  let peak = idle;
  for (let i = 0; i <= REDUNDANT; i++) {
    // Each delivery carries its own payload, as a webhook would (labels, PR body, repository…).
    const payload = "x".repeat(PAYLOAD_BYTES) + String(i);
    queue.enqueue({
      key: "bench/repo", name: `labeled #1 (${i})`, coalesce: "bench/repo pull labeled #1 backport:lts",
      run: async () => { ranBeforeFix++; if (payload.length === 0) throw new Error("unreachable"); if (i === 0) await gate; },
    });
    // The first one starts before the rest arrive, as with real deliveries.
    if (i === 0) await new Promise((resolve) => setImmediate(resolve));
    maxPending = Math.max(maxPending, queue.stats.pending);
    if (i % 100 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed / 1024 / 1024);
  }
  let fixWaitedMs = 0;
  let releasedAt = 0;
  const fixStarted = new Promise<void>((resolve) =>
    queue.enqueue({ key: "bench/repo", name: "pull closed #2", run: async () => { fixWaitedMs = performance.now() - releasedAt; resolve(); } }),
  );
  const jobsBeforeFix = () => ranBeforeFix;
  releasedAt = performance.now();
  release();
  await fixStarted;
  const before = jobsBeforeFix();
  await queue.idle();
  const after = await heapMb();
  const growth = after - idle;
  const ok = maxPending <= 3 && growth <= MAX_GROWTH_MB;
  const fmt = (mb: number) => `${mb.toFixed(1)} MB`;
  headline(`Queue: ${REDUNDANT.toLocaleString("en-US")} redundant deliveries held as ${maxPending} jobs; the fix started after ${before} job(s), ${fixWaitedMs.toFixed(1)} ms after the running one let go; heap ${fmt(growth)} above idle after draining`);
  emit([
    "## Queue: redundant deliveries and memory",
    "",
    describeMachine(),
    "",
    markdownTable(
      ["deliveries", "most jobs held", "jobs before the fix", "fix waited", "heap idle", "heap peak (sampled)", "heap after", "coalesced"],
      [[String(REDUNDANT + 1), String(maxPending), String(before), `${fixWaitedMs.toFixed(1)} ms`, fmt(idle), fmt(peak), fmt(after), String(queue.effort.coalesced)]],
    ),
    "",
    `Each delivery holds a ${(PAYLOAD_BYTES / 1000).toFixed(0)} KB payload. A job waiting with the same coalescing key (same workflow, same PR) absorbs a new one, so the ` +
      `payloads of absorbed deliveries are garbage at once. ${gc ? "Heap figures after a forced GC." : "Run with --expose-gc for heap figures after a forced GC."} ` +
      `Fails when more than 3 jobs are held or the heap stays more than ${MAX_GROWTH_MB} MB above idle. Verdict: **${ok ? "bounded" : "UNBOUNDED"}**.`,
  ].join("\n"));
  console.log(`verdict: ${ok ? "bounded" : "UNBOUNDED"} (held ${maxPending}, heap +${growth.toFixed(1)} MB)`);
  if (!ok) process.exitCode = 1;
}

void main();

/**
 * Hostile intake: what oversized webhooks cost the App, and how long hostile configs take to read.
 *
 * 1. The App runs as its own process (`npm start`'s entry, src/main.ts, against the sandbox as a GitHub
 *    Enterprise host). Four 300 MB POSTs with a bad signature are sent at once, generated 64 KB at a time
 *    (never held whole by the sender), first declared by Content-Length, then chunked. Meanwhile the App's
 *    resident memory is sampled from /proc every 10 ms and /health is asked every 50 ms. Reported: each
 *    answer, how much had been sent when it came, the App's peak memory over its idle size, and /health.
 * 2. In this process: the time to read and validate configs shaped to be slow (many keys, long flow lists,
 *    deep nesting, aliases) at the size limit, and a 450 KB one, which the limit refuses before parsing.
 * 3. A 450 KB config in a pull request on the sandbox's Wasmtime-like repository: its `opened` webhook starts
 *    the App's config check while 200 more signed webhooks arrive; every answer's time (p50, p99) and the
 *    check run's verdict.
 *
 * Run with `npm run bench` (all benches, writes docs/benchmarks.md) or `npx tsx bench/intake.bench.ts`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MAX_CONFIG_BYTES, parseConfigText } from "../src/config/load.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { describeMachine, emit, headline, markdownTable, ms, textTable } from "./report.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MB = 1024 * 1024;
const TOTAL = 300 * MB;
const PARALLEL = 4;

/** The App's resident set size in bytes (Linux). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return Number(kb) * 1024;
}

async function startApp(sandbox: Sandbox): Promise<{ child: ChildProcess; url: string }> {
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const tsx = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", tsx, join(ROOT, "src/main.ts")], {
    cwd: ROOT,
    env: {
      ...inherited, APP_ID: String(appId), PRIVATE_KEY: privateKey, WEBHOOK_SECRET: webhookSecret, GHE_HOST: new URL(baseUrl).host, GHE_PROTOCOL: "http",
      HOST: "127.0.0.1", PORT: "0", TICK_TIME: "off", LOG_FORMAT: "json", LOG_LEVEL: "info", NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += String(chunk)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const url = /listening on (http:\/\/[^"\s]+)/.exec(out)?.[1];
    if (url) return { child, url };
    if (child.exitCode !== null) throw new Error(`the App exited with ${child.exitCode}: ${out}`);
    await sleep(50);
  }
  throw new Error(`the App did not start: ${out}`);
}

interface Answer {
  status: number | null;
  sentAtAnswer: number;
  ms: number;
  error?: string;
}

/** POSTs TOTAL bytes, 64 KB at a time from a generator, with a bad signature. */
function postLarge(url: string, declareLength: boolean): Promise<Answer> {
  function* chunks() {
    const chunk = Buffer.alloc(64 * 1024, "x");
    for (let sent = 0; sent < TOTAL; sent += chunk.length) yield chunk;
  }
  const started = performance.now();
  return new Promise((resolvePost) => {
    let sent = 0;
    let settled = false;
    const settle = (answer: Omit<Answer, "ms">) => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolvePost({ ...answer, ms: performance.now() - started });
    };
    const req = httpRequest(`${url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": `bench-${Math.random()}`, "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
        ...(declareLength ? { "content-length": TOTAL } : {}),
      },
    });
    req.on("response", (res) => {
      const sentAtAnswer = sent;
      res.resume();
      res.on("end", () => settle({ status: res.statusCode ?? null, sentAtAnswer }));
      res.on("error", () => settle({ status: res.statusCode ?? null, sentAtAnswer }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => settle({ status: null, sentAtAnswer: sent, error: error.code ?? error.message }));
    const source = chunks();
    const pump = () => {
      for (let next = source.next(); !next.done; next = source.next()) {
        if (settled) return;
        sent += next.value.length;
        if (!req.write(next.value)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

interface Attack {
  label: string;
  answers: Answer[];
  idleRss: number;
  peakRss: number;
  afterRss: number;
  health: { asked: number; answered: number; worstMs: number };
}

async function attack(pid: number, url: string, declareLength: boolean): Promise<Attack> {
  const idleSamples: number[] = [];
  for (let i = 0; i < 10; i++) {
    idleSamples.push(rssOf(pid));
    await sleep(20);
  }
  const idleRss = Math.max(...idleSamples);
  let peakRss = idleRss;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peakRss = Math.max(peakRss, rssOf(pid));
      await sleep(10);
    }
  })();
  const health = { asked: 0, answered: 0, worstMs: 0 };
  const prober = (async () => {
    while (running) {
      const started = performance.now();
      health.asked += 1;
      const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status === 200, () => false);
      if (ok) health.answered += 1;
      health.worstMs = Math.max(health.worstMs, performance.now() - started);
      await sleep(50);
    }
  })();
  const answers = await Promise.all(Array.from({ length: PARALLEL }, () => postLarge(url, declareLength)));
  // Keep sampling a little: memory freed late would show here.
  await sleep(300);
  running = false;
  await Promise.all([sampler, prober]);
  return { label: declareLength ? "Content-Length: 300 MB" : "chunked, 300 MB", answers, idleRss, peakRss, afterRss: rssOf(pid), health };
}

/** Configs shaped to be slow to read, each just under the size limit. */
function hostileConfigs(): { name: string; text: string }[] {
  const limit = MAX_CONFIG_BYTES - 64;
  const fill = (head: string, unit: (i: number) => string, tail = "") => {
    let text = head;
    for (let i = 0; text.length + tail.length < limit; i++) text += unit(i);
    return text + tail;
  };
  return [
    { name: "wasmtime preset (a real config)", text: "preset: wasmtime\nbackport:\n  copyLabels: [security, 'area:*']\n" },
    { name: "keys in one mapping", text: fill("backport:\n  implied:\n", (i) => `    l${i}: [s]\n`) },
    { name: "items in one flow list", text: fill("backport:\n  copyLabels: [", () => "a,", "]\n") },
    { name: "deep flow nesting", text: `backport: ${"[".repeat(limit / 2 - 10)}${"]".repeat(limit / 2 - 10)}\n` },
    { name: "aliases of a 5,000-item list", text: fill(`a: &a [${"1,".repeat(5_000)}1]\nb:\n`, () => "  - *a\n") },
    { name: "one key, again and again", text: fill("", () => "preset: wasmtime\n") },
  ];
}

/** Wall time (the event loop is blocked that long) and CPU time (what the machine's load does not inflate), each the median of 7 runs. */
function timeConfig(text: string): { wallMs: number; cpuMs: number; verdict: string } {
  parseConfigText(text); // warm
  const walls: number[] = [];
  const cpus: number[] = [];
  let verdict = "";
  for (let i = 0; i < 7; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = parseConfigText(text);
    walls.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    verdict = result.ok ? "valid" : (result.problems[0]?.message ?? "").slice(0, 70);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  return { wallMs: median(walls), cpuMs: median(cpus), verdict };
}

interface ConfigPr {
  answers: number[];
  check: string;
}

/**
 * A 450 KB `.github/lts-steward.yml` in a pull request, checked by the App while 200 other signed webhooks
 * arrive: every answer's time, and the config check's verdict (issue 14: answers stay under 1 s at p99).
 */
async function bigConfigPr(sandbox: Sandbox, url: string): Promise<ConfigPr> {
  const { repo } = await sandbox.seedWasmtime({ through: "2025-11-21" });
  const people = { author: "casey-committer" };
  const big = `preset: wasmtime\n${"# padding to 450 KB\n".repeat(23_000)}`;
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch: "huge-config", title: "A very large config", files: { ".github/lts-steward.yml": big }, author: people.author });
  const driver = sandbox.webhooks(`${url}/api/github/webhooks`);
  const timed = async (event: ReturnType<typeof driver.issueComment>) => {
    const started = performance.now();
    await driver.send(event);
    return performance.now() - started;
  };
  const opened = await driver.pullRequest({ repo, number: issue.number, action: "opened", sender: people.author });
  // The background: people commenting on the PR (no command), 200 deliveries.
  const comment = sandbox.scenario.comment({ repo, number: issue.number, body: "Looks good to me.", author: people.author });
  const others = Array.from({ length: 200 }, () => driver.issueComment({ repo, comment }));
  const answers = await Promise.all([timed(opened), ...others.map(async (event, i) => {
    await sleep(i * 5);
    return timed(event);
  })]);
  let check = "no check run";
  for (let waited = 0; waited < 30_000; waited += 100) {
    const run = [...repo.checkRuns.values()].find((c) => c.conclusion !== null);
    if (run) {
      check = `${run.conclusion}: ${run.output.title ?? ""}`;
      break;
    }
    await sleep(100);
  }
  return { answers, check };
}

async function main(): Promise<void> {
  console.log(`Intake bench on ${describeMachine()}`);
  const sandbox = await Sandbox.start();
  const { child, url } = await startApp(sandbox);
  const pid = child.pid!;
  const attacks: Attack[] = [];
  let configPr: ConfigPr = { answers: [], check: "not run" };
  try {
    // Warm the App's HTTP path before measuring its idle size.
    for (let i = 0; i < 20; i++) await fetch(`${url}/health`).then((r) => r.text());
    attacks.push(await attack(pid, url, true));
    attacks.push(await attack(pid, url, false));
    configPr = await bigConfigPr(sandbox, url);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolveExit) => child.once("exit", resolveExit));
    await sandbox.stop();
  }

  const mbOf = (bytes: number) => (bytes / MB).toFixed(1);
  const rows = attacks.map((a) => [
    a.label,
    a.answers.map((x) => x.status ?? x.error ?? "?").join(", "),
    a.answers.map((x) => mbOf(x.sentAtAnswer)).join(", "),
    ms(Math.max(...a.answers.map((x) => x.ms))),
    mbOf(a.idleRss),
    `+${mbOf(a.peakRss - a.idleRss)}`,
    mbOf(a.afterRss),
    `${a.health.answered}/${a.health.asked} (worst ${ms(a.health.worstMs)} ms)`,
  ]);
  const header = ["4 requests at once", "answers", "MB sent at answer", "slowest answer ms", "idle RSS MB", "peak RSS growth MB", "RSS after MB", "/health answered"];
  console.log(`\n${textTable(header, rows)}`);

  const configs = hostileConfigs().map((c) => ({ ...c, ...timeConfig(c.text) }));
  const big = `preset: wasmtime\n${"# padding to 450 KB\n".repeat(23_000)}`;
  const bigTime = timeConfig(big);
  const configRows = [
    ...configs.map((c) => [c.name, (c.text.length / 1024).toFixed(1), ms(c.wallMs), ms(c.cpuMs), c.verdict]),
    ["450 KB file", (big.length / 1024).toFixed(1), ms(bigTime.wallMs), ms(bigTime.cpuMs), bigTime.verdict],
  ];
  const configHeader = ["config", "KB", "wall ms", "CPU ms", "verdict"];
  console.log(`\n${textTable(configHeader, configRows)}`);

  const sorted = [...configPr.answers].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const prRow = [String(sorted.length), ms(pct(50)), ms(pct(99)), ms(sorted.at(-1) ?? NaN), configPr.check];
  const prHeader = ["webhooks answered", "p50 ms", "p99 ms", "max ms", "config check"];
  console.log(`\n450 KB config in a PR, checked while 200 more webhooks arrive:\n${textTable(prHeader, [prRow])}`);

  const worstGrowth = Math.max(...attacks.map((a) => a.peakRss - a.idleRss));
  const healthOk = attacks.every((a) => a.health.answered === a.health.asked);
  const slowestConfig = Math.max(...configs.map((c) => c.wallMs));
  headline(
    `Four 300 MB webhooks at once: answered ${[...new Set(attacks.flatMap((a) => a.answers.map((x) => x.status)))].join("/")} without being read; the App's memory grew by at most ${mbOf(worstGrowth)} MB; /health ${healthOk ? "answered every time" : "missed answers"}. The slowest config at the ${MAX_CONFIG_BYTES / 1024} KB limit reads in ${ms(slowestConfig)} ms. A 450 KB config in a PR: webhook answers p99 ${ms(pct(99))} ms while it is checked (${configPr.check})`,
  );
  emit([
    "## Hostile intake: oversized webhooks, slow configs",
    "",
    `The App as its own process (src/main.ts). ${PARALLEL} POSTs of 300 MB with a bad signature, at once, generated 64 KB at a time; the App's resident memory sampled every 10 ms, /health asked every 50 ms.`,
    "",
    markdownTable(header, rows),
    "",
    `Reading and validating configs shaped to be slow, just under the ${MAX_CONFIG_BYTES / 1024} KB limit (median of 7 runs, in one process; the event loop is blocked for the wall time):`,
    "",
    markdownTable(configHeader, configRows),
    "",
    "A 450 KB `.github/lts-steward.yml` in a pull request (its `opened` webhook starts the config check), while 200 more signed webhooks arrive 5 ms apart: every answer's time, and the check run's verdict.",
    "",
    markdownTable(prHeader, [prRow]),
  ].join("\n"));
}

await main();

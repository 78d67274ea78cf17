/**
 * The deployable server (src/server.ts) in-process against the sandbox, configured only through an
 * environment object as in production (GHE_HOST and GHE_PROTOCOL point Probot at the sandbox): the health
 * endpoint, a signed webhook answered and acted on, forged ones refused, bad settings refused. Then
 * `npm start`'s entry (src/main.ts) as a process: JSON log lines, health, a clean stop on SIGTERM.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pino } from "pino";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { startServer, type HealthReport, type RunningServer } from "../../src/server.js";
import { ConfigError, type Env } from "../../src/settings.js";
import { MAX_WEBHOOK_BYTES } from "../../src/webhook-intake.js";
import { signPayload } from "../../sandbox/webhooks/sign.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DAY = "2025-11-21";
const SLOW = 30_000;

let sandbox: Sandbox;
let repo: RepoRecord;
let server: RunningServer;
const logs: Record<string, unknown>[] = [];

/** The environment a deployment would have, pointed at the sandbox as a GitHub Enterprise host. */
function sandboxEnv(extra: Env = {}): Env {
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  return {
    APP_ID: String(appId),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: webhookSecret,
    GHE_HOST: new URL(baseUrl).host,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
    PORT: "0",
    TICK_TIME: "off",
    LTS_STEWARD_TODAY: DAY,
    WRITE_INTERVAL_MS: "0",
    ...extra,
  };
}

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo } = await sandbox.seedWasmtime({ through: DAY }));
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  server = await startServer({ env: sandboxEnv(), log: pino({ level: "info" }, sink) });
}, SLOW);

afterAll(async () => {
  await server?.stop();
  await sandbox?.stop();
});

afterEach(() => {
  sandbox.assertNoViolations();
});

const botComments = (number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number && c.user.login.endsWith("[bot]"));

test("GET /health answers 200 with the version, uptime, the App's day and the queue's counts", async () => {
  const response = await fetch(`${server.url}/health`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as HealthReport;
  expect(body).toEqual({
    status: "ok",
    version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    uptimeSeconds: expect.any(Number),
    today: DAY,
    queue: { pending: expect.any(Number), completed: expect.any(Number), failed: expect.any(Number) },
  });
  expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  expect((await fetch(`${server.url}/health`, { method: "HEAD" })).status).toBe(200);
});

test("other paths are 404; the webhook path only takes POST", async () => {
  expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  expect((await fetch(server.webhookUrl)).status).toBe(404);
  expect(server.webhookUrl).toBe(`${server.url}/api/github/webhooks`);
});

test("a signed webhook is answered 200, and the App's job answers through the sandbox: /backport from an outsider is refused", async () => {
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-deploy", title: "Fix the deploy docs", files: { "docs/deploy.md": "fixed\n" }, author: WASMTIME_PEOPLE.committer,
  });
  const comment = sandbox.scenario.comment({ repo, number: issue.number, body: "/backport lts", author: WASMTIME_PEOPLE.outsider });
  // Start-up recovery's job first settles: only this delivery's job is counted below.
  await server.queue.idle();
  const before = server.queue.stats.completed;
  const driver = sandbox.webhooks(server.webhookUrl);
  const delivery = await driver.send(driver.issueComment({ repo, comment }));
  expect(delivery.status).toBe(200);
  await server.queue.idle();
  const replies = botComments(issue.number);
  expect(replies).toHaveLength(1);
  expect(replies[0]!.body).toContain(`@${WASMTIME_PEOPLE.outsider}`);
  expect(replies[0]!.body).toMatch(/only people with .*write.* permission/);
  const health = (await (await fetch(`${server.url}/health`)).json()) as HealthReport;
  expect(health.queue).toEqual({ pending: 0, completed: before + 1, failed: 0 });
  // The App's log lines are JSON objects bound to the repository and job.
  expect(logs.some((line) => line.msg === "lts-steward loaded")).toBe(true);
}, SLOW);

test("a webhook with a bad signature, or none, is refused with 400 and the App does nothing", async () => {
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-forged", title: "Forged", files: { "docs/forged.md": "x\n" }, author: WASMTIME_PEOPLE.outsider,
  });
  const comment = sandbox.scenario.comment({ repo, number: issue.number, body: "/backport lts", author: WASMTIME_PEOPLE.outsider });
  const driver = sandbox.webhooks(server.webhookUrl);
  const event = driver.issueComment({ repo, comment });
  const mark = sandbox.log.mark();
  expect((await driver.send(event, { signature: `sha256=${"0".repeat(64)}` })).status).toBe(400);
  const unsigned = await fetch(server.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": event.name, "x-github-delivery": "unsigned-1" },
    body: JSON.stringify(event.payload),
  });
  expect(unsigned.status).toBe(400);
  // Signed with another secret.
  expect((await sandbox.webhooks(server.webhookUrl, { secret: "not-the-secret" }).send(event)).status).toBe(400);
  await server.queue.idle();
  expect(sandbox.log.since(mark)).toEqual([]);
  expect(botComments(issue.number)).toEqual([]);
}, SLOW);

describe("webhook intake: bodies are bounded while they are read", () => {
  const MB = 1024 * 1024;
  const TOTAL = 300 * MB;

  interface LargePost {
    status: number | null;
    body: string;
    /** Bytes the client had written when the answer (or the connection's end) came. */
    sentAtAnswer: number;
    error?: string;
  }

  /** POSTs TOTAL bytes from a generator of 64 KB chunks (never allocated whole), declared with Content-Length or chunked. */
  function postLarge(url: string, { declareLength, signature = `sha256=${"0".repeat(64)}` }: { declareLength: boolean; signature?: string }): Promise<LargePost> {
    function* chunks() {
      const chunk = Buffer.alloc(64 * 1024, "x");
      for (let sent = 0; sent < TOTAL; sent += chunk.length) yield chunk;
    }
    return new Promise((resolvePost) => {
      let sent = 0;
      let settled = false;
      const settle = (result: LargePost) => {
        if (settled) return;
        settled = true;
        req.destroy();
        resolvePost(result);
      };
      const req = httpRequest(url, {
        method: "POST",
        headers: {
          "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": `large-${Math.random()}`, "x-hub-signature-256": signature,
          ...(declareLength ? { "content-length": TOTAL } : {}),
        },
      });
      req.on("response", (res) => {
        const sentAtAnswer = sent;
        let body = "";
        res.on("data", (chunk: Buffer) => (body += String(chunk)));
        res.on("end", () => settle({ status: res.statusCode ?? null, body, sentAtAnswer }));
        res.on("error", () => settle({ status: res.statusCode ?? null, body, sentAtAnswer }));
      });
      req.on("error", (error: NodeJS.ErrnoException) => settle({ status: null, body: "", sentAtAnswer: sent, error: error.code ?? error.message }));
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

  test("a 300 MB body declared by Content-Length is answered 413 before the client has sent it", async () => {
    const answer = await postLarge(server.webhookUrl, { declareLength: true });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.stringMatching(/larger than 25 MB/) });
    expect(answer.sentAtAnswer).toBeLessThan(TOTAL);
  }, SLOW);

  test("a chunked 300 MB body is cut off with 413 once it passes 25 MB, and its connection closed", async () => {
    const answer = await postLarge(server.webhookUrl, { declareLength: false });
    expect(answer.status).toBe(413);
    expect(answer.sentAtAnswer).toBeGreaterThan(MAX_WEBHOOK_BYTES);
    expect(answer.sentAtAnswer).toBeLessThan(TOTAL);
  }, SLOW);

  test("four 300 MB requests at once: each refused without being read to its end, and /health answers meanwhile", async () => {
    const posts = [true, false, true, false].map((declareLength) => postLarge(server.webhookUrl, { declareLength }));
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const answers = await Promise.all(posts);
    for (const answer of answers) {
      // 413 for each, or 503 for a chunked one when the others hold the 32 MB the server reads at once.
      expect([413, 503]).toContain(answer.status);
      expect(answer.sentAtAnswer).toBeLessThan(TOTAL);
    }
    expect(answers.filter((a, i) => i % 2 === 0).map((a) => a.status)).toEqual([413, 413]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, SLOW);

  test.each([
    ["null", "null"],
    ["a string", JSON.stringify("a string")],
    ["a list", "[1,2]"],
    ["truncated JSON", '{"action":"created","comment":{"body":"/backport lts"'],
  ])("a validly signed body that is not a JSON object (%s) is answered 400", async (_name, body) => {
    const response = await fetch(server.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": `bad-json-${Math.random()}`,
        "x-hub-signature-256": signPayload(sandbox.credentials.webhookSecret, body),
      },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "the payload is not a JSON object" });
  });
});

test("a bad LTS_STEWARD_TODAY, TICK_TIME or missing secret stops the start with a message naming the variable", async () => {
  await expect(startServer({ env: sandboxEnv({ LTS_STEWARD_TODAY: "2025-02-30" }) })).rejects.toThrow(ConfigError);
  await expect(startServer({ env: sandboxEnv({ LTS_STEWARD_TODAY: "21/11/2025" }) })).rejects.toThrow(/LTS_STEWARD_TODAY "21\/11\/2025".*YYYY-MM-DD/);
  await expect(startServer({ env: sandboxEnv({ TICK_TIME: "6am" }) })).rejects.toThrow(/TICK_TIME.*HH:MM.*or off/);
  await expect(startServer({ env: sandboxEnv({ WEBHOOK_SECRET: "" }) })).rejects.toThrow(/WEBHOOK_SECRET is missing/);
});

test("stop() drains the queue, then health is gone and the port is closed", async () => {
  const second = await startServer({ env: sandboxEnv(), log: pino({ level: "silent" }) });
  expect((await fetch(`${second.url}/health`)).status).toBe(200);
  await second.stop();
  await expect(fetch(`${second.url}/health`)).rejects.toThrow();
});

describe("npm start (src/main.ts as a process)", () => {
  let cwd: string;
  beforeAll(() => {
    // An empty working directory: no developer's .env is read.
    cwd = mkdtempSync(join(tmpdir(), "lts-steward-main-"));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  function start(env: Env) {
    const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
    // tsx's loader by its path: the working directory is not the project's.
    const tsx = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
    const child = spawn(process.execPath, ["--import", tsx, join(ROOT, "src/main.ts")], { cwd, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  test("a bad LTS_STEWARD_TODAY: one line on stderr naming it, exit code 2", async () => {
    const run = start(sandboxEnv({ LTS_STEWARD_TODAY: "2025-13-01" }));
    expect(await run.exited).toBe(2);
    expect(run.err().trim()).toBe(
      'lts-steward: bad LTS_STEWARD_TODAY "2025-13-01": expected a calendar day as YYYY-MM-DD (e.g. 2025-11-21), or leave it unset for today\'s UTC date',
    );
  }, SLOW);

  test("LOG_FORMAT=json: every stdout line is a JSON log record; /health answers; SIGTERM stops it cleanly", async () => {
    const run = start(sandboxEnv({ LOG_FORMAT: "json" }));
    const deadline = Date.now() + 20_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /"msg":"lts-steward \S+ listening on (http:\/\/[^"]+)"/.exec(run.out())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as HealthReport).today).toBe(DAY);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    const lines = run.out().trim().split("\n");
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.every((r) => typeof r.level === "number" && typeof r.time === "number" && typeof r.msg === "string")).toBe(true);
    expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining(["lts-steward loaded", "lts-steward stopped"]));
  }, SLOW);
});

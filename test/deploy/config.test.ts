/** The server's settings from the environment (src/server.ts): defaults, accepted forms, refusals. */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadDotEnv, needsSetup, readConfig, type Env } from "../../src/settings.js";

const { privateKey: KEY } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const base: Env = { APP_ID: "42", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "secret" };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lts-steward-config-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refused = (env: Env) => {
  try {
    readConfig(env, { cwd: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("accepted");
};

test("defaults: github.com, localhost:3000, the webhook path, info logs, pretty outside production, tick at 06:00, real today", () => {
  expect(readConfig(base, { cwd: dir })).toMatchObject({
    appId: 42, webhookSecret: "secret", baseUrl: "https://api.github.com", host: "localhost", port: 3000, webhookPath: "/api/github/webhooks",
    log: { level: "info", format: "pretty", levelInString: false }, tick: { time: "06:00" }, today: null, writeIntervalMs: 1000, webhookProxyUrl: null,
  });
  expect(readConfig({ ...base, NODE_ENV: "production" }, { cwd: dir }).log.format).toBe("json");
  expect(readConfig({ ...base, NODE_ENV: "production", LOG_FORMAT: "pretty" }, { cwd: dir }).log.format).toBe("pretty");
});

test("TICK_TIME: HH:MM, or off (any case) for no tick; anything else is refused", () => {
  expect(readConfig({ ...base, TICK_TIME: "23:59" }, { cwd: dir }).tick).toEqual({ time: "23:59" });
  expect(readConfig({ ...base, TICK_TIME: "off" }, { cwd: dir }).tick).toBe(false);
  expect(readConfig({ ...base, TICK_TIME: " OFF " }, { cwd: dir }).tick).toBe(false);
  expect(refused({ ...base, TICK_TIME: "24:00" })).toMatch(/^TICK_TIME: bad tick time "24:00"/);
});

test("LTS_STEWARD_TODAY: a real calendar day, or unset", () => {
  expect(readConfig({ ...base, LTS_STEWARD_TODAY: "2024-02-29" }, { cwd: dir }).today).toBe("2024-02-29");
  expect(readConfig({ ...base, LTS_STEWARD_TODAY: "" }, { cwd: dir }).today).toBeNull();
  expect(refused({ ...base, LTS_STEWARD_TODAY: "2025-02-29" })).toMatch(/^bad LTS_STEWARD_TODAY "2025-02-29": expected a calendar day as YYYY-MM-DD/);
  expect(refused({ ...base, LTS_STEWARD_TODAY: "tomorrow" })).toMatch(/LTS_STEWARD_TODAY "tomorrow"/);
});

test("the private key: PEM, PEM with \\n escapes, base64 of the PEM, or a file; a wrong one is named", () => {
  expect(readConfig({ ...base, PRIVATE_KEY: KEY.replace(/\n/g, "\\n") }, { cwd: dir }).privateKey).toBe(KEY.trim());
  expect(readConfig({ ...base, PRIVATE_KEY: Buffer.from(KEY).toString("base64") }, { cwd: dir }).privateKey).toBe(KEY.trim());
  writeFileSync(join(dir, "app.pem"), KEY);
  expect(readConfig({ ...base, PRIVATE_KEY: "", PRIVATE_KEY_PATH: "app.pem" }, { cwd: dir }).privateKey).toBe(KEY.trim());
  expect(refused({ ...base, PRIVATE_KEY: undefined })).toMatch(/private key is missing: set PRIVATE_KEY .* or PRIVATE_KEY_PATH/);
  expect(refused({ ...base, PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: "nope.pem" })).toMatch(/cannot read the App's private key from PRIVATE_KEY_PATH \(nope\.pem\)/);
  expect(refused({ ...base, PRIVATE_KEY: "not a key" })).toMatch(/^PRIVATE_KEY is not a private key/);
});

test("GitHub Enterprise: GHE_HOST and GHE_PROTOCOL give the API's base URL, as Probot builds it", () => {
  expect(readConfig({ ...base, GHE_HOST: "github.example.com" }, { cwd: dir }).baseUrl).toBe("https://github.example.com/api/v3");
  expect(readConfig({ ...base, GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http" }, { cwd: dir }).baseUrl).toBe("http://127.0.0.1:8080/api/v3");
  expect(refused({ ...base, GHE_HOST: "github.example.com", GHE_PROTOCOL: "ftp" })).toMatch(/GHE_PROTOCOL "ftp"/);
  expect(refused({ ...base, GHE_HOST: "https://github.example.com" })).toMatch(/GHE_HOST .*without a scheme/);
});

test("other refusals name their variable", () => {
  expect(refused({ ...base, APP_ID: undefined })).toMatch(/^APP_ID is missing/);
  expect(refused({ ...base, APP_ID: "lts-steward" })).toMatch(/^bad APP_ID "lts-steward"/);
  expect(refused({ ...base, WEBHOOK_SECRET: undefined })).toMatch(/^WEBHOOK_SECRET is missing/);
  expect(refused({ ...base, PORT: "http" })).toMatch(/^bad PORT "http"/);
  expect(refused({ ...base, PORT: "70000" })).toMatch(/^bad PORT "70000"/);
  expect(refused({ ...base, LOG_LEVEL: "loud" })).toMatch(/^bad LOG_LEVEL "loud"/);
  expect(refused({ ...base, LOG_FORMAT: "xml" })).toMatch(/^bad LOG_FORMAT "xml"/);
  expect(refused({ ...base, WEBHOOK_PATH: "hooks" })).toMatch(/^bad WEBHOOK_PATH "hooks"/);
  expect(refused({ ...base, WRITE_INTERVAL_MS: "fast" })).toMatch(/WRITE_INTERVAL_MS/);
  expect(refused({ ...base, QUEUE_MAX_TOTAL: "0" })).toMatch(/^bad QUEUE_MAX_TOTAL "0"/);
  expect(refused({ ...base, QUEUE_MAX_PER_REPOSITORY: "many" })).toMatch(/^bad QUEUE_MAX_PER_REPOSITORY "many"/);
});

test("the queue's bounds: defaults, or QUEUE_MAX_PER_REPOSITORY and QUEUE_MAX_TOTAL", () => {
  expect(readConfig(base, { cwd: dir }).queue).toEqual({ maxPerKey: 100, maxTotal: 2000 });
  expect(readConfig({ ...base, QUEUE_MAX_PER_REPOSITORY: "5", QUEUE_MAX_TOTAL: " 50 " }, { cwd: dir }).queue).toEqual({ maxPerKey: 5, maxTotal: 50 });
});

test("the setup page is for an unregistered App outside production only", () => {
  expect(needsSetup({})).toBe(true);
  expect(needsSetup({ APP_ID: " " })).toBe(true);
  expect(needsSetup({ APP_ID: "42" })).toBe(false);
  expect(needsSetup({ NODE_ENV: "production" })).toBe(false);
});

test(".env as Probot's setup writes it is read; the environment wins; no file is fine", () => {
  const file = join(dir, ".env");
  // Probot's setup writes the key double-quoted with its newlines escaped.
  writeFileSync(file, [`APP_ID=7`, `PRIVATE_KEY=${`"${KEY}"`.replace(/\n/g, "\\n")}`, `WEBHOOK_SECRET=from-file`].join("\n"));
  const env: Env = { WEBHOOK_SECRET: "from-environment" };
  loadDotEnv(file, env);
  expect(env).toEqual({ APP_ID: "7", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "from-environment" });
  expect(readConfig(env, { cwd: dir }).privateKey).toBe(KEY.trim());
  const untouched: Env = {};
  loadDotEnv(join(dir, "missing.env"), untouched);
  expect(untouched).toEqual({});
});

test("STATUS_TOKEN: unset or empty turns the status page off; a short or spaced one is refused without being repeated", () => {
  expect(readConfig(base, { cwd: dir })).toMatchObject({ statusToken: null, statusJobsPerRepository: 50 });
  expect(readConfig({ ...base, STATUS_TOKEN: "  " }, { cwd: dir }).statusToken).toBeNull();
  const token = "0123456789abcdef0123456789abcdef";
  expect(readConfig({ ...base, STATUS_TOKEN: token, STATUS_JOBS_PER_REPOSITORY: "200" }, { cwd: dir })).toMatchObject({ statusToken: token, statusJobsPerRepository: 200 });
  for (const bad of ["short-secret-15", "a token with spaces inside it", "ünïcödé-tøken-of-length"]) {
    const message = refused({ ...base, STATUS_TOKEN: bad });
    expect(message).toMatch(/^bad STATUS_TOKEN: expected/);
    expect(message).not.toContain(bad);
  }
  expect(refused({ ...base, STATUS_TOKEN: token, STATUS_JOBS_PER_REPOSITORY: "0" })).toMatch(/^bad STATUS_JOBS_PER_REPOSITORY "0"/);
});

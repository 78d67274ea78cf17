/**
 * `lts-steward tick` against the sandbox with the App's credentials, on the cut day of release-40.0.0.
 * The seed stops the day before: seeding through 2025-12-05 would replay that day's cut too.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import type { CliEnv } from "../../src/cli/tick.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";

const SLOW = 60_000;
const TOKEN = "apps/create-installation-access-token";
let sandbox: Sandbox;
let repo: RepoRecord;
let dir: string;

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo } = await sandbox.seedWasmtime({ through: "2025-12-04" }));
  dir = mkdtempSync(join(tmpdir(), "lts-steward-tick-"));
}, SLOW);
afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => sandbox.assertNoViolations());

const credentials = (): CliEnv => ({ APP_ID: String(sandbox.credentials.appId), PRIVATE_KEY: sandbox.credentials.privateKey });
const name = () => `${repo.owner.login}/${repo.name}`;

async function cli(args: string[], env: CliEnv = credentials()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, today: "2025-12-05", env });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
const tick = (extra: string[], env?: CliEnv) => cli(["tick", "--repo", name(), "--on", "2025-12-05", "--base-url", sandbox.apiUrl, ...extra], env);
/** Writes other than minting installation tokens. */
const writesSince = (mark: number) => sandbox.log.writes(mark).map((c) => c.operationId).filter((op) => op !== TOKEN);
const release40 = () => sandbox.store.git(repo).readRef("refs/heads/release-40.0.0");

test("--dry-run prints the planned cut and schedule issue and writes nothing", async () => {
  const mark = sandbox.log.mark();
  const { code, stdout, stderr } = await tick(["--dry-run"]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  const lines = stdout.split("\n");
  expect(lines[0]).toBe(`${name()} on 2025-12-05 (dry run: nothing written):`);
  expect(lines).toContainEqual(expect.stringMatching(/^planned\s+cut\s+create branch release-40\.0\.0\b/));
  expect(lines).toContainEqual(expect.stringMatching(/^planned\s+schedule\s+\S/));
  expect(lines.slice(1).every((l) => l.startsWith("planned "))).toBe(true);
  expect(writesSince(mark)).toEqual([]);
  expect(sandbox.log.writes(mark).map((c) => c.operationId)).toContain(TOKEN);
  expect(await release40()).toBeNull();
}, SLOW);

test("GHE_HOST and GHE_PROTOCOL give the base URL, and a base64 PRIVATE_KEY works, as with Probot", async () => {
  const host = new URL(sandbox.apiUrl).host;
  const env = { APP_ID: String(sandbox.credentials.appId), PRIVATE_KEY: Buffer.from(sandbox.credentials.privateKey).toString("base64"), GHE_HOST: host, GHE_PROTOCOL: "http" };
  const mark = sandbox.log.mark();
  const { code, stdout } = await cli(["tick", "--repo", name(), "--dry-run"], env);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^planned\s+cut\s+create branch release-40\.0\.0/m);
  expect(writesSince(mark)).toEqual([]);
}, SLOW);

test("a real run cuts release-40.0.0; a second run the same day writes nothing", async () => {
  const main = await sandbox.store.git(repo).readRef("refs/heads/main");
  const first = await tick([]);
  expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: "" });
  expect(first.stdout).toMatch(/^done\s+cut\s+create branch release-40\.0\.0/m);
  expect(first.stdout).toMatch(/^done\s+schedule\s+/m);
  expect(first.stdout).not.toMatch(/^(planned|failed)/m);
  expect(await release40()).toBe(main);

  const mark = sandbox.log.mark();
  const second = await tick([]);
  expect(second).toEqual({ code: 0, stdout: `${name()} on 2025-12-05:\nnothing to do`, stderr: "" });
  expect(writesSince(mark)).toEqual([]);
}, SLOW);

describe("bad usage, credentials or config: exit 2 with one message, no stack trace", () => {
  const expectUsageError = (result: { code: number; stdout: string; stderr: string }, message: RegExp) => {
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^lts-steward: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  };

  test("no --repo", async () => {
    expectUsageError(await cli(["tick", "--dry-run", "--base-url", sandbox.apiUrl]), /tick needs --repo owner\/name/);
    expectUsageError(await cli(["tick", "--repo", "wasmtime", "--base-url", sandbox.apiUrl]), /bad --repo "wasmtime": expected owner\/name/);
    expectUsageError(await cli(["tick", "extra", "--repo", name()]), /tick takes no arguments/);
  });

  test("missing or malformed credentials", async () => {
    expectUsageError(await tick(["--dry-run"], {}), /set APP_ID and PRIVATE_KEY/);
    expectUsageError(await tick(["--dry-run"], { APP_ID: "abc", PRIVATE_KEY: sandbox.credentials.privateKey }), /bad APP_ID "abc"/);
    expectUsageError(await tick(["--dry-run"], { APP_ID: "1" }), /set PRIVATE_KEY \(the PEM text, or base64 of it\) or PRIVATE_KEY_PATH/);
    expectUsageError(await tick(["--dry-run"], { APP_ID: "1", PRIVATE_KEY: "not a key" }), /PRIVATE_KEY is not a private key/);
    expectUsageError(await tick(["--dry-run"], { APP_ID: "1", PRIVATE_KEY_PATH: "missing.pem" }), /cannot read the App's private key from PRIVATE_KEY_PATH \(missing\.pem\)/);
  });

  test("credentials GitHub refuses: another key, another App id", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    writeFileSync(join(dir, "other.pem"), privateKey);
    const mark = sandbox.log.mark();
    const appId = String(sandbox.credentials.appId);
    expectUsageError(await tick(["--dry-run"], { APP_ID: appId, PRIVATE_KEY_PATH: "other.pem" }), new RegExp(`refused the App's credentials \\(APP_ID ${appId}\\)`));
    expectUsageError(await tick(["--dry-run"], { ...credentials(), APP_ID: String(sandbox.credentials.appId + 1) }), /refused the App's credentials/);
    expect(sandbox.log.writes(mark)).toEqual([]);
  });

  test("a repository the App is not installed on", async () => {
    expectUsageError(await cli(["tick", "--repo", "nobody/nothing", "--dry-run", "--base-url", sandbox.apiUrl]), /is not installed on nobody\/nothing/);
  });

  test("a repository without a config, or with an invalid one", async () => {
    const owner = repo.owner.login;
    const { repo: bare } = await sandbox.seedRepository({ owner, name: "no-config", script: [{ commit: { branch: "main", message: "init\n", files: { "README.md": "hi\n" }, date: "2025-12-01" } }] });
    expectUsageError(await cli(["tick", "--repo", `${owner}/${bare.name}`, "--dry-run", "--base-url", sandbox.apiUrl]), /no-config has no \.github\/lts-steward\.yml/);
    await sandbox.scenario.commit({ repo: bare, branch: "main", message: "Add a config\n", files: { ".github/lts-steward.yml": "preset: wasmtime\nsupport:\n  lts:\n    evry: 12\n" }, author: "alex-maintainer" });
    const invalid = await cli(["tick", "--repo", `${owner}/${bare.name}`, "--dry-run", "--base-url", sandbox.apiUrl]);
    expectUsageError(invalid, /no-config's \.github\/lts-steward\.yml is invalid:\nsupport\.lts\.evry: unknown key/);
  });
});

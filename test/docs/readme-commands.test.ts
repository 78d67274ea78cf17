/**
 * Every offline `$ lts-steward …` command the README shows is run here, as written, in a directory laid out as
 * the README assumes (the example history, a config file, a draft advisory as GitHub's REST API gives it, a
 * git repository for `--repo .`): each succeeds, and the schedule prints what the README shows. The online
 * `tick` commands run against the sandbox in test/cli/tick.e2e.test.ts; `npm run demo` in test/demo.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
const commands = blocks.flatMap((b) => b.split("\n").filter((l) => l.startsWith("$ lts-steward ")).map((l) => l.slice("$ lts-steward ".length)));

/** Splits a command line as a POSIX shell would for these commands: words, and double-quoted strings. */
const words = (line: string) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lts-steward-readme-"));
  mkdirSync(join(dir, "examples", "wasmtime"), { recursive: true });
  copyFileSync(new URL("../../examples/wasmtime/releases.json", import.meta.url), join(dir, "examples", "wasmtime", "releases.json"));
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github", "lts-steward.yml"), "preset: wasmtime\n");
  writeFileSync(join(dir, "draft-advisory.json"), JSON.stringify({
    ghsa_id: "GHSA-xxxx-xxxx-xxxx", summary: "A draft", state: "draft",
    vulnerabilities: [{ package: { ecosystem: "rust", name: "wasmtime" }, vulnerable_version_range: ">= 36.0.0, < 36.0.5", patched_versions: null }],
  }));
  const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com", GIT_AUTHOR_DATE: "2025-08-20T12:00:00Z", GIT_COMMITTER_DATE: "2025-08-20T12:00:00Z" };
  execFileSync("git", ["init", "-q", "-b", "main", dir], { env });
  execFileSync("git", ["-C", dir, "commit", "-q", "--allow-empty", "-m", "start"], { env });
  execFileSync("git", ["-C", dir, "tag", "v36.0.0"], { env });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the README shows the offline commands", () => {
  expect(commands.map((c) => words(c)[0])).toEqual(expect.arrayContaining(["schedule", "targets", "affected", "check-config"]));
});

test.each(commands.map((c) => [c]))("lts-steward %s", async (command) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(words(command), { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, today: "2026-08-20" });
  expect({ code, stderr: err.join("\n") }).toEqual({ code: 0, stderr: expect.not.stringMatching(/error/i) });
  expect(out.join("\n").length).toBeGreaterThan(0);
  // The output the README shows under the command, up to its "…", is what the command prints.
  const block = blocks.find((b) => b.includes(`$ lts-steward ${command}\n`));
  const rest = block?.split(`$ lts-steward ${command}\n`)[1] ?? "";
  const shown = rest.startsWith("$ ") ? "" : (rest.split("\n$ ")[0]?.split("\n…")[0]?.trim() ?? "");
  if (shown !== "") expect(out.join("\n")).toContain(shown);
});

/**
 * The App's own config reader (src/runtime/repo-config.ts) against the sandbox's contents API, as an
 * installation reads it: the repository's file, the owner's `.github` fallback, `_extends` chains merged
 * nearest last, and every limit (size before decoding, alias bombs, loops, chains) as a config problem.
 */
import type { Octokit } from "@octokit/rest";
import { Sandbox } from "../../sandbox/sandbox.js";
import { DEFAULT_RETRY } from "../../src/github/retry.js";
import { ConfigFileProblem, createConfigReader, loadRepoConfig, MAX_CONFIG_FILES } from "../../src/runtime/repo-config.js";

const FILE = ".github/lts-steward.yml";
const ORG = "acme";
let sandbox: Sandbox;
let octokit: Octokit;

async function repoWith(name: string, files: Record<string, string>, owner = ORG): Promise<void> {
  await sandbox.seedRepository({ owner, name, script: [{ commit: { branch: "main", message: "Config\n", files: { "README.md": `${name}\n`, ...files }, date: "2025-01-01" } }] });
}

const read = (repo: string) => createConfigReader({ octokit, owner: ORG, repo })("lts-steward.yml");
const load = (repo: string) => loadRepoConfig(createConfigReader({ octokit, owner: ORG, repo }), { ...DEFAULT_RETRY, retries: 0 });
const problemsOf = async (repo: string) => {
  const loaded = await load(repo);
  return loaded.status === "invalid" ? loaded.problems.map((p) => `${p.path}: ${p.message}`) : loaded.status;
};

beforeAll(async () => {
  sandbox = await Sandbox.start();
  await repoWith(".github", { [FILE]: "preset: wasmtime\nbackport:\n  copyLabels: [security, 'area:*']\n  reviewers: { extra: [release-team] }\n" });
  await repoWith("shared", {
    [FILE]: "support:\n  regular: latest 3 releases\n",
    "configs/strict.yml": "_extends: shared\nbackport:\n  permission: maintain\n  copyLabels: [security]\n",
  });
  await repoWith("inherits", {});
  await repoWith("own", { [FILE]: "_extends: shared:configs/strict.yml\nbackport:\n  label: backported\n" });
  await repoWith("empty", { [FILE]: "" });
  await repoWith("loop-a", { [FILE]: "_extends: loop-b\n" });
  await repoWith("loop-b", { [FILE]: "_extends: loop-a\n" });
  for (let i = 0; i < MAX_CONFIG_FILES + 1; i++) await repoWith(`chain-${i}`, { [FILE]: i < MAX_CONFIG_FILES ? `_extends: chain-${i + 1}\n` : "preset: wasmtime\n" });
  await repoWith("dangling", { [FILE]: "_extends: nowhere\n" });
  await repoWith("elsewhere", { [FILE]: "_extends: other-org/secret\n" });
  await repoWith("secret", { [FILE]: "preset: wasmtime\n" }, "other-org");
  await repoWith("huge", { [FILE]: `preset: wasmtime\n${"# padding to 450 KB\n".repeat(23_000)}` });
  await repoWith("bomb", { [FILE]: `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`).join("\n")}\n` });
  await repoWith("extends-bomb", { [FILE]: "_extends: bomb\n" });
  await repoWith("absurd", { [FILE]: "preset: wasmtime\ncalendar:\n  cadence: 99999999999999999999 months\n  anchor: { version: 20.0.0, date: 2024-04-20 }\n" });
  await repoWith("not-a-mapping", { [FILE]: "- preset: wasmtime\n" });
  octokit = await sandbox.client({ installationOf: ORG });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
});

afterEach(() => sandbox.assertNoViolations());

test("no file here and none in the owner's .github repository: null (the repository is not managed)", async () => {
  const other = await sandbox.client({ installationOf: "lonely" });
  await repoWith("alone", {}, "lonely");
  expect(await createConfigReader({ octokit: other, owner: "lonely", repo: "alone" })("lts-steward.yml")).toBeNull();
});

test("a repository without a file reads its owner's .github repository's", async () => {
  expect(await read("inherits")).toEqual({ preset: "wasmtime", backport: { copyLabels: ["security", "area:*"], reviewers: { extra: ["release-team"] } } });
});

test("_extends chains are followed and merged, the nearest file last: mappings key by key, lists replaced", async () => {
  expect(await read("own")).toEqual({
    support: { regular: "latest 3 releases" },
    backport: { permission: "maintain", copyLabels: ["security"], label: "backported" },
  });
  const loaded = await load("own");
  expect(loaded.status).toBe("ok");
});

test("an empty file is an empty config", async () => {
  expect(await read("empty")).toEqual({});
});

test.each([
  ["loop-a", "_extends: acme/loop-a:.github/lts-steward.yml is extended twice (a loop of _extends)"],
  ["chain-0", `_extends: more than ${MAX_CONFIG_FILES} files in a chain of _extends (the last read: acme/chain-4:.github/lts-steward.yml)`],
  ["dangling", "_extends: acme/nowhere:.github/lts-steward.yml, named by _extends in acme/dangling:.github/lts-steward.yml, does not exist or the App cannot read it"],
  ["elsewhere", "_extends: other-org/secret:.github/lts-steward.yml, named by _extends in acme/elsewhere:.github/lts-steward.yml, does not exist or the App cannot read it"],
  ["huge", ": .github/lts-steward.yml is 450 KB; configs are limited to 32 KB (a real one is under 5 KB)"],
  ["bomb", ": YAML: too many aliases: expanding them goes past the limit of 100 alias uses (an alias bomb?)"],
  ["extends-bomb", ": in acme/bomb:.github/lts-steward.yml: YAML: too many aliases: expanding them goes past the limit of 100 alias uses (an alias bomb?)"],
  ["absurd", "calendar.cadence: at most 100 years (100 years, 1200 months, 5200 weeks or 36500 days)"],
  ["not-a-mapping", ": the config must be a mapping of keys to values"],
])("%s: a config problem naming the key or the limit", async (repo, problem) => {
  expect(await problemsOf(repo)).toEqual([problem]);
});

test("the reader throws its problems as ConfigFileProblem, which loadRepoConfig shows as they are", async () => {
  await expect(read("huge")).rejects.toBeInstanceOf(ConfigFileProblem);
});

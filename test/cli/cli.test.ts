import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../src/cli/main.js";

let dir: string;
/** tsx's loader by absolute URL: the child runs in a temp directory, where `--import tsx` would not resolve. */
const TSX = pathToFileURL(join(process.cwd(), "node_modules", "tsx", "dist", "loader.mjs")).href;
const releases = [24, 36, 37, 38, 39].map((v) => ({ version: `${v}.0.0`, date: new Date(Date.UTC(2024, 3 + v - 20, 20)).toISOString().slice(0, 10) }));

/**
 * A Wasmtime security day: on 2026-08-20 24.0.12, 36.0.9, 46.0.2 and 47.0.1 ship the fix and 48.0.0 (branch cut
 * 2026-08-05) ships with it; 24 and 46 reach their end of support that day, 45 ended on 2026-07-20.
 */
const SECURITY_DAY = {
  releases: [
    ["24.0.0", "2024-08-20"], ["24.0.11", "2026-05-14"], ["36.0.0", "2025-08-20"], ["36.0.8", "2026-05-14"], ["45.0.0", "2026-05-20"],
    ["46.0.0", "2026-06-20"], ["46.0.1", "2026-07-02"], ["47.0.0", "2026-07-20"],
    ["24.0.12", "2026-08-20"], ["36.0.9", "2026-08-20"], ["46.0.2", "2026-08-20"], ["47.0.1", "2026-08-20"], ["48.0.0", "2026-08-20"],
  ].map(([version, date]) => ({ version, date })),
  branches: [{ name: "release-48.0.0", createdAt: "2026-08-05" }],
};
const SECURITY_RANGES = ["< 24.0.12", ">= 25.0.0, < 36.0.9", ">= 37.0.0, < 46.0.2", ">= 47.0.0, < 47.0.1"].flatMap((r) => ["--range", r]);

async function cli(args: string[], cwd = dir) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, today: "2025-12-01" });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lts-steward-cli-"));
  writeFileSync(join(dir, "history.json"), JSON.stringify({ releases, branches: [] }));
  writeFileSync(join(dir, "history-40.json"), JSON.stringify({ releases, branches: [{ name: "release-40.0.0", createdAt: "2025-12-05" }] }));
  writeFileSync(join(dir, "security-day.json"), JSON.stringify(SECURITY_DAY));
  writeFileSync(join(dir, "typo.yml"), "preset: wasmtime\nsupport:\n  lts:\n    evry: 12\n");
  writeFileSync(join(dir, "bad.json"), '{"releases":[{"version":"1.0.0","date":"2025-13-01"}]}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("targets", () => {
  test("acceptance: security on 2025-12-01 as JSON scripts can rely on", async () => {
    const { code, stdout } = await cli(["targets", "security", "--json", "--preset", "wasmtime", "--releases", "history.json", "--on", "2025-12-01"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.on).toBe("2025-12-01");
    expect(json.targets.map((t: { branch: string }) => t.branch)).toEqual(["release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"]);
    expect(json.targets[0]).toEqual({
      branch: "release-39.0.0",
      line: "39",
      label: "39.0.x",
      kind: "regular",
      status: "supported",
      endOfSupport: "2026-01-20",
      reason: "security: supported line until 2026-01-20 (2 months from nominal release 2025-11-20)",
      nextPatch: "39.0.1",
      latest: "39.0.0",
    });
    expect(json.skipped).toEqual([{ branch: "release-37.0.0", line: "37", label: "37.0.x", status: "end-of-support", reason: "end of support 2025-11-20" }]);
  });

  test("acceptance: a branch cut on 2025-12-05 joins as upcoming on 2025-12-10", async () => {
    const { stdout } = await cli(["targets", "security", "--json", "--preset", "wasmtime", "--releases", "history-40.json", "--on", "2025-12-10"]);
    expect(JSON.parse(stdout).targets[0]).toMatchObject({ branch: "release-40.0.0", status: "upcoming", nextPatch: "40.0.0" });
  });

  test("the --on default is today (UTC) and the human output names each target and the left-out lines", async () => {
    const { code, stdout } = await cli(["targets", "lts", "--preset", "wasmtime", "--releases", "history.json"]);
    expect(code).toBe(0);
    expect(stdout).toMatchInlineSnapshot(`
"On 2025-12-01, lts → 2 targets:
  release-36.0.0  LTS  next 36.0.1  lts: supported LTS line until 2027-08-20 (24 months from nominal release 2025-08-20)
  release-24.0.0  LTS  next 24.0.1  lts: supported LTS line until 2026-08-20 (24 months from nominal release 2024-08-20)
Left out:
  release-39.0.0  supported regular line, not selected by lts
  release-38.0.0  supported regular line, not selected by lts
  release-37.0.0  end of support 2025-11-20"
`);
  });
});

describe("affected and schedule", () => {
  test("affected --json marks each line affected or not, with reasons", async () => {
    const { code, stdout } = await cli(["affected", "--range", ">= 38.0.0, < 38.0.2", "--json", "--preset", "wasmtime", "--releases", "history.json", "--on", "2025-12-01"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.targets).toEqual([expect.objectContaining({ branch: "release-38.0.0", affected: true, nextPatch: "38.0.1" })]);
    expect(json.targets[0]).toMatchObject({ label: "38.0.x", verdict: "affected", patchedIn: null });
    expect(json.skipped.find((s: { line: string }) => s.line === "39")).toMatchObject({
      affected: false,
      verdict: "not-affected",
      patchedIn: null,
      reason: "no 39.0.x version is within >= 38.0.0, < 38.0.2",
    });
  });

  test("affected on the eve of a security day: the upcoming line is affected too, ended vulnerable lines are named as such", async () => {
    const { code, stdout } = await cli(["affected", ...SECURITY_RANGES, "--preset", "wasmtime", "--releases", "security-day.json", "--on", "2026-08-19"]);
    expect(code).toBe(0);
    expect(stdout).toMatchInlineSnapshot(`
"On 2026-08-19, 5 security lines are affected by < 24.0.12 or >= 25.0.0, < 36.0.9 or >= 37.0.0, < 46.0.2 or >= 47.0.0, < 47.0.1:
  release-48.0.0  LTS      fix in 48.0.0   not released yet, and the newest released line 47.0.x is affected (47.0.0 is within >= 47.0.0, < 47.0.1): release-48.0.0 has the vulnerable code unless it was cut after the fix; the fix ships in 48.0.0
  release-47.0.0  regular  fix in 47.0.1   47.0.0 is within >= 47.0.0, < 47.0.1; the fix ships in 47.0.1
  release-46.0.0  regular  fix in 46.0.2   46.0.1 is within >= 37.0.0, < 46.0.2; the fix ships in 46.0.2
  release-36.0.0  LTS      fix in 36.0.9   36.0.8 is within >= 25.0.0, < 36.0.9; the fix ships in 36.0.9
  release-24.0.0  LTS      fix in 24.0.12  24.0.11 is within < 24.0.12; the fix ships in 24.0.12
Ended, vulnerable (no fix planned):
  release-45.0.0  end of support 2026-07-20, no fix planned: 45.0.0 is within >= 37.0.0, < 46.0.2
For the advisory, one entry per line (affected versions, patched versions):
  release-47.0.0  >= 47.0.0, < 47.0.1   47.0.1
  release-46.0.0  >= 46.0.0, < 46.0.2   46.0.2
  release-36.0.0  >= 36.0.0, < 36.0.9   36.0.9
  release-24.0.0  >= 24.0.0, < 24.0.12  24.0.12"
`);
  });

  test("affected --advisory reads the ranges from GitHub's advisory JSON (or its webhook payload) and prints the entries to publish", async () => {
    const vulnerabilities = [
      { package: { ecosystem: "rust", name: "wasmtime" }, vulnerable_version_range: "< 24.0.12", patched_versions: null },
      { package: { ecosystem: "rust", name: "wasmtime" }, vulnerable_version_range: ">= 25.0.0, < 36.0.9", patched_versions: null },
      { package: { ecosystem: "rust", name: "wasmtime" }, vulnerable_version_range: ">= 37.0.0, < 46.0.2", patched_versions: null },
      { package: { ecosystem: "rust", name: "wasmtime" }, vulnerable_version_range: ">= 47.0.0, < 47.0.1", patched_versions: null },
    ];
    writeFileSync(join(dir, "advisory.json"), JSON.stringify({ ghsa_id: "GHSA-aaaa-bbbb-cccc", summary: "Table bounds", state: "draft", vulnerabilities }));
    writeFileSync(join(dir, "payload.json"), JSON.stringify({ action: "published", repository_advisory: { ghsa_id: "GHSA-aaaa-bbbb-cccc", summary: "Table bounds", vulnerabilities } }));
    const byRange = await cli(["affected", ...SECURITY_RANGES, "--preset", "wasmtime", "--releases", "security-day.json", "--on", "2026-08-19"]);
    for (const file of ["advisory.json", "payload.json"]) {
      const fromFile = await cli(["affected", "--advisory", file, "--preset", "wasmtime", "--releases", "security-day.json", "--on", "2026-08-19"]);
      expect({ file, code: fromFile.code, stdout: fromFile.stdout }).toEqual({ file, code: 0, stdout: byRange.stdout });
    }
    // The entries: one per line that shipped a vulnerable version, never the upcoming line (its first release has the fix).
    expect(byRange.stdout.split("For the advisory")[1]).toBe(` , one entry per line (affected versions, patched versions):
  release-47.0.0  >= 47.0.0, < 47.0.1   47.0.1
  release-46.0.0  >= 46.0.0, < 46.0.2   46.0.2
  release-36.0.0  >= 36.0.0, < 36.0.9   36.0.9
  release-24.0.0  >= 24.0.0, < 24.0.12  24.0.12`.replace(" ,", ","));
    const json = JSON.parse((await cli(["affected", "--advisory", "advisory.json", "--json", "--preset", "wasmtime", "--releases", "security-day.json", "--on", "2026-08-19"])).stdout);
    expect(json.advisoryEntries.map((e: { branch: string }) => e.branch)).toEqual(["release-47.0.0", "release-46.0.0", "release-36.0.0", "release-24.0.0"]);
    writeFileSync(join(dir, "not-advisory.json"), JSON.stringify({ hello: "world" }));
    const bad = await cli(["affected", "--advisory", "not-advisory.json", "--preset", "wasmtime", "--releases", "security-day.json"]);
    expect([bad.code, bad.stderr]).toEqual([2, 'lts-steward: not-advisory.json is not an advisory as GitHub gives it: no "vulnerabilities" list']);
    const missing = await cli(["affected", "--advisory", "nowhere.json", "--preset", "wasmtime", "--releases", "security-day.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^lts-steward: cannot read the advisory nowhere.json: ENOENT/);
  });

  test("affected the day after: every line that shipped the fix is patched in its release, the lines that ended that day too", async () => {
    const { code, stdout } = await cli(["affected", ...SECURITY_RANGES, "--preset", "wasmtime", "--releases", "security-day.json", "--on", "2026-08-21"]);
    expect(code).toBe(0);
    expect(stdout).toMatchInlineSnapshot(`
"On 2026-08-21, no security line is affected by < 24.0.12 or >= 25.0.0, < 36.0.9 or >= 37.0.0, < 46.0.2 or >= 47.0.0, < 47.0.1.
Patched:
  release-47.0.0  patched in 47.0.1: 47.0.0 is within >= 47.0.0, < 47.0.1, 47.0.1 is not
  release-46.0.0  patched in 46.0.2: 46.0.1 is within >= 37.0.0, < 46.0.2, 46.0.2 is not; end of support 2026-08-20
  release-36.0.0  patched in 36.0.9: 36.0.8 is within >= 25.0.0, < 36.0.9, 36.0.9 is not
  release-24.0.0  patched in 24.0.12: 24.0.11 is within < 24.0.12, 24.0.12 is not; end of support 2026-08-20
Ended, vulnerable (no fix planned):
  release-45.0.0  end of support 2026-07-20, no fix planned: 45.0.0 is within >= 37.0.0, < 46.0.2
Not affected:
  release-48.0.0  no 48.0.x version is within < 24.0.12 or >= 25.0.0, < 36.0.9 or >= 37.0.0, < 46.0.2 or >= 47.0.0, < 47.0.1
For the advisory, one entry per line (affected versions, patched versions):
  release-47.0.0  >= 47.0.0, < 47.0.1   47.0.1
  release-46.0.0  >= 46.0.0, < 46.0.2   46.0.2
  release-36.0.0  >= 36.0.0, < 36.0.9   36.0.9
  release-24.0.0  >= 24.0.0, < 24.0.12  24.0.12"
`);
    const json = JSON.parse((await cli(["affected", ...SECURITY_RANGES, "--json", "--preset", "wasmtime", "--releases", "security-day.json", "--on", "2026-08-21"])).stdout);
    expect(json.targets).toEqual([]);
    const verdicts = json.skipped.map((s: { label: string; status: string; verdict: string; patchedIn: string | null }) => [s.label, s.status, s.verdict, s.patchedIn]);
    expect(verdicts).toEqual([
      ["48.0.x", "supported", "not-affected", null],
      ["47.0.x", "supported", "patched", "47.0.1"],
      ["46.0.x", "end-of-support", "patched", "46.0.2"],
      ["45.0.x", "end-of-support", "ended-vulnerable", null],
      ["36.0.x", "supported", "patched", "36.0.9"],
      ["24.0.x", "end-of-support", "patched", "24.0.12"],
    ]);
  });

  test.each([
    ["table", "| 39 | `release-39.0.0` | regular | 2025-11-20 | 2026-01-20 | 39.0.0 | supported |"],
    ["mermaid", "    section LTS\n    36 : active, 2025-08-20, 2027-08-20"],
    ["json", '"releaseCycle": "36"'],
  ])("schedule --format %s", async (format, expected) => {
    const { code, stdout } = await cli(["schedule", "--format", format, "--preset", "wasmtime", "--releases", "history.json"]);
    expect(code).toBe(0);
    expect(stdout).toContain(expected);
  });
});

describe("check-config", () => {
  test("a misspelt key exits 2 and names the key's path", async () => {
    const { code, stderr } = await cli(["check-config", "typo.yml"]);
    expect(code).toBe(2);
    expect(stderr).toContain("support.lts.evry: unknown key");
  });

  test("a valid config summarises the policy", async () => {
    const { code, stdout } = await cli(["check-config", "--preset", "wasmtime"]);
    expect(code).toBe(0);
    expect(stdout).toContain("support:  regular 2 months from the nominal release; LTS every 12 lines from 24, 24 months");
  });

  test("the default path is the repository's .github/lts-steward.yml", async () => {
    const repo = join(dir, "repo");
    mkdirSync(join(repo, ".github"), { recursive: true });
    writeFileSync(join(repo, ".github", "lts-steward.yml"), "preset: wasmtime\n");
    const { code, stdout } = await cli(["check-config"], repo);
    expect(code).toBe(0);
    expect(stdout).toContain(`${join(repo, ".github", "lts-steward.yml")}: valid`);
  });
});

describe("bad input: one clear line on stderr, exit 2", () => {
  const base = ["--preset", "wasmtime", "--releases", "history.json"];
  test.each([
    [["targets", "bogus", ...base], 'lts-steward: unknown selector or branch "bogus"; valid: security, supported, lts, current, upcoming, release-39.0.0'],
    [["targets", "security", ...base, "--on", "2025-02-30"], 'lts-steward: bad date "2025-02-30" for --on: expected a calendar day as YYYY-MM-DD'],
    [["affected", "--range", ">= 1.2", ...base], 'lts-steward: bad version range ">= 1.2"'],
    [["affected", ...base], "lts-steward: affected needs at least one --range"],
    [["targets", "security", "--releases", "history.json"], "lts-steward: no config: "],
    [["targets", "security", "--config", "missing.yml", "--releases", "history.json"], "lts-steward: cannot read config file "],
    [["targets", "security", "--preset", "nodejs", "--releases", "history.json"], 'lts-steward: unknown preset "nodejs"; presets: wasmtime'],
    [["targets", "security", "--preset", "wasmtime", "--repo", "."], "is not a git repository"],
    [["targets", "security", "--preset", "wasmtime", "--releases", "bad.json"], "bad.json: releases.0.date: expected YYYY-MM-DD"],
    [["targets", "security", "--preset", "wasmtime", "--releases", "nope.json"], "lts-steward: cannot read release history"],
    [["schedule", "--format", "svg", ...base], 'lts-steward: bad --format "svg"'],
    [["deploy", ...base], 'lts-steward: unknown command "deploy"'],
    [["targets", "--bogus-flag", ...base], "lts-steward: Unknown option '--bogus-flag'"],
    [["targets", ...base], "lts-steward: targets needs at least one selector"],
  ])("%j", async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("the real process", () => {
  test("the entry point prints one line and exits 2 on bad input, without a stack trace", () => {
    const result = spawnSync(process.execPath, ["--import", TSX, join(process.cwd(), "src/cli/main.ts"), "targets", "nope", "--preset", "wasmtime", "--releases", "history.json"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^lts-steward: unknown selector or branch "nope"/);
  });

  test("reads tags and branches from a real git repository", () => {
    const repo = join(dir, "git-repo");
    mkdirSync(repo);
    const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
    const git = (args: string[], date = "2025-01-01T12:00:00Z") =>
      execFileSync("git", ["-C", repo, ...args], { env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
    git(["init", "-q", "-b", "main"]);
    for (const [v, day] of [[24, "2024-08-20"], [36, "2025-08-20"], [37, "2025-09-20"], [38, "2025-10-20"], [39, "2025-11-20"]] as const) {
      git(["commit", "-q", "--allow-empty", "-m", `v${v}`], `${day}T12:00:00Z`);
      git(["tag", `v${v}.0.0`], `${day}T12:00:00Z`);
    }
    git(["tag", "v40.0.0-rc.1"], "2025-12-06T12:00:00Z");
    const result = spawnSync(process.execPath, ["--import", TSX, join(process.cwd(), "src/cli/main.ts"), "targets", "security", "--json", "--preset", "wasmtime", "--repo", repo, "--on", "2025-12-01"], {
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    const json = JSON.parse(result.stdout);
    expect(json.targets.map((t: { branch: string }) => t.branch)).toEqual(["release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"]);
    expect(json.skipped.map((s: { branch: string }) => s.branch)).toEqual(["release-37.0.0"]);
  });
});

describe("a history that stops short, and lines that ended recently", () => {
  test("months after the newest tag: one warning on stderr naming the missing lines, the newest release and what to do; the answer still comes", async () => {
    const r = await cli(["targets", "security", "--preset", "wasmtime", "--releases", "history.json", "--on", "2026-04-10"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: this history stops short: its newest release is 39.0.0 (2025-11-20)");
    expect(r.stderr).toContain("40.0.0, 41.0.0, 42.0.0 and 43.0.0 were due by 2026-03-20");
    expect(r.stderr).toContain("bring the releases file up to date");
    expect(r.stdout).toContain("security →");
  });

  test("a command that fails says only why it failed", async () => {
    const r = await cli(["targets", "nope", "--preset", "wasmtime", "--releases", "history.json", "--on", "2026-04-10"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")).toEqual([expect.stringMatching(/^lts-steward: unknown selector or branch "nope"/)]);
  });

  test("from a git repository the hint is to fetch; up to date (or a release a few days late) says nothing", async () => {
    const repo = join(dir, "stale-repo");
    mkdirSync(repo, { recursive: true });
    const g = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { env: { ...process.env, GIT_AUTHOR_DATE: "2025-11-20T12:00:00Z", GIT_COMMITTER_DATE: "2025-11-20T12:00:00Z" } });
    g("init", "-q", "-b", "main");
    g("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "one");
    g("tag", "v39.0.0");
    const stale = await cli(["targets", "security", "--preset", "wasmtime", "--repo", repo, "--on", "2026-02-01"]);
    expect(stale.stderr).toContain("fetch the tags and branches (`git fetch --tags origin`)");
    expect(stale.stderr).toContain("40.0.0 and 41.0.0 were due by 2026-01-20");
    expect((await cli(["targets", "security", "--preset", "wasmtime", "--releases", "history.json", "--on", "2025-12-01"])).stderr).toBe("");
    expect((await cli(["targets", "security", "--preset", "wasmtime", "--releases", "history.json", "--on", "2025-12-26"])).stderr).toBe("");
  });

  test("an LTS line that ended the same day as regular lines is named, not counted among the older lines", async () => {
    const r = await cli(["targets", "lts", "--preset", "wasmtime", "--releases", "security-day.json", "--on", "2026-09-01"]);
    expect(r.stdout).toMatch(/release-24\.0\.0 +end of support 2026-08-20 \(LTS\)/);
  });
});

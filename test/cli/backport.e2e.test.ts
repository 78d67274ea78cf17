/**
 * `lts-steward backport` (issue 15) in a local clone of the sandbox's Wasmtime-like history on 2025-11-10
 * (24, 36, 37, 38 supported, 39 upcoming): two fixes, one branch per target line with both commits, trees
 * equal to real `git cherry-pick -x` of both; lines where the memory fix conflicts (37 and older) reported
 * with their files and left without a branch; nothing pushed without --push.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BareRepo } from "../../sandbox/git/bare-repo.js";
import { buildRepository } from "../../sandbox/seed/build-repository.js";
import { WASMTIME_FIXES, wasmtimeFix, wasmtimeLikeScript } from "../../sandbox/seed/wasmtime-like.js";
import { runCli } from "../../src/cli/main.js";
import { cherryPickTree } from "../backport/harness.js";
import { git } from "../sandbox/git-cli.js";

const THROUGH = "2025-11-10";
let root: string;
let bare: string;
let clone: string;
let shas: string[];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cli-backport-"));
  bare = path.join(root, "origin.git");
  const repo = await BareRepo.init({ dir: bare, defaultBranch: "main" });
  await buildRepository({ repo, script: wasmtimeLikeScript({ through: THROUGH }).script });
  clone = path.join(root, "clone");
  git(root, ["clone", "-q", bare, clone]);
  shas = [];
  for (const kind of ["clean", "conflictsOnOld"] as const) {
    const fix = wasmtimeFix(kind, { through: THROUGH });
    for (const [file, content] of Object.entries(fix.files)) fs.writeFileSync(path.join(clone, file), content);
    git(clone, ["add", "-A"]);
    git(clone, ["commit", "-q", "-m", fix.message]);
    shas.push(git(clone, ["rev-parse", "HEAD"]));
  }
  // The reference picks run in clones of the bare repository: give it the fixes.
  git(clone, ["push", "-q", "origin", "HEAD:refs/heads/fixes"]);
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test("two commits --to security: a branch per clean line with both picks (trees as git cherry-pick -x), conflicts reported without a branch", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["backport", ...shas, "--to", "security", "--on", THROUGH, "--preset", "wasmtime", "--repo", clone], {
    stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: root, today: THROUGH,
  });
  expect(err).toEqual([]);
  expect(code).toBe(0);
  const text = out.join("\n");
  const branches = git(clone, ["for-each-ref", "--format=%(refname:short)", "refs/heads/lts-steward/"]).split("\n").filter(Boolean).sort();
  const clean = ["release-38.0.0", "release-39.0.0"];
  expect(branches.map((b) => b.split("/")[2])).toEqual(clean);
  for (const branch of branches) {
    const target = branch.split("/")[2]!;
    expect(git(clone, ["rev-parse", `${branch}^{tree}`])).toBe(cherryPickTree({ gitDir: bare, branch: target, shas }));
    const messages = git(clone, ["log", "--format=%B", "-n", "2", branch]);
    for (const sha of shas) expect(messages).toContain(`(cherry picked from commit ${sha})`);
  }
  for (const line of ["release-37.0.0", "release-36.0.0", "release-24.0.0"]) {
    expect(text).toMatch(new RegExp(`${line}: conflict cherry-picking ${shas[1]!.slice(0, 12)}, no branch`));
    expect(cherryPickTree({ gitDir: bare, branch: line, shas })).toBe("conflict");
  }
  expect(text).toContain(`files: ${WASMTIME_FIXES.conflictsOnOld.file}`);
  expect(text).toContain("earlier changes to these files that this line never got");
  expect(text).toContain("Nothing pushed.");
  expect(text).toContain("gh pr create --base release-38.0.0");
  // No worktree left behind, nothing pushed.
  expect(git(clone, ["worktree", "list"]).split("\n")).toHaveLength(1);
  expect(git(bare, ["for-each-ref", "refs/heads/lts-steward/"])).toBe("");
}, 120_000);

test("--push <remote>: the branches are pushed there", async () => {
  const out: string[] = [];
  const code = await runCli(["backport", shas[0]!, "--to", "38", "--on", THROUGH, "--preset", "wasmtime", "--repo", clone, "--push", "origin"], {
    stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: root, today: THROUGH,
  });
  expect(code).toBe(0);
  expect(git(bare, ["for-each-ref", "--format=%(refname:short)", "refs/heads/lts-steward/"])).toBe(`lts-steward/backport/release-38.0.0/${shas[0]!.slice(0, 8)}`);
  expect(out.join("\n")).toContain("Pushed to origin.");
}, 120_000);

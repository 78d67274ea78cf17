/**
 * The sandbox over HTTP, git side: a cherry-pick done through its REST API the way the App does it
 * (sibling commit, server-side merge, real commit) matches `git cherry-pick` on a clone; conflicts answer
 * 409 and move nothing; refs behave as GitHub's; pull requests merge with GitHub's three methods.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { git } from "./git-cli.js";

let sandbox: Sandbox;
let repo: RepoRecord;
let octokit: Octokit;
let fixes: Awaited<ReturnType<Sandbox["seedWasmtime"]>>["history"]["fixes"];
const owner = "bytecodealliance";
const name = "wasmtime";

beforeAll(async () => {
  sandbox = await Sandbox.start({ now: () => new Date("2025-12-10T09:00:00Z") });
  const seeded = await sandbox.seedWasmtime({ through: "2025-12-10" });
  repo = seeded.repo;
  fixes = seeded.history.fixes;
  octokit = await sandbox.client({ installationOf: owner });
});

afterAll(async () => {
  await sandbox.stop();
});

afterEach(() => {
  sandbox.assertNoViolations();
});

async function mergedFix(kind: "clean" | "conflictsOnOld", branch: string): Promise<{ sha: string; number: number }> {
  const fix = fixes[kind];
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch, title: fix.message.split("\n")[0]!, files: fix.files, author: WASMTIME_PEOPLE.committer });
  const sha = await sandbox.scenario.merge({ repo, number: issue.number, method: "squash", by: WASMTIME_PEOPLE.maintainer });
  return { sha, number: issue.number };
}

/** The App's cherry-pick, step by step through the REST API (DESIGN.md §5). Returns the new commit. */
async function cherryPickThroughApi({ sha, target, branch }: { sha: string; target: string; branch: string }) {
  const head = (await octokit.git.getRef({ owner, repo: name, ref: `heads/${target}` })).data.object.sha;
  const headCommit = (await octokit.git.getCommit({ owner, repo: name, commit_sha: head })).data;
  const picked = (await octokit.git.getCommit({ owner, repo: name, commit_sha: sha })).data;
  const sibling = await octokit.git.createCommit({ owner, repo: name, message: "sibling", tree: headCommit.tree.sha, parents: [picked.parents[0]!.sha] });
  await octokit.git.createRef({ owner, repo: name, ref: `refs/heads/${branch}`, sha: sibling.data.sha });
  const merge = await octokit.repos.merge({ owner, repo: name, base: branch, head: sha });
  const commit = await octokit.git.createCommit({
    owner, repo: name,
    message: `${picked.message}\n\n(cherry picked from commit ${sha})`,
    tree: merge.data.commit.tree.sha,
    parents: [head],
  });
  await octokit.git.updateRef({ owner, repo: name, ref: `heads/${branch}`, sha: commit.data.sha, force: true });
  return commit.data;
}

function cherryPickOnClone({ sha, target }: { sha: string; target: string }): string {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-clone-"));
  try {
    git(tmpdir(), ["clone", "--quiet", repo.gitDir, dir]);
    git(dir, ["switch", "--quiet", target]);
    git(dir, ["cherry-pick", "-x", sha]);
    return git(dir, ["rev-parse", "HEAD^{tree}"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a cherry-pick through the API (sibling commit, merge, commit) gives the same tree as git cherry-pick", async () => {
  const { sha } = await mergedFix("clean", "fix-table-fill");
  const commit = await cherryPickThroughApi({ sha, target: "release-38.0.0", branch: "lts-steward/backport/38.0.x/pr-1" });
  expect(commit.tree.sha).toBe(cherryPickOnClone({ sha, target: "release-38.0.0" }));
  expect(commit.message).toContain(`(cherry picked from commit ${sha})`);
  // GitHub signs what it authors for an App that leaves author and committer unset.
  expect(commit.verification).toMatchObject({ verified: true });
  expect(commit.author.name).toBe("lts-steward[bot]");
  const branch = await octokit.repos.getBranch({ owner, repo: name, branch: "lts-steward/backport/38.0.x/pr-1" });
  expect(branch.data.commit.sha).toBe(commit.sha);
  expect(branch.data.commit.parents.map((p) => p.sha)).toEqual([(await octokit.git.getRef({ owner, repo: name, ref: "heads/release-38.0.0" })).data.object.sha]);
});

test("a conflicting merge answers 409 and changes no ref", async () => {
  const { sha } = await mergedFix("conflictsOnOld", "fix-memory-grow");
  const head = (await octokit.git.getRef({ owner, repo: name, ref: "heads/release-36.0.0" })).data.object.sha;
  const picked = (await octokit.git.getCommit({ owner, repo: name, commit_sha: sha })).data;
  const headTree = (await octokit.git.getCommit({ owner, repo: name, commit_sha: head })).data.tree.sha;
  const sibling = await octokit.git.createCommit({ owner, repo: name, message: "sibling", tree: headTree, parents: [picked.parents[0]!.sha] });
  await octokit.git.createRef({ owner, repo: name, ref: "refs/heads/lts-steward/backport/36.0.x/pr-2", sha: sibling.data.sha });
  const refsBefore = (await octokit.git.listMatchingRefs({ owner, repo: name, ref: "heads/" })).data;
  await expect(octokit.repos.merge({ owner, repo: name, base: "lts-steward/backport/36.0.x/pr-2", head: sha })).rejects.toMatchObject({ status: 409 });
  expect((await octokit.git.listMatchingRefs({ owner, repo: name, ref: "heads/" })).data).toEqual(refsBefore);
  // The same fix applies cleanly where main's rewrite of memory.rs is already in.
  const clean = await cherryPickThroughApi({ sha, target: "release-39.0.0", branch: "lts-steward/backport/39.0.x/pr-2" });
  expect(clean.tree.sha).toBe(cherryPickOnClone({ sha, target: "release-39.0.0" }));
});

test("merging what the base already has answers 204", async () => {
  const main = (await octokit.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
  const parent = (await octokit.git.getCommit({ owner, repo: name, commit_sha: main })).data.parents[0]!.sha;
  const answer = await octokit.repos.merge({ owner, repo: name, base: "main", head: parent });
  expect(answer.status).toBe(204);
});

test("refs: creating an existing ref is 422, a non-fast-forward needs force, deleting a missing ref is 422", async () => {
  const main = (await octokit.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
  await expect(octokit.git.createRef({ owner, repo: name, ref: "refs/heads/main", sha: main })).rejects.toMatchObject({
    status: 422,
    response: { data: { message: "Reference already exists" } },
  });
  const release = (await octokit.git.getRef({ owner, repo: name, ref: "heads/release-36.0.0" })).data.object.sha;
  await octokit.git.createRef({ owner, repo: name, ref: "refs/heads/scratch", sha: main });
  await expect(octokit.git.updateRef({ owner, repo: name, ref: "heads/scratch", sha: release })).rejects.toMatchObject({ status: 422 });
  const forced = await octokit.git.updateRef({ owner, repo: name, ref: "heads/scratch", sha: release, force: true });
  expect(forced.data.object.sha).toBe(release);
  await octokit.git.deleteRef({ owner, repo: name, ref: "heads/scratch" });
  await expect(octokit.git.getRef({ owner, repo: name, ref: "heads/scratch" })).rejects.toMatchObject({ status: 404 });
  await expect(octokit.git.deleteRef({ owner, repo: name, ref: "heads/scratch" })).rejects.toMatchObject({ status: 422 });
  const tags = await octokit.git.listMatchingRefs({ owner, repo: name, ref: "tags/v36." });
  expect(tags.data.map((t) => t.ref)).toEqual(["refs/tags/v36.0.0", "refs/tags/v36.0.1", "refs/tags/v36.0.2", "refs/tags/v36.0.3"]);
});

test("pull requests merge with GitHub's three methods and record merge_commit_sha", async () => {
  const people = WASMTIME_PEOPLE;
  const twoCommits = async (branch: string) => {
    await sandbox.scenario.commit({ repo, branch, message: `${branch}: one`, files: { [`docs/${branch}-1.md`]: "one\n" }, author: people.committer });
    await sandbox.scenario.commit({ repo, branch, message: `${branch}: two`, files: { [`docs/${branch}-2.md`]: "two\n" }, author: people.committer });
    const client = await sandbox.client({ login: people.committer });
    return (await client.pulls.create({ owner, repo: name, head: branch, base: "main", title: `Add ${branch} docs` })).data;
  };
  const maintainer = await sandbox.client({ login: people.maintainer });
  const parentsOf = async (sha: string) => (await octokit.git.getCommit({ owner, repo: name, commit_sha: sha })).data.parents.map((p) => p.sha);

  for (const method of ["merge", "squash", "rebase"] as const) {
    const pull = await twoCommits(`docs-${method}`);
    const before = (await octokit.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
    const merged = await maintainer.pulls.merge({ owner, repo: name, pull_number: pull.number, merge_method: method });
    const after = (await octokit.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
    expect(after).toBe(merged.data.sha);
    const read = (await octokit.pulls.get({ owner, repo: name, pull_number: pull.number })).data;
    expect(read).toMatchObject({ merged: true, state: "closed", merge_commit_sha: after, merged_by: { login: people.maintainer } });
    const commits = (await octokit.pulls.listCommits({ owner, repo: name, pull_number: pull.number })).data;
    expect(commits.map((c) => c.commit.message)).toEqual([`docs-${method}: one`, `docs-${method}: two`]);
    if (method === "merge") expect(await parentsOf(after)).toEqual([before, pull.head.sha]);
    if (method === "squash") {
      expect(await parentsOf(after)).toEqual([before]);
      expect((await octokit.git.getCommit({ owner, repo: name, commit_sha: after })).data.message).toMatch(new RegExp(`^Add docs-squash docs \\(#${pull.number}\\)`));
    }
    if (method === "rebase") {
      const first = (await parentsOf(after))[0]!;
      expect(await parentsOf(first)).toEqual([before]);
      expect((await octokit.git.getCommit({ owner, repo: name, commit_sha: first })).data.message).toBe("docs-rebase: one");
    }
  }
});

test("compare, commits with files, branches and trees read the real history", async () => {
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch: "docs-compare", title: "Document compare", files: { "docs/compare.md": "compare\n" }, author: WASMTIME_PEOPLE.committer });
  const sha = await sandbox.scenario.merge({ repo, number: issue.number, by: WASMTIME_PEOPLE.maintainer });
  const commit = (await octokit.repos.getCommit({ owner, repo: name, ref: sha })).data;
  expect(commit.files?.map((f) => [f.filename, f.status, f.additions])).toEqual([["docs/compare.md", "added", 1]]);
  expect(commit.parents).toHaveLength(1);
  const compare = (await octokit.repos.compareCommitsWithBasehead({ owner, repo: name, basehead: `release-38.0.0...main` })).data;
  expect(compare.status).toBe("diverged");
  expect(compare.ahead_by).toBeGreaterThan(0);
  expect(compare.commits.at(-1)?.sha).toBe((await octokit.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha);
  expect(compare.files?.map((f) => f.filename)).toEqual(expect.arrayContaining(["docs/compare.md", "crates/runtime/src/table.rs"]));
  const identical = (await octokit.repos.compareCommitsWithBasehead({ owner, repo: name, basehead: "main...main" })).data;
  expect(identical).toMatchObject({ status: "identical", ahead_by: 0, behind_by: 0 });
  const branches = await octokit.paginate(octokit.repos.listBranches, { owner, repo: name, per_page: 100 });
  expect(branches.map((b) => b.name)).toEqual(expect.arrayContaining(["main", "release-24.0.0", "release-36.0.0", "release-40.0.0"]));
  const tree = (await octokit.git.getTree({ owner, repo: name, tree_sha: commit.commit.tree.sha, recursive: "true" })).data;
  expect(tree.tree.map((e) => e.path)).toEqual(expect.arrayContaining([".github/lts-steward.yml", "docs/compare.md", "crates/runtime/src/table.rs"]));
});

test("list commits pages newest first and filters by since and until", async () => {
  const page = await octokit.repos.listCommits({ owner, repo: name, sha: "release-36.0.0", per_page: 5 });
  expect(page.data).toHaveLength(5);
  expect(page.data[0]!.sha).toBe((await octokit.git.getRef({ owner, repo: name, ref: "heads/release-36.0.0" })).data.object.sha);
  expect(page.headers.link).toContain('rel="next"');
  const dates = page.data.map((c) => c.commit.committer!.date!);
  expect([...dates].sort().reverse()).toEqual(dates);
  const august = await octokit.paginate(octokit.repos.listCommits, { owner, repo: name, sha: "release-36.0.0", since: "2025-08-01T00:00:00Z", until: "2025-08-31T23:59:59Z", per_page: 100 });
  expect(august.length).toBeGreaterThan(0);
  expect(august.every((c) => c.commit.committer!.date! >= "2025-08-01" && c.commit.committer!.date! < "2025-09-01")).toBe(true);
});

test("list commits with a path keeps only the commits that change it", async () => {
  const touching = await octokit.paginate(octokit.repos.listCommits, { owner, repo: name, sha: "main", path: "crates/runtime/src/memory.rs", per_page: 100 });
  expect(touching.length).toBeGreaterThan(0);
  expect(touching.map((c) => c.commit.message)).toContainEqual(expect.stringContaining("Refactor linear memories"));
  for (const commit of touching.slice(0, 5)) {
    const files = (await octokit.repos.getCommit({ owner, repo: name, ref: commit.sha })).data.files ?? [];
    expect(files.map((f) => f.filename)).toContain("crates/runtime/src/memory.rs");
  }
  const none = await octokit.repos.listCommits({ owner, repo: name, sha: "main", path: "no/such/file.rs" });
  expect(none.data).toEqual([]);
});

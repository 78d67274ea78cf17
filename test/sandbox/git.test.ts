import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BareRepo, GitError } from "../../sandbox/git/bare-repo.js";
import { git } from "./git-cli.js";

/** The git command line with a fixed identity and date and no user or system config. */

const lines = (count: number, change: Record<number, string> = {}) =>
  Array.from({ length: count }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join("\n") + "\n";

const author = { name: "Ann Author", email: "ann@example.com", date: "2025-03-04T05:06:07Z" };

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-git-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A fresh repository with one root commit on main: a.txt, dir/b.txt, dir/sub/c.txt. */
async function freshRepo(name: string) {
  const repo = await BareRepo.init({ dir: path.join(root, `${name}.git`), defaultBranch: "main" });
  const [a, b, c] = await Promise.all(["alpha\n", "bravo\n", "charlie\n"].map((text) => repo.writeBlob(text)));
  const tree = await repo.createTree({
    base: null,
    edits: [
      { path: "a.txt", mode: "100644", sha: a ?? null },
      { path: "dir/b.txt", mode: "100644", sha: b ?? null },
      { path: "dir/sub/c.txt", mode: "100755", sha: c ?? null },
    ],
  });
  const commit = await repo.createCommit({ tree: tree ?? "", parents: [], message: "root\n\nbody line\n", author });
  if (tree === null || commit === null) throw new Error("setup failed");
  expect(await repo.updateRef({ ref: "refs/heads/main", sha: commit, expectedOld: null })).toBe("ok");
  return { repo, tree, commit, blobs: { a: a ?? "", b: b ?? "", c: c ?? "" } };
}

describe("BareRepo objects", () => {
  test("init, open and the default branch", async () => {
    const { repo } = await freshRepo("open");
    expect(await repo.defaultBranch()).toBe("main");
    const again = await BareRepo.open(repo.dir);
    expect(again.dir).toBe(repo.dir);
    fs.mkdirSync(path.join(root, "plain"));
    await expect(BareRepo.open(path.join(root, "plain"))).rejects.toMatchObject({ code: "not-a-repository" });
  });

  test("createCommit, readCommit, readTree, readPath, readBlob", async () => {
    const { repo, tree, commit, blobs } = await freshRepo("objects");
    expect(await repo.objectType(commit)).toBe("commit");
    expect(await repo.objectType(tree)).toBe("tree");
    expect(await repo.objectType("0".repeat(40))).toBeNull();
    expect(await repo.objectType("main")).toBeNull();

    const info = await repo.readCommit(commit);
    expect(info).toEqual({
      sha: commit,
      tree,
      parents: [],
      author: { name: "Ann Author", email: "ann@example.com", date: "2025-03-04T05:06:07Z" },
      committer: { name: "Ann Author", email: "ann@example.com", date: "2025-03-04T05:06:07Z" },
      message: "root\n\nbody line\n",
    });
    expect(await repo.readCommit(tree)).toBeNull();

    const top = await repo.readTree({ sha: commit });
    expect(top?.map((entry) => [entry.path, entry.type, entry.mode])).toEqual([
      ["a.txt", "blob", "100644"],
      ["dir", "tree", "040000"],
    ]);
    expect(top?.[0]?.size).toBe(6);
    const all = await repo.readTree({ sha: tree, recursive: true });
    expect(all?.map((entry) => entry.path)).toEqual(["a.txt", "dir", "dir/b.txt", "dir/sub", "dir/sub/c.txt"]);
    expect(all?.find((entry) => entry.path === "dir/sub/c.txt")).toMatchObject({ mode: "100755", sha: blobs.c, size: 8 });
    expect(await repo.readTree({ sha: blobs.a })).toBeNull();

    expect(await repo.readPath({ commit, path: "dir/b.txt" })).toMatchObject({ kind: "file", sha: blobs.b, size: 6 });
    const file = await repo.readPath({ commit, path: "/a.txt" });
    expect(file?.kind === "file" && file.content.toString()).toBe("alpha\n");
    const dir = await repo.readPath({ commit, path: "dir" });
    expect(dir?.kind === "dir" && dir.entries.map((entry) => entry.path)).toEqual(["b.txt", "sub"]);
    expect((await repo.readPath({ commit, path: "" }))?.kind).toBe("dir");
    for (const missing of ["nope.txt", "../a.txt", "dir/../a.txt", "a.txt\nx"]) expect(await repo.readPath({ commit, path: missing })).toBeNull();
    expect((await repo.readBlob(blobs.a))?.toString()).toBe("alpha\n");
    expect(await repo.readBlob(commit)).toBeNull();

    // A child commit on an edited tree: only the edited paths change, deletions drop empty directories.
    const newA = await repo.writeBlob("alpha 2\n");
    const edited = await repo.createTree({
      base: tree,
      edits: [
        { path: "a.txt", mode: "100644", sha: newA },
        { path: "dir/sub/c.txt", mode: "100644", sha: null },
      ],
    });
    const child = await repo.createCommit({ tree: edited ?? "", parents: [commit], message: "edit", author, committer: { ...author, name: "Cy" } });
    const childInfo = await repo.readCommit(child ?? "");
    expect(childInfo?.parents).toEqual([commit]);
    expect(childInfo?.committer.name).toBe("Cy");
    expect(childInfo?.message).toBe("edit");
    expect((await repo.readTree({ sha: edited ?? "", recursive: true }))?.map((entry) => entry.path)).toEqual(["a.txt", "dir", "dir/b.txt"]);

    // Missing or mistyped objects: null, not an exception.
    expect(await repo.createCommit({ tree: "1".repeat(40), parents: [], message: "x", author })).toBeNull();
    expect(await repo.createCommit({ tree, parents: [tree], message: "x", author })).toBeNull();
    expect(await repo.createCommit({ tree, parents: ["--all"], message: "x", author })).toBeNull();
    expect(await repo.createTree({ base: null, edits: [{ path: "x", mode: "100644", sha: "2".repeat(40) }] })).toBeNull();
    await expect(repo.createTree({ base: null, edits: [{ path: ".git/config", mode: "100644", sha: newA }] })).rejects.toBeInstanceOf(GitError);
  });

  test("resolveCommit takes shas, branches, tags and short shas, never revision syntax", async () => {
    const { repo, tree, commit } = await freshRepo("resolve");
    const work = path.join(root, "resolve-work");
    git(root, ["clone", "-q", repo.dir, work]);
    git(work, ["tag", "-a", "v1.0.0", "-m", "one"]);
    git(work, ["tag", "light"]);
    git(work, ["push", "-q", "origin", "v1.0.0", "light"]);
    expect(await repo.resolveCommit(commit)).toBe(commit);
    expect(await repo.resolveCommit("main")).toBe(commit);
    expect(await repo.resolveCommit("refs/heads/main")).toBe(commit);
    expect(await repo.resolveCommit("v1.0.0")).toBe(commit);
    expect(await repo.resolveCommit("light")).toBe(commit);
    expect(await repo.resolveCommit(commit.slice(0, 10))).toBe(commit);
    const tagObject = await repo.readRef("refs/tags/v1.0.0");
    expect(await repo.readTag(tagObject ?? "")).toMatchObject({ tag: "v1.0.0", object: { sha: commit, type: "commit" }, message: "one\n" });
    expect(await repo.resolveCommit(tagObject ?? "")).toBe(commit);
    for (const bad of ["HEAD", "main~0", "main^{tree}", "--all", ":/root", "@", "main@{0}", tree, "", "nope"]) {
      expect(await repo.resolveCommit(bad)).toBeNull();
    }
  });
});

describe("BareRepo refs", () => {
  test("create, compare-and-swap, stale, delete", async () => {
    const { repo, commit, tree } = await freshRepo("refs");
    const second = await repo.createCommit({ tree, parents: [commit], message: "second", author });
    if (second === null) throw new Error("no commit");

    expect(await repo.updateRef({ ref: "refs/heads/feature", sha: commit, expectedOld: null })).toBe("ok");
    expect(await repo.updateRef({ ref: "refs/heads/feature", sha: second, expectedOld: null })).toBe("stale");
    expect(await repo.updateRef({ ref: "refs/heads/feature", sha: second, expectedOld: second })).toBe("stale");
    expect(await repo.readRef("refs/heads/feature")).toBe(commit);
    expect(await repo.updateRef({ ref: "refs/heads/feature", sha: second, expectedOld: commit })).toBe("ok");
    expect(await repo.updateRef({ ref: "refs/heads/feature", sha: commit })).toBe("ok");
    expect(await repo.updateRef({ ref: "refs/heads/gone", sha: second, expectedOld: commit })).toBe("stale");
    expect(await repo.updateRef({ ref: "refs/heads/x", sha: "3".repeat(40) })).toBe("missing-object");
    expect(await repo.updateRef({ ref: "refs/tags/tree-tag", sha: tree })).toBe("ok");
    await expect(repo.updateRef({ ref: "refs/heads/tree", sha: tree })).rejects.toMatchObject({ code: "invalid-argument" });
    await expect(repo.updateRef({ ref: "refs/heads/feature/sub", sha: commit })).rejects.toMatchObject({ code: "ref-conflict" });
    for (const bad of ["refs/heads/a..b", "refs/heads/x~1", "HEAD", "--upload-pack=x", "refs/heads/x.lock", "refs/heads/ x", "refs/heads/"]) {
      await expect(repo.updateRef({ ref: bad, sha: commit })).rejects.toMatchObject({ code: "invalid-ref" });
      expect(await repo.readRef(bad)).toBeNull();
    }
    await expect(repo.updateRef({ ref: "refs/heads/y", sha: "HEAD" })).rejects.toMatchObject({ code: "invalid-argument" });
    expect(await repo.isValidRefName("refs/heads/release-36.0.0")).toBe(true);
    expect(await repo.isValidRefName("refs/heads/a@{b")).toBe(false);

    expect(await repo.updateRef({ ref: "refs/heads/fe", sha: second })).toBe("ok");
    expect(await repo.listRefs("refs/heads/fe")).toEqual([
      { ref: "refs/heads/fe", sha: second },
      { ref: "refs/heads/feature", sha: commit },
    ]);
    expect((await repo.listRefs()).map((entry) => entry.ref)).toEqual(["refs/heads/fe", "refs/heads/feature", "refs/heads/main", "refs/tags/tree-tag"]);
    expect(await repo.readRef("refs/heads/fe")).toBe(second);
    expect(await repo.readRef("refs/heads/f")).toBeNull();

    expect(await repo.deleteRef("refs/heads/feature")).toBe(true);
    expect(await repo.deleteRef("refs/heads/feature")).toBe(false);
    expect(await repo.readRef("refs/heads/feature")).toBeNull();
    await expect(repo.deleteRef("refs/heads/../x")).rejects.toMatchObject({ code: "invalid-ref" });
  });
});

describe("BareRepo answers kept in memory (objects never change, refs do)", () => {
  test("reads asked for together share one process and come back in order, missing ones as null", async () => {
    const { repo, commit, blobs } = await freshRepo("batched");
    const missing = "e".repeat(40);
    const [a, gone, info, c] = await Promise.all([repo.readBlob(blobs.a), repo.readBlob(missing), repo.readCommit(commit), repo.readBlob(blobs.c)]);
    expect(a?.toString()).toBe("alpha\n");
    expect(gone).toBeNull();
    expect(info?.message).toBe("root\n\nbody line\n");
    expect(c?.toString()).toBe("charlie\n");
    // A blob asked for as a commit is not one, even when it was read before.
    expect(await repo.readCommit(blobs.a)).toBeNull();
  });

  test("a missing object is not remembered as missing: written later, it is found", async () => {
    const { repo } = await freshRepo("late");
    const content = "written later\n";
    const sha = execFileSync("git", ["hash-object", "--stdin"], { input: content, encoding: "utf8" }).trim();
    expect(await repo.objectType(sha)).toBeNull();
    expect(await repo.readBlob(sha)).toBeNull();
    expect(await repo.writeBlob(content)).toBe(sha);
    expect(await repo.objectType(sha)).toBe("blob");
    expect((await repo.readBlob(sha))?.toString()).toBe(content);
  });

  test("remembered lists are shared and frozen: a caller cannot change another's answer", async () => {
    const { repo, commit, tree } = await freshRepo("frozen");
    const second = await repo.createCommit({ tree, parents: [commit], message: "second", author });
    const first = await repo.revList({ include: [second ?? ""] });
    expect(first).toEqual([second, commit]);
    expect(() => (first as string[]).reverse()).toThrow(TypeError);
    expect(await repo.revList({ include: [second ?? ""] })).toEqual([second, commit]);
  });

  test("refs are read again after every write, including writes made with plain git through the repository", async () => {
    const { repo, commit, tree } = await freshRepo("snapshot");
    const second = await repo.createCommit({ tree, parents: [commit], message: "second", author });
    if (second === null) throw new Error("no commit");
    expect(await repo.readRef("refs/heads/side")).toBeNull();
    await repo.git({ args: ["update-ref", "refs/heads/side", second] });
    expect(await repo.readRef("refs/heads/side")).toBe(second);
    expect(await repo.updateRef({ ref: "refs/heads/side", sha: commit, expectedOld: second })).toBe("ok");
    expect(await repo.readRef("refs/heads/side")).toBe(commit);
    // Reads and a write at once: the read after the write sees it.
    const [before] = await Promise.all([repo.readRef("refs/heads/side"), repo.updateRef({ ref: "refs/heads/side", sha: second })]);
    expect([commit, second]).toContain(before);
    expect(await repo.readRef("refs/heads/side")).toBe(second);
    expect(await repo.deleteRef("refs/heads/side")).toBe(true);
    expect((await repo.listRefs("refs/heads/")).map((entry) => entry.ref)).toEqual(["refs/heads/main"]);
  });
});

describe("BareRepo merges and history", () => {
  let work: string;
  let repo: BareRepo;
  const head = (name: string) => git(work, ["rev-parse", name]);

  beforeAll(async () => {
    // main: base -> unrelated (c.txt) -> fix (a.txt line 2, new d.txt); release: base -> own change (a.txt line 9).
    work = path.join(root, "history-work");
    fs.mkdirSync(work);
    git(work, ["init", "-q", "-b", "main"]);
    fs.writeFileSync(path.join(work, "a.txt"), lines(10));
    fs.writeFileSync(path.join(work, "c.txt"), "c\n");
    git(work, ["add", "."]);
    git(work, ["commit", "-q", "-m", "base"], "2025-01-01T00:00:00Z");
    git(work, ["branch", "release"]);
    git(work, ["branch", "clash"]);
    fs.writeFileSync(path.join(work, "c.txt"), "c changed on main only\n");
    git(work, ["commit", "-q", "-am", "unrelated"], "2025-01-02T00:00:00Z");
    fs.writeFileSync(path.join(work, "a.txt"), lines(10, { 2: "line 2 fixed" }));
    fs.writeFileSync(path.join(work, "d.txt"), "new\n");
    git(work, ["add", "."]);
    git(work, ["commit", "-q", "-m", "fix"], "2025-01-03T00:00:00Z");
    git(work, ["checkout", "-q", "release"]);
    fs.writeFileSync(path.join(work, "a.txt"), lines(10, { 9: "line 9 on release" }));
    git(work, ["commit", "-q", "-am", "release change"], "2025-01-04T00:00:00Z");
    git(work, ["checkout", "-q", "clash"]);
    fs.writeFileSync(path.join(work, "a.txt"), lines(10, { 2: "line 2 changed differently" }));
    git(work, ["commit", "-q", "-am", "clash change"], "2025-01-05T00:00:00Z");
    git(work, ["checkout", "-q", "main"]);
    git(root, ["clone", "-q", "--bare", work, path.join(root, "history.git")]);
    repo = await BareRepo.open(path.join(root, "history.git"));
  });

  /** Cherry-pick as the GitHub API allows it: sibling commit, merge, commit on the target. */
  async function apiCherryPick(pick: string, target: string) {
    const picked = await repo.readCommit(pick);
    const targetCommit = await repo.readCommit(target);
    if (!picked || !targetCommit) throw new Error("missing commit");
    const sibling = await repo.createCommit({ tree: targetCommit.tree, parents: picked.parents, message: "sibling", author });
    const merged = await repo.mergeTrees({ ours: sibling ?? "", theirs: pick });
    if (!merged?.clean) return { merged, commit: null };
    const commit = await repo.createCommit({ tree: merged.tree, parents: [target], message: picked.message, author: picked.author });
    return { merged, commit };
  }

  test("a cherry-pick with plumbing only gives git cherry-pick's tree", async () => {
    const refsBefore = await repo.listRefs();
    const { merged, commit } = await apiCherryPick(head("main"), head("release"));
    expect(merged?.clean).toBe(true);
    expect(await repo.listRefs()).toEqual(refsBefore);

    const pickWork = path.join(root, "pick-work");
    git(root, ["clone", "-q", "--branch", "release", work, pickWork]);
    git(pickWork, ["cherry-pick", head("main")], "2025-02-01T00:00:00Z");
    const cliTree = git(pickWork, ["rev-parse", "HEAD^{tree}"]);
    expect(merged?.clean && merged.tree).toBe(cliTree);
    const info = await repo.readCommit(commit ?? "");
    expect(info?.tree).toBe(cliTree);
    expect(info?.parents).toEqual([head("release")]);
    // The unrelated main commit did not come along.
    const c = await repo.readPath({ commit: commit ?? "", path: "c.txt" });
    expect(c?.kind === "file" && c.content.toString()).toBe("c\n");
  });

  test("mergeTrees reports conflicted files and moves no ref", async () => {
    const refsBefore = await repo.listRefs();
    const { merged } = await apiCherryPick(head("main"), head("clash"));
    expect(merged).toEqual({ clean: false, conflicts: ["a.txt"] });
    expect(await repo.listRefs()).toEqual(refsBefore);
    expect(await repo.mergeTrees({ ours: head("main"), theirs: "4".repeat(40) })).toBeNull();
  });

  test("mergeBase, isAncestor, revList, countAheadBehind", async () => {
    const [base, unrelated, fix, release] = [head("main~2"), head("main~1"), head("main"), head("release")];
    expect(await repo.mergeBase(fix, release)).toBe(base);
    expect(await repo.isAncestor({ ancestor: base, descendant: fix })).toBe(true);
    expect(await repo.isAncestor({ ancestor: release, descendant: fix })).toBe(false);
    expect(await repo.revList({ include: [fix] })).toEqual([fix, unrelated, base]);
    expect(await repo.revList({ include: [fix], exclude: [release] })).toEqual([fix, unrelated]);
    expect(await repo.revList({ include: [fix], reverse: true })).toEqual([base, unrelated, fix]);
    expect(await repo.revList({ include: [fix], max: 1 })).toEqual([fix]);
    expect(await repo.revList({ include: [fix], firstParent: true })).toHaveLength(3);
    expect(await repo.revList({ include: ["5".repeat(40)] })).toBeNull();
    expect(await repo.countAheadBehind({ base: release, head: fix })).toEqual({ ahead: 2, behind: 1 });
  });

  test("diffFiles: added, removed, modified, renamed, root commits", async () => {
    const before = head("main");
    const big = lines(30);
    git(work, ["checkout", "-q", "main"]);
    fs.writeFileSync(path.join(work, "big.txt"), big);
    git(work, ["add", "."]);
    git(work, ["commit", "-q", "-m", "big"]);
    const withBig = git(work, ["rev-parse", "HEAD"]);
    git(work, ["mv", "big.txt", "moved.txt"]);
    fs.writeFileSync(path.join(work, "moved.txt"), big.replace("line 30", "line thirty"));
    fs.writeFileSync(path.join(work, "a.txt"), lines(11));
    git(work, ["rm", "-q", "c.txt"]);
    fs.writeFileSync(path.join(work, "e.txt"), "e1\ne2\n");
    git(work, ["add", "."]);
    git(work, ["commit", "-q", "-m", "many"]);
    git(work, ["push", "-q", path.join(root, "history.git"), "main"]);
    const after = git(work, ["rev-parse", "HEAD"]);

    const files = await repo.diffFiles({ from: withBig, to: after });
    const byName = Object.fromEntries((files ?? []).map((file) => [file.filename, file]));
    expect(Object.keys(byName).sort()).toEqual(["a.txt", "c.txt", "e.txt", "moved.txt"]);
    expect(byName["a.txt"]).toMatchObject({ status: "modified", additions: 2, deletions: 1, changes: 3 });
    expect(byName["c.txt"]).toMatchObject({ status: "removed", additions: 0, deletions: 1 });
    expect(byName["e.txt"]).toMatchObject({ status: "added", additions: 2, deletions: 0, patch: "@@ -0,0 +1,2 @@\n+e1\n+e2" });
    expect(byName["moved.txt"]).toMatchObject({ status: "renamed", previousFilename: "big.txt", additions: 1, deletions: 1 });
    expect(byName["moved.txt"]?.patch).toMatch(/^@@ -27,4 \+27,4 @@/);
    expect(byName["e.txt"]?.sha).toBe(git(work, ["rev-parse", "HEAD:e.txt"]));

    const rootCommit = head("main~4");
    const rootFiles = await repo.diffFiles({ from: null, to: rootCommit });
    expect(rootFiles?.map((file) => [file.filename, file.status])).toEqual([["a.txt", "added"], ["c.txt", "added"]]);
    expect((await repo.diffFiles({ from: before, to: withBig, maxPatchBytes: 10 }))?.[0]).not.toHaveProperty("patch");
    expect(await repo.diffFiles({ from: "6".repeat(40), to: after })).toBeNull();
  });
});

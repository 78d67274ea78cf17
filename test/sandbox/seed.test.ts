import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BareRepo } from "../../sandbox/git/bare-repo.js";
import { buildRepository, SeedError, type SeedScript } from "../../sandbox/seed/build-repository.js";
import { importRepository } from "../../sandbox/seed/import-repository.js";
import { releasesFromTags } from "../../sandbox/seed/release-tags.js";
import { WASMTIME_FIXES, wasmtimeFix, wasmtimeLikeScript, type WasmtimeFix } from "../../sandbox/seed/wasmtime-like.js";
import { git } from "./git-cli.js";

/** The git command line with a fixed identity and date and no user or system config. */

let root: string;
let counter = 0;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-seed-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const newRepo = (defaultBranch = "main") => BareRepo.init({ dir: path.join(root, `repo-${++counter}.git`), defaultBranch });

async function fileAt(repo: BareRepo, commitish: string, file: string): Promise<string | null> {
  const commit = await repo.resolveCommit(commitish);
  const found = commit === null ? null : await repo.readPath({ commit, path: file });
  return found?.kind === "file" ? found.content.toString("utf8") : null;
}

describe("buildRepository", () => {
  test("commits, branches, tags, labels and dates", async () => {
    const repo = await newRepo();
    const script: SeedScript = [
      { commit: { branch: "main", label: "root", message: "root\n", files: { "a.txt": "a\n", "dir/b.txt": "b\n" }, date: "2025-01-02" } },
      { branch: { name: "release-1", from: "root" } },
      { commit: { branch: "main", label: "second", message: "second\n", files: { "a.txt": "a2\n", "dir/b.txt": null }, date: "2025-01-03T08:09:10Z", author: { name: "Bea", email: "bea@example.com" } } },
      { commit: { branch: "release-1", label: "patch", message: "patch\n", files: { "c.txt": "c\n" }, date: "2025-01-04" } },
      { tag: { name: "v1.0.0", at: "release-1", annotated: true, message: "one\n", date: "2025-01-05T00:00:00Z" } },
      { tag: { name: "light", at: "second" } },
    ];
    const result = await buildRepository({ repo, script });
    const { root: rootSha = "", second = "", patch = "" } = result.commits;
    expect(Object.keys(result.commits)).toEqual(["root", "second", "patch"]);
    expect(await repo.readRef("refs/heads/main")).toBe(second);
    expect(await repo.readRef("refs/heads/release-1")).toBe(patch);
    expect(result.branches).toEqual({ main: second, "release-1": patch });

    const info = await repo.readCommit(second);
    expect(info).toMatchObject({ parents: [rootSha], message: "second\n", author: { name: "Bea", email: "bea@example.com", date: "2025-01-03T08:09:10Z" } });
    expect((await repo.readCommit(rootSha))?.author.date).toBe("2025-01-02T12:00:00Z");
    expect((await repo.readCommit(patch))?.parents).toEqual([rootSha]);
    expect(await fileAt(repo, "main", "dir/b.txt")).toBeNull();
    expect(await fileAt(repo, "main", "a.txt")).toBe("a2\n");
    expect(await fileAt(repo, "release-1", "c.txt")).toBe("c\n");

    const tags = await repo.listTags();
    expect(tags).toEqual([
      { name: "light", sha: second, annotated: false, commit: second, date: "2025-01-03T08:09:10Z" },
      { name: "v1.0.0", sha: result.tags["v1.0.0"], annotated: true, commit: patch, date: "2025-01-05T00:00:00Z" },
    ]);

    // A second script continues from the branches already in the repository.
    const more = await buildRepository({ repo, script: [{ commit: { branch: "main", label: "third", message: "third\n", files: { "d.txt": "d\n" }, date: "2025-01-06" } }] });
    expect((await repo.readCommit(more.commits["third"] ?? ""))?.parents).toEqual([second]);
    expect(await fileAt(repo, "main", "a.txt")).toBe("a2\n");
  });

  test("rejects unknown branches and labels", async () => {
    const repo = await newRepo();
    await expect(buildRepository({ repo, script: [{ commit: { branch: "other", message: "x", files: {}, date: "2025-01-01" } }] })).rejects.toBeInstanceOf(SeedError);
    await expect(buildRepository({ repo, script: [{ branch: { name: "x", from: "nope" } }] })).rejects.toThrow(/unknown label or branch/);
  });
});

describe("importRepository and releasesFromTags", () => {
  test("copies branches, origin's remote-only branches and tags with their dates", async () => {
    const upstream = path.join(root, "upstream");
    fs.mkdirSync(upstream);
    git(upstream, ["init", "-q", "-b", "main"]);
    git(upstream, ["commit", "-q", "--allow-empty", "-m", "start"], "2025-03-01T10:00:00Z");
    git(upstream, ["branch", "release-1.0.0"]);
    const work = path.join(root, "work");
    git(root, ["clone", "-q", upstream, work]);
    git(work, ["checkout", "-q", "-b", "feature"]);
    const featureHead = (git(work, ["commit", "-q", "--allow-empty", "-m", "feature"], "2025-03-02T10:00:00Z"), git(work, ["rev-parse", "HEAD"]));
    git(work, ["tag", "-a", "v1.0.0", "-m", "1.0.0", "origin/release-1.0.0"], "2025-03-20T23:30:00-05:00");
    git(work, ["tag", "v1.1.0-rc.1", "feature"]);
    git(work, ["tag", "not-a-version", "feature"]);
    git(work, ["checkout", "-q", "main"]);

    const imported = await importRepository({ source: work, into: path.join(root, "imported.git") });
    expect(imported.defaultBranch).toBe("main");
    expect(await imported.repo.defaultBranch()).toBe("main");
    const start = git(work, ["rev-parse", "main"]);
    expect(await imported.repo.listRefs("refs/heads/")).toEqual([
      { ref: "refs/heads/feature", sha: featureHead },
      { ref: "refs/heads/main", sha: start },
      { ref: "refs/heads/release-1.0.0", sha: start },
    ]);
    expect(imported.tags).toEqual([
      { name: "not-a-version", sha: featureHead, date: "2025-03-02T10:00:00Z" },
      { name: "v1.0.0", sha: start, date: "2025-03-21T04:30:00Z" },
      { name: "v1.1.0-rc.1", sha: featureHead, date: "2025-03-02T10:00:00Z" },
    ]);
    expect(releasesFromTags({ tags: imported.tags })).toEqual([
      { tagName: "v1.1.0-rc.1", version: "1.1.0-rc.1", publishedAt: "2025-03-02T10:00:00Z", prerelease: true },
      { tagName: "v1.0.0", version: "1.0.0", publishedAt: "2025-03-21T04:30:00Z", prerelease: false },
    ]);

    // A directory inside a repository is not a repository of its own.
    fs.mkdirSync(path.join(work, "sub"));
    await expect(importRepository({ source: path.join(work, "sub"), into: path.join(root, "x.git") })).rejects.toMatchObject({ code: "not-a-repository" });
  });

  test("releasesFromTags with another tag pattern", () => {
    const tags = [
      { name: "release/2.0.0", date: "2025-01-02T00:00:00Z" },
      { name: "release/1.0.0", date: "2025-01-02T00:00:00Z" },
      { name: "release/1.0", date: "2025-01-01T00:00:00Z" },
      { name: "release/v3.0.0", date: "2025-01-01T00:00:00Z" },
      { name: "v4.0.0", date: "2025-01-01T00:00:00Z" },
      { name: "release/5.0.0", date: null },
    ];
    expect(releasesFromTags({ tags, tagPattern: "release/{version}" }).map((release) => release.tagName)).toEqual(["release/1.0.0", "release/2.0.0"]);
  });
});

describe("the Wasmtime-like history", () => {
  const through = "2025-12-10";
  let repo: BareRepo;
  let seeded: ReturnType<typeof wasmtimeLikeScript>;

  // How long seeding takes is measured by `npm run bench` (bench/sandbox.bench.ts), not asserted here.
  beforeAll(async () => {
    seeded = wasmtimeLikeScript({ through });
    repo = await newRepo();
    await buildRepository({ repo, script: seeded.script });
  });

  test("branches and tags that exist on the day", async () => {
    const heads = (await repo.listRefs("refs/heads/")).map((entry) => entry.ref.slice("refs/heads/".length));
    const expected = Array.from({ length: 21 }, (_, i) => `release-${20 + i}.0.0`);
    expect(heads.sort()).toEqual(["main", ...expected].sort());
    expect(seeded.lines).toEqual(Array.from({ length: 21 }, (_, i) => 20 + i));
    const tags = await repo.listTags();
    const byName = new Map(tags.map((tag) => [tag.name, tag]));
    expect(byName.get("v36.0.0")?.date).toBe("2025-08-20T12:00:00Z");
    expect(byName.get("v20.0.0")?.date).toBe("2024-04-20T12:00:00Z");
    // release(v) = 2024-04-20 + (v - 20) months: v39.0.0 is 2025-11-20, v40.0.0 would be 2025-12-20.
    expect(byName.get("v39.0.0")?.date).toBe("2025-11-20T12:00:00Z");
    expect(byName.has("v40.0.0")).toBe(false);
    for (const patch of ["v24.0.1", "v24.0.2", "v24.0.3", "v24.0.4", "v36.0.1", "v36.0.2", "v36.0.3"]) expect(byName.has(patch)).toBe(true);
    expect(byName.get("v36.0.0")?.commit).toBe(await repo.mergeBase((await repo.readRef("refs/tags/v36.0.1")) ?? "", byName.get("v36.0.0")?.commit ?? ""));

    const releases = releasesFromTags({ tags: tags.map((tag) => ({ name: tag.name, date: tag.date })) });
    expect(releases.map((release) => [release.tagName, release.publishedAt])).toEqual(seeded.releases.map((release) => [release.tagName, release.publishedAt]));
    expect(await fileAt(repo, "main", ".github/lts-steward.yml")).toBe("preset: wasmtime\n");
    expect(await fileAt(repo, "release-36.0.0", "Cargo.toml")).toMatch(/^version = "36\.0\.3"$/m);
    expect(await fileAt(repo, "main", "Cargo.toml")).toMatch(/^version = "41\.0\.0"$/m);
    expect(await fileAt(repo, "v36.0.0", "RELEASES.md")).toContain("## 36.0.0\n\nReleased 2025-08-20.");
  });

  test("a bare repository imports with all its branches and tags", async () => {
    const imported = await importRepository({ source: repo.dir, into: path.join(root, "reimported.git") });
    expect(imported.defaultBranch).toBe("main");
    expect(imported.tags).toHaveLength(seeded.releases.length);
    expect(await imported.repo.listRefs("refs/heads/")).toEqual(await repo.listRefs("refs/heads/"));
  });

  test("an earlier day: the branch is cut but the release not yet tagged, and histories are prefixes", async () => {
    const earlier = wasmtimeLikeScript({ through: "2025-11-10" });
    expect(earlier.branches).toContain("release-39.0.0");
    expect(earlier.releases.map((release) => release.tagName)).not.toContain("v39.0.0");
    expect(seeded.script.slice(0, earlier.script.length)).toEqual(earlier.script);
  });

  /** Commits the fix on a topic branch from main and cherry-picks it onto `branch` the GitHub-API way. */
  async function pickOnto(fix: WasmtimeFix, branch: string, fixCommit: string) {
    const target = await repo.resolveCommit(branch);
    const targetInfo = await repo.readCommit(target ?? "");
    const picked = await repo.readCommit(fixCommit);
    const sibling = await repo.createCommit({ tree: targetInfo?.tree ?? "", parents: picked?.parents ?? [], message: "sibling", author: { name: "t", email: "t@e" } });
    return repo.mergeTrees({ ours: sibling ?? "", theirs: fixCommit });
  }

  async function commitFix(fix: WasmtimeFix, topic: string): Promise<string> {
    const main = (await repo.readRef("refs/heads/main")) ?? "";
    const edits = await Promise.all(
      Object.entries(fix.files).map(async ([file, content]) => ({ path: file, mode: "100644" as const, sha: await repo.writeBlob(content) })),
    );
    const tree = await repo.createTree({ base: (await repo.readCommit(main))?.tree ?? null, edits });
    const commit = await repo.createCommit({ tree: tree ?? "", parents: [main], message: fix.message, author: { name: "Fixer", email: "fixer@example.com" } });
    expect(await repo.updateRef({ ref: `refs/heads/${topic}`, sha: commit ?? "", expectedOld: null })).toBe("ok");
    return commit ?? "";
  }

  test.each(["clean", "conflictsOnOld"] as const)("fix %s applies and conflicts as documented", async (kind) => {
    const fix = wasmtimeFix(kind, { through });
    expect(fix).toEqual(seeded.fixes[kind]);
    expect(Object.keys(fix.files)).toEqual([WASMTIME_FIXES[kind].file]);
    if (kind === "clean") expect(fix.conflictsOn).toEqual([]);
    else {
      expect(fix.conflictsOn).toEqual(expect.arrayContaining(["release-24.0.0", "release-36.0.0", "release-37.0.0"]));
      expect(fix.appliesTo).toEqual(["release-38.0.0", "release-39.0.0", "release-40.0.0"]);
    }
    const fixCommit = await commitFix(fix, `fix-${kind}`);
    const diff = await repo.diffFiles({ from: (await repo.readRef("refs/heads/main")) ?? "", to: fixCommit });
    expect(diff?.map((file) => [file.filename, file.status])).toEqual([[WASMTIME_FIXES[kind].file, "modified"]]);
    for (const branch of seeded.branches) {
      const merged = await pickOnto(fix, branch, fixCommit);
      if (fix.appliesTo.includes(branch)) expect([branch, merged?.clean]).toEqual([branch, true]);
      else expect([branch, merged]).toEqual([branch, { clean: false, conflicts: [WASMTIME_FIXES[kind].file] }]);
    }
  });

  test("before the memory rewrite the memory fix applies everywhere", () => {
    const fix = wasmtimeFix("conflictsOnOld", { through: "2025-09-10" });
    expect(fix.conflictsOn).toEqual([]);
    expect(fix.appliesTo).toContain("release-37.0.0");
  });
});

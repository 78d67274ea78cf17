/**
 * One bare repository, driven with git plumbing only. Routes of the fake GitHub API call it with untrusted
 * input, so every sha is checked against SHA_RE and every ref name against git's rules before it reaches
 * a command line; "not found" is null, real failures throw GitError.
 */
import path from "node:path";
import { diffFiles, type FileDiff } from "./diff.js";
import { EMPTY_TREE, isSha, looksLikeRefName, normalizeRepoPath } from "./names.js";
import * as objects from "./objects.js";
import type { BatchCheck, CommitInfo, ObjectType, TagInfo, TreeEntry } from "./objects.js";
import { isFixedSpec, Memo } from "./memo.js";
import { RefStore, type RefEntry, type TagEntry, type UpdateRefResult } from "./ref-store.js";
import { GitError, runGit, type GitRun, type RunGitOptions } from "./run-git.js";
import { buildTree, type TreeEdit } from "./tree-writer.js";

export type { CommitInfo, FileDiff, ObjectType, RefEntry, TagEntry, TagInfo, TreeEdit, TreeEntry, UpdateRefResult };
export { GitError };

export interface IdentityInput {
  name: string;
  email: string;
  /** ISO 8601; defaults to now. */
  date?: string;
}

export type PathContent =
  | { kind: "file"; sha: string; size: number; content: Buffer }
  | { kind: "dir"; sha: string; entries: TreeEntry[] };

export type MergeResult = { clean: true; tree: string } | { clean: false; conflicts: string[] };

/** Objects larger than this are read from git each time rather than kept in the memo. */
const MEMO_MAX_BYTES = 1024 * 1024;

type RawObject = { sha: string; type: ObjectType; content: Buffer };

export class BareRepo extends RefStore {
  /** Answers about objects named by full shas, which never change (see memo.ts). */
  private readonly memo = new Memo();

  private constructor(readonly dir: string) {
    super();
  }

  static async init(options: { dir: string; defaultBranch?: string }): Promise<BareRepo> {
    const dir = path.resolve(options.dir);
    const branch = options.defaultBranch ?? "main";
    if (!looksLikeRefName(`refs/heads/${branch}`)) throw new GitError("invalid-ref", `invalid branch name: ${branch}`);
    await runGit({ args: ["init", "--quiet", "--bare", `--initial-branch=${branch}`, dir] });
    // No background gc while tests and benchmarks run; objects are few.
    await runGit({ gitDir: dir, args: ["config", "gc.auto", "0"] });
    return new BareRepo(dir);
  }

  static async open(dir: string): Promise<BareRepo> {
    const resolved = path.resolve(dir);
    const { code } = await runGit({ gitDir: resolved, args: ["rev-parse", "--is-bare-repository"], okCodes: [128] });
    if (code !== 0) throw new GitError("not-a-repository", `not a git repository: ${resolved}`);
    return new BareRepo(resolved);
  }

  protected runInRepo(options: Omit<RunGitOptions, "gitDir">): Promise<GitRun> {
    return runGit({ ...options, gitDir: this.dir });
  }

  private async text(args: string[]): Promise<string> {
    return (await this.git({ args })).stdout.toString("utf8");
  }

  /** One `cat-file --batch-check` answer per spec (`<sha>`, `<sha>^{commit}`, `<sha>:<path>`, `refs/...`). */
  async batchCheck(specs: string[]): Promise<BatchCheck[]> {
    if (specs.length === 0) return [];
    // Newlines would split one spec into two lines of the batch protocol.
    if (specs.some((spec) => /[\n\r\0]/.test(spec))) throw new GitError("invalid-argument", "object spec with a line break");
    const known = specs.map((spec) => (isFixedSpec(spec) ? this.memo.peek<BatchCheck>(`check ${spec}`) : undefined));
    const asked = [...new Set(specs.filter((_, index) => known[index] === undefined))];
    if (asked.length === 0) return known as BatchCheck[];
    const answers = new Map(await Promise.all(asked.map(async (spec) => [spec, await this.checkBatched(spec)] as const)));
    for (const [spec, answer] of answers) if (answer !== null && isFixedSpec(spec)) this.memo.set(`check ${spec}`, answer);
    return specs.map((spec, index) => known[index] ?? answers.get(spec) ?? null);
  }

  /** Checks asked for in the same turn of the event loop share one `cat-file --batch-check`. */
  private pendingChecks: { spec: string; resolve: (found: BatchCheck) => void; reject: (error: unknown) => void }[] | null = null;

  private checkBatched(spec: string): Promise<BatchCheck> {
    return new Promise((resolve, reject) => {
      if (this.pendingChecks === null) {
        this.pendingChecks = [];
        setImmediate(() => void this.flushChecks());
      }
      this.pendingChecks.push({ spec, resolve, reject });
    });
  }

  private async flushChecks(): Promise<void> {
    const batch = this.pendingChecks ?? [];
    this.pendingChecks = null;
    try {
      const { stdout } = await this.git({ args: ["cat-file", "--batch-check"], input: `${batch.map((check) => check.spec).join("\n")}\n` });
      const lines = stdout.toString("utf8").split("\n");
      batch.forEach((check, index) => check.resolve(objects.parseBatchCheckLine(lines[index] ?? "")));
    } catch (error) {
      for (const check of batch) check.reject(error);
    }
  }

  private async catObject(sha: string, type: ObjectType): Promise<Buffer | null> {
    if (!isSha(sha)) return null;
    const object = await this.memo.get(`object ${sha}`, () => this.readObject(sha), (found) => found !== null && found.content.length <= MEMO_MAX_BYTES);
    return object?.type === type ? object.content : null;
  }

  /** Reads asked for in the same turn of the event loop share one `cat-file --batch` (one process). */
  private pendingReads: { sha: string; resolve: (found: RawObject | null) => void; reject: (error: unknown) => void }[] | null = null;

  private readObject(sha: string): Promise<RawObject | null> {
    return new Promise((resolve, reject) => {
      if (this.pendingReads === null) {
        this.pendingReads = [];
        setImmediate(() => void this.flushReads());
      }
      this.pendingReads.push({ sha, resolve, reject });
    });
  }

  private async flushReads(): Promise<void> {
    const batch = this.pendingReads ?? [];
    this.pendingReads = null;
    try {
      const { stdout } = await this.git({ args: ["cat-file", "--batch"], input: `${batch.map((read) => read.sha).join("\n")}\n` });
      const found = objects.parseBatchMany(stdout, batch.length);
      batch.forEach((read, index) => read.resolve(found[index] ?? null));
    } catch (error) {
      for (const read of batch) read.reject(error);
    }
  }

  private async allOfType(shas: string[], type: ObjectType): Promise<boolean> {
    if (!shas.every(isSha)) return false;
    return (await this.typesOf(shas)).every((found) => found === type);
  }

  async objectType(sha: string): Promise<ObjectType | null> {
    return isSha(sha) ? ((await this.typesOf([sha]))[0] ?? null) : null;
  }

  /** Types of full shas: what this repository wrote itself is known without asking git. */
  private async typesOf(shas: string[]): Promise<(ObjectType | null)[]> {
    const known = shas.map((sha) => this.memo.peek<ObjectType>(`type ${sha}`));
    const asked = shas.filter((_, index) => known[index] === undefined);
    const found = new Map((await this.batchCheck(asked)).map((answer, index) => [asked[index], answer?.type ?? null]));
    return shas.map((sha, index) => known[index] ?? found.get(sha) ?? null);
  }

  /** Remembers an object this repository has just written (it exists from now on, and never changes). */
  private wrote(sha: string, type: ObjectType, tree?: string): void {
    this.memo.set(`type ${sha}`, type);
    if (tree !== undefined) this.memo.set(`tree-of ${sha}`, tree);
  }

  /**
   * A full sha, a branch, a tag, a full `refs/...` name or an abbreviated sha (7+ hex digits) to the commit
   * it names, peeling annotated tags. Branches win over tags, as on GitHub; `HEAD` and revision syntax
   * never resolve.
   */
  async resolveCommit(commitish: string): Promise<string | null> {
    const candidates = isSha(commitish)
      ? [commitish]
      : [
          ...(commitish.startsWith("refs/") ? [commitish] : [`refs/heads/${commitish}`, `refs/tags/${commitish}`]).filter(
            looksLikeRefName,
          ),
          ...(/^[0-9a-f]{7,39}$/.test(commitish) ? [commitish] : []),
        ];
    // Ref names are read from the ref snapshot, then peeled through their (fixed) sha.
    const named = await Promise.all(candidates.map(async (name) => (name.startsWith("refs/") ? await this.readRef(name) : name)));
    const found = await this.batchCheck(named.flatMap((name) => (name === null ? [] : [`${name}^{commit}`])));
    return found.find((entry) => entry !== null)?.sha ?? null;
  }

  /** The tree of a tree, commit or tag sha. */
  async resolveTree(sha: string): Promise<string | null> {
    if (!isSha(sha)) return null;
    return this.memo.get(`tree-of ${sha}`, async () => (await this.batchCheck([`${sha}^{tree}`]))[0]?.sha ?? null);
  }

  async readCommit(sha: string): Promise<CommitInfo | null> {
    const raw = await this.catObject(sha, "commit");
    return raw && objects.parseCommit(sha, raw);
  }

  async readTag(sha: string): Promise<TagInfo | null> {
    const raw = await this.catObject(sha, "tag");
    return raw && objects.parseTag(sha, raw);
  }

  readBlob(sha: string): Promise<Buffer | null> {
    return this.catObject(sha, "blob");
  }

  /** Entries of a tree (or of a commit's tree); recursive listings include the subtrees themselves. */
  async readTree(options: { sha: string; recursive?: boolean }): Promise<TreeEntry[] | null> {
    const tree = await this.resolveTree(options.sha);
    if (tree === null) return null;
    const args = ["ls-tree", "-z", "-l", ...(options.recursive ? ["-r", "-t"] : []), tree];
    return this.memo.get(args.join(" "), async () => objects.parseLsTree((await this.git({ args })).stdout), (entries) => entries.length <= 10_000);
  }

  /** The file or directory at `path` in a commit; "" is the root. Submodules read as null. */
  async readPath(options: { commit: string; path: string }): Promise<PathContent | null> {
    const repoPath = normalizeRepoPath(options.path);
    if (!isSha(options.commit) || repoPath === null) return null;
    const [found] = await this.batchCheck([repoPath === "" ? `${options.commit}^{tree}` : `${options.commit}:${repoPath}`]);
    if (found?.type === "blob") {
      const content = await this.readBlob(found.sha);
      return content && { kind: "file", sha: found.sha, size: found.size, content };
    }
    if (found?.type !== "tree") return null;
    const entries = await this.readTree({ sha: found.sha });
    return entries && { kind: "dir", sha: found.sha, entries };
  }

  async writeBlob(content: Buffer | string): Promise<string> {
    const { stdout } = await this.git({ args: ["hash-object", "-t", "blob", "-w", "--stdin"], input: content });
    const sha = stdout.toString("utf8").trim();
    this.wrote(sha, "blob");
    return sha;
  }

  /** `base` (a tree sha, or null) with the edits applied; null when an object named is missing. */
  async createTree(options: { base: string | null; edits: TreeEdit[] }): Promise<string | null> {
    const tree = await buildTree(
      {
        lsTree: (tree) =>
          this.memo.get(`ls-tree-raw ${tree}`, async () => (await this.git({ args: ["ls-tree", "-z", "-l", tree] })).stdout, (out) => out.length <= MEMO_MAX_BYTES),
        batchCheck: (specs) => this.batchCheck(specs),
        mktree: async (input) => (await this.git({ args: ["mktree", "-z"], input })).stdout.toString("utf8").trim(),
      },
      options.base,
      options.edits,
    );
    if (tree !== null) this.wrote(tree, "tree", tree);
    return tree;
  }

  /** A commit of `tree` on `parents`; null when the tree or a parent is missing. Does not move any ref. */
  async createCommit(options: {
    tree: string;
    parents: string[];
    message: string;
    author: IdentityInput;
    committer?: IdentityInput;
  }): Promise<string | null> {
    const ok = (await this.allOfType([options.tree], "tree")) && (await this.allOfType(options.parents, "commit"));
    if (!ok) return null;
    const env = { ...identityEnv("AUTHOR", options.author), ...identityEnv("COMMITTER", options.committer ?? options.author) };
    const args = ["commit-tree", options.tree, ...options.parents.flatMap((parent) => ["-p", parent])];
    const { stdout } = await this.git({ args, input: options.message, env });
    const sha = stdout.toString("utf8").trim();
    this.wrote(sha, "commit", options.tree);
    return sha;
  }

  /**
   * Three-way merge of two commits (base: their merge base) without touching any ref or worktree; the
   * merged tree is written to the object store. Null when either commit is missing; commits without a
   * common history fail with a GitError, as git refuses to merge unrelated histories.
   */
  async mergeTrees(options: { ours: string; theirs: string }): Promise<MergeResult | null> {
    if (!(await this.allOfType([options.ours, options.theirs], "commit"))) return null;
    const args = ["merge-tree", "--write-tree", "-z", "--name-only", "--no-messages", options.ours, options.theirs];
    return this.memo.get(args.join(" "), async (): Promise<MergeResult> => {
      const { code, stdout } = await this.git({ args, okCodes: [1] });
      const [tree = "", ...names] = stdout.toString("utf8").split("\0");
      if (code === 0) {
        this.wrote(tree, "tree", tree);
        return { clean: true, tree };
      }
      return { clean: false, conflicts: [...new Set(names.filter((name) => name !== ""))] };
    });
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    if (!(await this.allOfType([a, b], "commit"))) return null;
    // An answer of "none" is as fixed as a merge base: both commits' histories are.
    const found = await this.memo.get(`merge-base ${a} ${b}`, async () => (await this.git({ args: ["merge-base", a, b], okCodes: [1] })).stdout.toString("utf8").trim());
    return found || null;
  }

  async isAncestor(options: { ancestor: string; descendant: string }): Promise<boolean> {
    if (!(await this.allOfType([options.ancestor, options.descendant], "commit"))) return false;
    const args = ["merge-base", "--is-ancestor", options.ancestor, options.descendant];
    return this.memo.get(args.join(" "), async () => (await this.git({ args, okCodes: [1] })).code === 0);
  }

  /** Commits reachable from `include` but not `exclude`, newest first (unless `reverse`); null if one is missing. */
  async revList(options: { include: string[]; exclude?: string[]; max?: number; reverse?: boolean; firstParent?: boolean; paths?: string[] }): Promise<string[] | null> {
    const exclude = options.exclude ?? [];
    if (options.include.length === 0) return [];
    if (!(await this.allOfType([...options.include, ...exclude], "commit"))) return null;
    const args = ["rev-list"];
    if (options.max !== undefined) args.push(`--max-count=${Math.max(0, Math.floor(options.max))}`);
    if (options.reverse) args.push("--reverse");
    if (options.firstParent) args.push("--first-parent");
    args.push(...options.include, ...exclude.map((sha) => `^${sha}`));
    if (options.paths?.length) args.push("--", ...options.paths);
    return this.memo.get(
      args.join(" "),
      async () => (await this.text(args)).split("\n").filter((line) => line !== ""),
      (shas) => shas.length <= 10_000,
    );
  }

  /** Commits only in `head` (ahead) and only in `base` (behind). */
  async countAheadBehind(options: { base: string; head: string }): Promise<{ ahead: number; behind: number } | null> {
    if (!(await this.allOfType([options.base, options.head], "commit"))) return null;
    const args = ["rev-list", "--left-right", "--count", `${options.base}...${options.head}`];
    const output = await this.memo.get(args.join(" "), () => this.text(args));
    const [behind = "0", ahead = "0"] = output.trim().split(/\s+/);
    return { ahead: Number(ahead), behind: Number(behind) };
  }

  /** Changed files from `from` (null: the empty tree) to `to`, commits or trees; renames detected. */
  async diffFiles(options: { from: string | null; to: string; maxPatchBytes?: number }): Promise<FileDiff[] | null> {
    const from = options.from ?? EMPTY_TREE;
    if ((await this.resolveTree(options.to)) === null) return null;
    if (from !== EMPTY_TREE && (await this.resolveTree(from)) === null) return null;
    const read = async (args: string[], maxOutput?: number) => (await this.git({ args, maxOutput })).stdout;
    // Both ends are fixed objects (resolved above), so the diff is too.
    const key = `diff ${from} ${options.to} ${options.maxPatchBytes ?? ""}`;
    return this.memo.get(key, () => diffFiles(read, { from, to: options.to, maxPatchBytes: options.maxPatchBytes }), (files) => files !== null && files.length <= 3_000);
  }
}

/** GIT_AUTHOR_* / GIT_COMMITTER_* for commit-tree; `<`, `>` and line breaks would corrupt the header. */
function identityEnv(role: "AUTHOR" | "COMMITTER", identity: IdentityInput): Record<string, string> {
  const clean = (value: string) => value.replace(/[<>\n\r\0]/g, "").trim();
  const name = clean(identity.name);
  const date = objects.rawGitDate(identity.date ?? new Date().toISOString());
  if (name === "" || date === null) throw new GitError("invalid-argument", `invalid ${role.toLowerCase()} identity`);
  return { [`GIT_${role}_NAME`]: name, [`GIT_${role}_EMAIL`]: clean(identity.email), [`GIT_${role}_DATE`]: date };
}

/**
 * The git model behind the fake GitHub (fake-github.ts): trees are maps of path → content, commits have a tree
 * and parents, branches and tags point at commits. Small, but real enough for the App's API cherry-pick
 * (DESIGN.md §5): `merge` is a three-way merge per path against the merge base, so a pick applies, conflicts,
 * or turns out to be on the target already exactly as it would with git. A test can also force a conflict
 * for a given head sha.
 */
import { createHash } from "node:crypto";
import type { GitUser } from "../../src/github/types.js";

export type Files = Readonly<Record<string, string>>;
/** File changes on top of a parent: content, or null to delete the path. */
export type FileChanges = Readonly<Record<string, string | null>>;

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitUser;
  /** The GitHub login of the author, when it has one. */
  login: string | null;
  /** Committer date, ISO 8601. */
  date: string;
  /** Creation order, to break date ties. */
  seq: number;
}

const hash = (value: unknown) => createHash("sha1").update(JSON.stringify(value)).digest("hex");

export type MergeOutcome = { status: "merged"; tree: string } | { status: "conflict"; paths: string[] };

export class FakeGit {
  private readonly trees = new Map<string, Files>();
  private readonly commits = new Map<string, FakeCommit>();
  readonly branches = new Map<string, string>();
  readonly tags = new Map<string, string>();
  private seq = 0;

  constructor() {
    this.treeOf({});
  }

  /** Stores a tree and returns its id (equal content, equal id, as in git). */
  treeOf(files: Files): string {
    const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
    const id = hash({ tree: sorted });
    if (!this.trees.has(id)) this.trees.set(id, sorted);
    return id;
  }

  hasTree = (id: string): boolean => this.trees.has(id);

  files(tree: string): Files {
    const files = this.trees.get(tree);
    if (!files) throw new Error(`fake git: no tree ${tree}`);
    return files;
  }

  addCommit(options: { tree: string; parents: string[]; message: string; author: GitUser; login: string | null; date: string }): FakeCommit {
    const seq = ++this.seq;
    const sha = hash({ ...options, seq });
    const commit: FakeCommit = { sha, ...options, parents: [...options.parents], seq };
    this.commits.set(sha, commit);
    return commit;
  }

  get(sha: string): FakeCommit | undefined {
    return this.commits.get(sha);
  }

  commit(sha: string): FakeCommit {
    const commit = this.commits.get(sha);
    if (!commit) throw new Error(`fake git: no commit ${sha}`);
    return commit;
  }

  /** A branch, a tag, a full sha or a unique abbreviation of at least 7 characters → a commit sha, or null. */
  resolve(ref: string): string | null {
    const named = this.branches.get(ref) ?? this.tags.get(ref) ?? this.branches.get(ref.replace(/^(refs\/)?heads\//, "")) ?? this.tags.get(ref.replace(/^(refs\/)?tags\//, ""));
    if (named) return named;
    if (this.commits.has(ref)) return ref;
    if (!/^[0-9a-f]{7,39}$/.test(ref)) return null;
    const matches = [...this.commits.keys()].filter((sha) => sha.startsWith(ref));
    return matches.length === 1 ? (matches[0] ?? null) : null;
  }

  /** The commit and everything reachable from it. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...this.commit(next).parents);
    }
    return seen;
  }

  isAncestor = (ancestor: string, of: string): boolean => this.ancestors(of).has(ancestor);

  /** The best common ancestor (one no other common ancestor descends from), or null for unrelated histories. */
  mergeBase(a: string, b: string): string | null {
    const ofA = this.ancestors(a);
    const common = [...this.ancestors(b)].filter((sha) => ofA.has(sha));
    const best = common.filter((c) => !common.some((other) => other !== c && this.isAncestor(c, other)));
    best.sort((x, y) => this.commit(y).seq - this.commit(x).seq);
    return best[0] ?? null;
  }

  /** Commits reachable from `sha`, newest first (by date, then creation order). */
  log(sha: string): FakeCommit[] {
    return [...this.ancestors(sha)].map((s) => this.commit(s)).sort((x, y) => y.date.localeCompare(x.date) || y.seq - x.seq);
  }

  /** Paths whose content differs between two trees. */
  changedPaths(from: string, to: string): string[] {
    const a = this.files(from);
    const b = this.files(to);
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((p) => a[p] !== b[p]).sort();
  }

  /** Paths a commit changes against its first parent (all of its paths for a root commit). */
  commitPaths(sha: string): string[] {
    const commit = this.commit(sha);
    const parent = commit.parents[0];
    return this.changedPaths(parent ? this.commit(parent).tree : this.treeOf({}), commit.tree);
  }

  /** A tree with changes applied. */
  applyChanges(tree: string, changes: FileChanges): string {
    const files: Record<string, string> = { ...this.files(tree) };
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) delete files[path];
      else files[path] = content;
    }
    return this.treeOf(files);
  }

  private readonly blobs = new Map<string, string>();

  /** Stores a file's content as a blob and returns its id. */
  blobOf(content: string): string {
    const id = hash({ blob: content });
    this.blobs.set(id, content);
    return id;
  }

  blob(id: string): string | undefined {
    return this.blobs.get(id);
  }

  /**
   * One level of a tree, as git lists it: files as blobs, directories as trees (stored here as trees of their
   * own, paths relative to the directory). Every file is `100644`: the model has no modes.
   */
  treeEntries(tree: string): { name: string; mode: string; type: "blob" | "tree"; sha: string; size: number | null }[] {
    const dirs = new Map<string, Record<string, string>>();
    const entries: { name: string; mode: string; type: "blob" | "tree"; sha: string; size: number | null }[] = [];
    for (const [path, content] of Object.entries(this.files(tree))) {
      const slash = path.indexOf("/");
      if (slash === -1) entries.push({ name: path, mode: "100644", type: "blob", sha: this.blobOf(content), size: Buffer.byteLength(content) });
      else {
        const dir = dirs.get(path.slice(0, slash)) ?? {};
        dir[path.slice(slash + 1)] = content;
        dirs.set(path.slice(0, slash), dir);
      }
    }
    for (const [name, files] of dirs) entries.push({ name, mode: "040000", type: "tree", sha: this.treeOf(files), size: null });
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A tree with files put (by blob id) or removed (null) by path; null when a blob is unknown. */
  treeWithEdits(tree: string, edits: readonly { path: string; sha: string | null }[]): string | null {
    const changes: Record<string, string | null> = {};
    for (const edit of edits) {
      const content = edit.sha === null ? null : this.blobs.get(edit.sha);
      if (content === undefined) return null;
      changes[edit.path] = content;
    }
    return this.applyChanges(tree, changes);
  }

  /** Three-way merge of `theirs` into `ours`, path by path, against `base`. */
  mergeTrees(base: string, ours: string, theirs: string): MergeOutcome {
    const b = this.files(base);
    const o = this.files(ours);
    const t = this.files(theirs);
    const merged: Record<string, string> = {};
    const conflicts: string[] = [];
    for (const path of new Set([...Object.keys(b), ...Object.keys(o), ...Object.keys(t)])) {
      const [bv, ov, tv] = [b[path], o[path], t[path]];
      let value: string | undefined;
      if (ov === tv || tv === bv) value = ov;
      else if (ov === bv) value = tv;
      else {
        conflicts.push(path);
        continue;
      }
      if (value !== undefined) merged[path] = value;
    }
    return conflicts.length > 0 ? { status: "conflict", paths: conflicts.sort() } : { status: "merged", tree: this.treeOf(merged) };
  }

  /** Merges commit `theirs` into commit `ours` as git would: against their merge base. */
  mergeCommits(ours: string, theirs: string): MergeOutcome {
    const base = this.mergeBase(ours, theirs);
    const baseTree = base ? this.commit(base).tree : this.treeOf({});
    return this.mergeTrees(baseTree, this.commit(ours).tree, this.commit(theirs).tree);
  }
}

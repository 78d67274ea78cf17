/**
 * Builds a new tree from a base tree and path edits, the way GitHub's "create a tree" works: only the
 * directories along edited paths are read and rewritten (with `git mktree`), the rest is shared.
 */
import type { BatchCheck, TreeEntry } from "./objects.js";
import { parseLsTree } from "./objects.js";
import { isSha, normalizeRepoPath } from "./names.js";
import { GitError } from "./run-git.js";

export type TreeEntryMode = "100644" | "100755" | "120000" | "040000" | "160000";

export interface TreeEdit {
  /** `dir/file`, relative to the root. */
  path: string;
  mode: TreeEntryMode;
  /** The blob, tree or (for 160000) submodule commit; null deletes the path. */
  sha: string | null;
}

/** What the writer needs from the repository. */
export interface TreeStore {
  lsTree(treeSha: string): Promise<Buffer>;
  batchCheck(specs: string[]): Promise<BatchCheck[]>;
  mktree(input: Buffer): Promise<string>;
}

interface Node {
  entries: Map<string, { mode: string; type: TreeEntry["type"]; sha: string }>;
  /** Subdirectories with edits below them, written before this node. */
  children: Map<string, Node>;
}

const MODE_TYPE: Record<TreeEntryMode, TreeEntry["type"]> = {
  "100644": "blob",
  "100755": "blob",
  "120000": "blob",
  "040000": "tree",
  "160000": "commit",
};

async function load(store: TreeStore, treeSha: string | null): Promise<Node> {
  const node: Node = { entries: new Map(), children: new Map() };
  if (treeSha === null) return node;
  for (const entry of parseLsTree(await store.lsTree(treeSha))) {
    node.entries.set(entry.path, { mode: entry.mode, type: entry.type, sha: entry.sha });
  }
  return node;
}

/** The directory `name` under `parent`, loaded for editing; null when it does not exist and `create` is false. */
async function child(store: TreeStore, parent: Node, name: string, create: boolean): Promise<Node | null> {
  const edited = parent.children.get(name);
  if (edited) return edited;
  const existing = parent.entries.get(name);
  if (!create && existing?.type !== "tree") return null;
  // A file in the way of a directory is replaced by the directory, as on GitHub.
  const node = await load(store, existing?.type === "tree" ? existing.sha : null);
  parent.children.set(name, node);
  parent.entries.delete(name);
  return node;
}

/** Writes the edited nodes bottom-up; null for a directory left empty (git stores no empty trees). */
async function write(store: TreeStore, node: Node): Promise<string | null> {
  const written = await Promise.all([...node.children].map(async ([name, sub]) => [name, await write(store, sub)] as const));
  for (const [name, sha] of written) if (sha !== null) node.entries.set(name, { mode: "040000", type: "tree", sha });
  if (node.entries.size === 0) return null;
  const lines = [...node.entries].map(([name, { mode, type, sha }]) => `${mode} ${type} ${sha}\t${name}\0`);
  return store.mktree(Buffer.from(lines.join(""), "utf8"));
}

/** Checks every edit and the objects it names; null when an object is missing or of the wrong type. */
async function checkEdits(store: TreeStore, edits: TreeEdit[]): Promise<{ path: string[]; edit: TreeEdit }[] | null> {
  const checked = edits.map((edit) => {
    const path = normalizeRepoPath(edit.path);
    if (path === null || path === "" || path.split("/").some((part) => part.toLowerCase() === ".git")) {
      throw new GitError("invalid-argument", `invalid tree path: ${JSON.stringify(edit.path)}`);
    }
    if (!(edit.mode in MODE_TYPE)) throw new GitError("invalid-argument", `invalid tree entry mode: ${edit.mode}`);
    if (edit.sha !== null && !isSha(edit.sha)) throw new GitError("invalid-argument", `invalid object sha: ${edit.sha}`);
    return { path: path.split("/"), edit };
  });
  // Submodule commits live in other repositories; only blobs and trees must be here.
  const local = checked.filter(({ edit }) => edit.sha !== null && edit.mode !== "160000");
  const found = await store.batchCheck(local.map(({ edit }) => edit.sha ?? ""));
  const ok = local.every(({ edit }, index) => found[index]?.type === MODE_TYPE[edit.mode]);
  return ok ? checked : null;
}

/**
 * The sha of `base` (a tree sha, or null for an empty start) with `edits` applied, or null when the base
 * or an object named by an edit is missing. An edit that leaves the whole tree empty gives the empty tree.
 */
export async function buildTree(store: TreeStore, base: string | null, edits: TreeEdit[]): Promise<string | null> {
  if (base !== null && (await store.batchCheck([base]))[0]?.type !== "tree") return null;
  const checked = await checkEdits(store, edits);
  if (checked === null) return null;
  const root = await load(store, base);
  for (const { path, edit } of checked) {
    let node: Node | null = root;
    for (const part of path.slice(0, -1)) node = node && (await child(store, node, part, edit.sha !== null));
    // Deleting below a path that is not a directory deletes nothing.
    if (node === null) continue;
    const name = path[path.length - 1] ?? "";
    node.children.delete(name);
    if (edit.sha === null) node.entries.delete(name);
    else node.entries.set(name, { mode: edit.mode, type: MODE_TYPE[edit.mode], sha: edit.sha });
  }
  return (await write(store, root)) ?? (await store.mktree(Buffer.alloc(0)));
}

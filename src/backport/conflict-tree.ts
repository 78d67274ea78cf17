/**
 * The tree `git cherry-pick` leaves in the work tree when a pick conflicts, computed through the API: the
 * pick's changes (its parent's tree → its tree) merged into the target's tree, file by file, with git's
 * conflict markers where both changed the same lines (src/merge/merge-text.ts). Only directories the pick
 * changed are read, one level at a time, and only the blobs of files both sides changed.
 *
 * What git would do and this does too: a file changed by one side only takes that side's version (added and
 * removed files included); a file both changed is merged, cleanly or with markers (added on both sides: merged
 * against an empty file); a file one side removed and the other changed keeps the changed version (git leaves
 * it in the tree and reports a modify/delete conflict). What it cannot do, said in a note and left as the
 * target has it: binary files (git keeps ours too, without markers), files over `maxBytes`, symlinks and
 * submodules changed on both sides, a file on one side where the other has a directory, and renames, which
 * git follows and this does not (a renamed file shows as removed and added).
 */
import type { GitHubPort } from "../github/port.js";
import type { TreeEdit, TreeEntry } from "../github/types.js";
import { mergeText } from "../merge/merge-text.js";

export type FileNoteKind = "modify-delete-kept-ours" | "modify-delete-kept-theirs" | "binary" | "too-large" | "special" | "file-directory" | "mode" | "too-many";

/** A file git would report as conflicting that holds no markers, and what the draft kept. */
export interface FileNote {
  path: string;
  kind: FileNoteKind;
}

export interface ConflictTree {
  /** Edits to the target's tree. */
  edits: TreeEdit[];
  /** Files with conflict markers, in path order. */
  marked: string[];
  notes: FileNote[];
}

export interface ConflictTreeInput {
  /** Trees: the pick's parent, the target (ours) and the pick (theirs). */
  base: string;
  ours: string;
  theirs: string;
  oursLabel: string;
  theirsLabel: string;
  /** Files larger than this (on any side) are not read. */
  maxBytes: number;
  /** At most this many files are merged by content; the rest get a note. */
  maxFiles: number;
}

type Entry = Pick<TreeEntry, "mode" | "type" | "sha" | "size">;

const same = (a: Entry | undefined, b: Entry | undefined) => (a === undefined ? b === undefined : b !== undefined && a.sha === b.sha && a.mode === b.mode);
const isFile = (e: Entry | undefined) => e?.type === "blob" && (e.mode === "100644" || e.mode === "100755");
const join = (dir: string, name: string) => (dir === "" ? name : `${dir}/${name}`);

/** The mode both sides agree on, or null when they changed it differently. */
function mergedMode(base: Entry | undefined, ours: Entry, theirs: Entry): string | null {
  if (ours.mode === theirs.mode) return ours.mode;
  if (base && ours.mode === base.mode) return theirs.mode;
  if (base && theirs.mode === base.mode) return ours.mode;
  return null;
}

export async function conflictTree(port: GitHubPort, input: ConflictTreeInput): Promise<ConflictTree> {
  const trees = new Map<string, Promise<TreeEntry[]>>();
  const read = (sha: string | null): Promise<TreeEntry[]> => (sha === null ? Promise.resolve([]) : trees.get(sha) ?? trees.set(sha, port.getTree(sha)).get(sha)!);
  const result: ConflictTree = { edits: [], marked: [], notes: [] };
  let merged = 0;

  /** Every file below a directory of ours, removed (a directory the pick removed and the target did not change). */
  async function removeAll(dir: string, tree: string): Promise<void> {
    for (const entry of await read(tree)) {
      if (entry.type === "tree") await removeAll(join(dir, entry.name), entry.sha);
      else result.edits.push({ path: join(dir, entry.name), mode: entry.mode, sha: null });
    }
  }

  /** Takes theirs at `path` where ours is `ours` (a directory is removed file by file before a file is put). */
  async function takeTheirs(path: string, ours: Entry | undefined, theirs: Entry | undefined): Promise<void> {
    if (ours?.type === "tree" && theirs?.type !== "tree") await removeAll(path, ours.sha);
    else if (ours !== undefined && theirs === undefined) result.edits.push({ path, mode: ours.mode, sha: null });
    if (theirs !== undefined) result.edits.push({ path, mode: theirs.mode, sha: theirs.sha });
  }

  async function mergeFile(path: string, base: Entry | undefined, ours: Entry, theirs: Entry): Promise<void> {
    const mode = mergedMode(base, ours, theirs);
    if (ours.sha === theirs.sha || (base && base.sha === theirs.sha) || (base && base.sha === ours.sha)) {
      // Only the mode differs between the sides: the content is settled.
      const sha = ours.sha === theirs.sha || base?.sha === theirs.sha ? ours.sha : theirs.sha;
      if (mode === null) result.notes.push({ path, kind: "mode" });
      else if (mode !== ours.mode || sha !== ours.sha) result.edits.push({ path, mode, sha });
      return;
    }
    if ([base, ours, theirs].some((e) => (e?.size ?? 0) > input.maxBytes)) return void result.notes.push({ path, kind: "too-large" });
    if (merged >= input.maxFiles) return void result.notes.push({ path, kind: "too-many" });
    merged++;
    const [b, o, t] = await Promise.all([base ? port.getBlob(base.sha) : Promise.resolve(Buffer.alloc(0)), port.getBlob(ours.sha), port.getBlob(theirs.sha)]);
    const text = mergeText({ base: b, ours: o, theirs: t, oursLabel: input.oursLabel, theirsLabel: input.theirsLabel });
    if (text.binary) return void result.notes.push({ path, kind: "binary" });
    if (text.conflicts > 0) result.marked.push(path);
    if (mode === null) result.notes.push({ path, kind: "mode" });
    const sha = text.content.equals(o) ? ours.sha : await port.createBlob(text.content);
    const wanted = mode ?? ours.mode;
    if (sha !== ours.sha || wanted !== ours.mode) result.edits.push({ path, mode: wanted, sha });
  }

  async function walk(dir: string, base: string | null, ours: string | null, theirs: string | null): Promise<void> {
    const [b, o, t] = await Promise.all([read(base), read(ours), read(theirs)]);
    const names = [...new Set([...b, ...o, ...t].map((e) => e.name))].sort();
    for (const name of names) {
      const path = join(dir, name);
      const [be, oe, te] = [b, o, t].map((list) => list.find((e) => e.name === name));
      if (same(te, be) || same(oe, te)) continue;
      if (same(oe, be)) {
        await takeTheirs(path, oe, te);
        continue;
      }
      // Both sides changed this entry, differently.
      if (oe?.type === "tree" && te?.type === "tree" && (be === undefined || be.type === "tree")) await walk(path, be?.sha ?? null, oe.sha, te.sha);
      else if (oe === undefined && te !== undefined) {
        if (te.type === "tree" || be?.type === "tree") result.notes.push({ path, kind: "file-directory" });
        else {
          // Removed on the target, changed by the pick: git leaves the pick's version in the tree.
          result.edits.push({ path, mode: te.mode, sha: te.sha });
          result.notes.push({ path, kind: "modify-delete-kept-theirs" });
        }
      } else if (te === undefined) result.notes.push({ path, kind: oe?.type === "tree" || be?.type === "tree" ? "file-directory" : "modify-delete-kept-ours" });
      else if (oe!.type !== te.type || (be !== undefined && be.type !== oe!.type)) result.notes.push({ path, kind: "file-directory" });
      else if (!isFile(oe) || !isFile(te) || (be !== undefined && !isFile(be))) result.notes.push({ path, kind: "special" });
      else await mergeFile(path, be, oe!, te);
    }
  }

  await walk("", input.base, input.ours, input.theirs);
  result.marked.sort();
  return result;
}

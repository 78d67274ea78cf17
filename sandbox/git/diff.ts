/** File-level diffs between two commits or trees, shaped like the `files` of GitHub's compare and commit APIs. */
import { GitError } from "./run-git.js";

export interface FileDiff {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  additions: number;
  deletions: number;
  changes: number;
  previousFilename?: string;
  /** Unified hunks (from the first `@@`), absent for binary files, pure renames and over-large patches. */
  patch?: string;
  /** The blob after the change; for a removed file, the blob that was removed. */
  sha: string;
}

/** Runs `git <args>` in the repository and returns stdout. */
export type GitReader = (args: string[], maxOutput?: number) => Promise<Buffer>;

const RAW_HEADER = /^:(\d{6}) (\d{6}) ([0-9a-f]{40}) ([0-9a-f]{40}) ([A-Z])(\d*)$/;
const NUMSTAT = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/;
const STATUS: Record<string, FileDiff["status"]> = { A: "added", D: "removed", M: "modified", T: "modified", R: "renamed" };

interface RawEntry {
  status: FileDiff["status"];
  oldSha: string;
  newSha: string;
  path: string;
  oldPath?: string;
}

/** `diff-tree -z --raw --numstat`: every raw record comes first, then the numstat records in the same order. */
function parseRawNumstat(output: Buffer): { raw: RawEntry[]; counts: { additions: number; deletions: number; path: string }[] } {
  const tokens = output.toString("utf8").split("\0");
  const raw: RawEntry[] = [];
  const counts: { additions: number; deletions: number; path: string }[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] ?? "";
    const header = RAW_HEADER.exec(token);
    if (header) {
      const letter = header[5] ?? "M";
      const twoPaths = letter === "R" || letter === "C";
      const first = tokens[i + 1] ?? "";
      const entry: RawEntry = {
        status: STATUS[letter] ?? "modified",
        oldSha: header[3] ?? "",
        newSha: header[4] ?? "",
        path: twoPaths ? (tokens[i + 2] ?? "") : first,
      };
      if (twoPaths) entry.oldPath = first;
      raw.push(entry);
      i += twoPaths ? 3 : 2;
      continue;
    }
    const stat = NUMSTAT.exec(token);
    if (stat) {
      // Binary files count "-": GitHub reports 0 lines for them.
      const additions = stat[1] === "-" ? 0 : Number(stat[1]);
      const deletions = stat[2] === "-" ? 0 : Number(stat[2]);
      const renamed = stat[3] === "";
      counts.push({ additions, deletions, path: renamed ? (tokens[i + 2] ?? "") : (stat[3] ?? "") });
      i += renamed ? 3 : 1;
      continue;
    }
    i += 1;
  }
  return { raw, counts };
}

/**
 * Splits `diff-tree -p` output into one text per file pair, in raw order. A type change prints two
 * `diff --git` blocks with the same header; they are joined. Returns null when the blocks cannot be
 * matched one-to-one with the raw entries.
 */
function splitPatches(output: string, expected: number): (string | undefined)[] | null {
  const blocks: { header: string; text: string }[] = [];
  for (const block of output.split(/^(?=diff --git )/m)) {
    if (!block.startsWith("diff --git ")) continue;
    const header = block.slice(0, block.indexOf("\n"));
    const last = blocks[blocks.length - 1];
    if (last && last.header === header) last.text += block;
    else blocks.push({ header, text: block });
  }
  if (blocks.length !== expected) return null;
  return blocks.map(({ text }) => {
    const hunks = /^@@ /m.exec(text);
    return hunks ? text.slice(hunks.index).replace(/\n$/, "") : undefined;
  });
}

export interface DiffOptions {
  /** Commit or tree sha; the empty tree's sha for a root commit. */
  from: string;
  to: string;
  /** Patches longer than this are left out, as GitHub does for large diffs (default 64 KiB). */
  maxPatchBytes?: number;
}

export async function diffFiles(read: GitReader, options: DiffOptions): Promise<FileDiff[]> {
  const maxPatch = options.maxPatchBytes ?? 64 * 1024;
  const common = ["diff-tree", "-r", "-M", "--no-ext-diff", "--no-textconv", "--no-color"];
  const [summary, patchOutput] = await Promise.all([
    read([...common, "-z", "--raw", "--numstat", options.from, options.to]),
    // Patches are optional: past 32 MiB of patch text all of them are left out rather than failing.
    read([...common, "-p", options.from, options.to], 32 * 1024 * 1024).catch((error: unknown) => {
      if (error instanceof GitError && error.code === "output-too-large") return null;
      throw error;
    }),
  ]);
  const { raw, counts } = parseRawNumstat(summary);
  const patches = patchOutput === null ? null : splitPatches(patchOutput.toString("utf8"), raw.length);
  return raw.map((entry, index) => {
    const count = counts[index]?.path === entry.path ? counts[index] : counts.find((c) => c.path === entry.path);
    const additions = count?.additions ?? 0;
    const deletions = count?.deletions ?? 0;
    const file: FileDiff = {
      filename: entry.path,
      status: entry.status,
      additions,
      deletions,
      changes: additions + deletions,
      sha: entry.status === "removed" ? entry.oldSha : entry.newSha,
    };
    if (entry.oldPath !== undefined) file.previousFilename = entry.oldPath;
    const patch = patches?.[index];
    if (patch !== undefined && Buffer.byteLength(patch) <= maxPatch) file.patch = patch;
    return file;
  });
}

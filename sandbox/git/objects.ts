/** Shapes of git objects as BareRepo returns them, and parsers for git's raw and listing formats. */

export type ObjectType = "commit" | "tree" | "blob" | "tag";

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO 8601 in UTC, seconds precision: `2025-08-20T12:00:00Z`. */
  date: string;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

export interface TagInfo {
  sha: string;
  /** The tag's own name as recorded in the object (not necessarily its ref). */
  tag: string;
  object: { sha: string; type: ObjectType };
  tagger: GitIdentity | null;
  message: string;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Blobs only. */
  size?: number;
}

export const isObjectType = (value: string): value is ObjectType =>
  value === "commit" || value === "tree" || value === "blob" || value === "tag";

/** Unix seconds to `YYYY-MM-DDTHH:MM:SSZ`. */
export const isoFromUnix = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** An ISO date (or `YYYY-MM-DD`, taken as midnight UTC) to git's raw `<unix> +0000` form. */
export function rawGitDate(iso: string): string | null {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(time) ? null : `${Math.floor(time / 1000)} +0000`;
}

/** `Name <email> 1700000000 +0100` as in commit and tag headers. */
export function parseIdentity(line: string): GitIdentity | null {
  const match = /^(.*?) ?<([^>]*)> (-?\d+) [+-]\d{4}$/.exec(line);
  if (!match) return null;
  return { name: match[1] ?? "", email: match[2] ?? "", date: isoFromUnix(Number(match[3])) };
}

/** Header lines (continuations folded in) and the message of a commit or tag object. */
function splitObject(raw: Buffer): { headers: [string, string][]; message: string } {
  const text = raw.toString("utf8");
  const end = text.indexOf("\n\n");
  const head = end === -1 ? text : text.slice(0, end);
  const message = end === -1 ? "" : text.slice(end + 2);
  const headers: [string, string][] = [];
  for (const line of head.split("\n")) {
    const last = headers[headers.length - 1];
    if (line.startsWith(" ") && last) last[1] += `\n${line.slice(1)}`;
    else {
      const space = line.indexOf(" ");
      headers.push(space === -1 ? [line, ""] : [line.slice(0, space), line.slice(space + 1)]);
    }
  }
  return { headers, message };
}

const UNKNOWN: GitIdentity = { name: "", email: "", date: isoFromUnix(0) };

export function parseCommit(sha: string, raw: Buffer): CommitInfo {
  const { headers, message } = splitObject(raw);
  const value = (name: string) => headers.find(([key]) => key === name)?.[1];
  return {
    sha,
    tree: value("tree") ?? "",
    parents: headers.filter(([key]) => key === "parent").map(([, parent]) => parent),
    author: parseIdentity(value("author") ?? "") ?? UNKNOWN,
    committer: parseIdentity(value("committer") ?? "") ?? UNKNOWN,
    message,
  };
}

export function parseTag(sha: string, raw: Buffer): TagInfo {
  const { headers, message } = splitObject(raw);
  const value = (name: string) => headers.find(([key]) => key === name)?.[1];
  const type = value("type") ?? "";
  return {
    sha,
    tag: value("tag") ?? "",
    object: { sha: value("object") ?? "", type: isObjectType(type) ? type : "commit" },
    tagger: parseIdentity(value("tagger") ?? ""),
    message,
  };
}

/** `git ls-tree -z -l` output: `<mode> <type> <sha> <size>\t<path>\0`. */
export function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString("utf8").split("\0")) {
    const tab = record.indexOf("\t");
    if (tab === -1) continue;
    const [mode = "", type = "", sha = "", size = "-"] = record.slice(0, tab).split(/ +/);
    if (type !== "blob" && type !== "tree" && type !== "commit") continue;
    const entry: TreeEntry = { path: record.slice(tab + 1), mode, type, sha };
    if (type === "blob" && size !== "-") entry.size = Number(size);
    entries.push(entry);
  }
  return entries;
}

/** One answer of `cat-file --batch-check` (or the header line of `--batch`). */
export type BatchCheck = { sha: string; type: ObjectType; size: number } | null;

export function parseBatchCheckLine(line: string): BatchCheck {
  const match = /^([0-9a-f]{40}) (\w+) (\d+)$/.exec(line);
  if (!match || !isObjectType(match[2] ?? "")) return null;
  return { sha: match[1] ?? "", type: match[2] as ObjectType, size: Number(match[3]) };
}

/** `cat-file --batch` output for `count` requests, in order; a "missing" or "ambiguous" answer is null. */
export function parseBatchMany(output: Buffer, count: number): ({ sha: string; type: ObjectType; content: Buffer } | null)[] {
  const found: ({ sha: string; type: ObjectType; content: Buffer } | null)[] = [];
  let at = 0;
  while (found.length < count) {
    const newline = output.indexOf(0x0a, at);
    if (newline === -1) break;
    const header = parseBatchCheckLine(output.subarray(at, newline).toString("utf8"));
    if (!header) {
      found.push(null);
      at = newline + 1;
      continue;
    }
    const start = newline + 1;
    found.push({ sha: header.sha, type: header.type, content: output.subarray(start, start + header.size) });
    at = start + header.size + 1; // the content is followed by a newline
  }
  while (found.length < count) found.push(null);
  return found;
}

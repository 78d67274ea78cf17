/** Checks on untrusted object names, ref names and paths before they reach a git command line or stdin. */

export const SHA_RE = /^[0-9a-f]{40}$/;

/** git's well-known empty tree (SHA-1); git knows it without it being stored. */
export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

export const ZERO_SHA = "0".repeat(40);

export const isSha = (value: string): boolean => SHA_RE.test(value);

/**
 * A fast, conservative mirror of `git check-ref-format` for full ref names (`refs/...`). Read paths use it
 * alone; writes also ask git. It also guarantees a name can neither start an option nor carry revision
 * syntax (`~ ^ : @{`) into a `cat-file --batch-check` line.
 */
export function looksLikeRefName(ref: string): boolean {
  if (!ref.startsWith("refs/") || ref.length > 1024) return false;
  // Control characters, space and the characters git reserves for revision and glob syntax.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref)) return false;
  if (ref.includes("..") || ref.includes("@{") || ref.includes("//")) return false;
  if (ref.endsWith("/") || ref.endsWith(".")) return false;
  return ref.split("/").every((part) => part !== "" && !part.startsWith(".") && !part.endsWith(".lock") && part !== "@");
}

/**
 * A repository path as GitHub's API writes it: `a/b/c`, no leading or trailing slash, no empty, `.` or
 * `..` components, no NUL or newline (they would break `cat-file --batch` input). Returns the normalized
 * path ("" is the root) or null when the path can never name anything.
 */
export function normalizeRepoPath(path: string): string | null {
  if (/[\x00\n\r]/.test(path)) return null;
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "";
  const parts = trimmed.split("/");
  if (parts.some((part) => part === "" || part === "." || part === "..")) return null;
  return parts.join("/");
}

/**
 * Hidden markers: how the App finds its own comments, issues and PR bodies again, and where it keeps their
 * state. GitHub is the database, so the state lives in the body as an HTML comment people never see.
 */

const PREFIX = "lts-steward:";
const STATE_KIND = "state";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `<!-- lts-steward:<kind> <key> -->`. Keys must not contain whitespace (e.g. `pr-123/release-36.0.0`). */
export function marker(kind: string, key: string): string {
  return `<!-- ${PREFIX}${kind} ${key} -->`;
}

export function hasMarker(body: string | null, kind: string, key: string): boolean {
  return body !== null && body.includes(marker(kind, key));
}

/** Every key of the given kind in the body, in order of appearance, without repeats. */
export function findMarkerKeys(body: string | null, kind: string): string[] {
  if (body === null) return [];
  const pattern = new RegExp(`<!-- ${escapeRegExp(PREFIX + kind)} (\\S+) -->`, "g");
  const keys = [...body.matchAll(pattern)].map((m) => m[1] ?? "");
  return [...new Set(keys)];
}

/** Object keys in sorted order, so the same state always encodes the same (a re-read state re-renders unchanged). */
const canonical = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value;

/** The value as JSON in base64url, whose alphabet cannot spell `-->` and so cannot end the comment early. */
export function embedState(value: unknown): string {
  const encoded = Buffer.from(JSON.stringify(value, canonical) ?? "null", "utf8").toString("base64url");
  return `<!-- ${PREFIX}${STATE_KIND} ${encoded} -->`;
}

/**
 * The raw state embedded in the body, or null when there is none or it does not decode. The App writes its
 * state last, so the last one wins: text quoted above it (a title, a file name) cannot stand in for it.
 * Callers read through `readState(body, schema)` (read-state.ts), which validates it.
 */
export function readEmbedded(body: string | null): unknown | null {
  if (body === null) return null;
  const pattern = new RegExp(`<!-- ${escapeRegExp(PREFIX + STATE_KIND)} ([A-Za-z0-9_-]*) -->`, "g");
  const encoded = [...body.matchAll(pattern)].at(-1)?.[1];
  if (!encoded) return null;
  try {
    return JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

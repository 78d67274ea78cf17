/**
 * Nothing about an advisory that is not published may leave the App (DESIGN.md §5, "Embargo"). The status
 * page's records pass through here where they are recorded: every GHSA id and CVE id in their text is
 * withheld unless the App has seen that advisory published (a job re-read it live as published, or GitHub
 * listed it among the published ones). An id the App has not seen published reads as withheld, even when it
 * is public elsewhere: a missing id costs a look at GitHub, a leaked one cannot be taken back.
 *
 * Draft work has no text here at all: the daily tick's draft suggestions are never noted
 * (src/workflows/outcomes.ts), and an advisory workflow notes nothing before the advisory reads as public.
 */

/** GitHub's advisory ids (`GHSA-7v4r-4c2q-xj6h`, any case) and CVE ids (`CVE-2025-64345`). */
const ADVISORY_ID = /\bGHSA(?:-[0-9a-z]{4}){3}\b|\bCVE-\d{4}-\d{4,}\b/gi;

export const WITHHELD = "[advisory id withheld]";

export class EmbargoFilter {
  private readonly published = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** The advisory is published: its ids may be shown from now on. */
  allow(ids: { ghsaId: string; cveId?: string | null }): void {
    for (const id of [ids.ghsaId, ids.cveId]) {
      if (!id) continue;
      const key = id.toLowerCase();
      this.published.delete(key);
      this.published.add(key);
      if (this.published.size > this.capacity) this.published.delete(this.published.values().next().value!);
    }
  }

  isPublished(id: string): boolean {
    return this.published.has(id.toLowerCase());
  }

  /** The text with every id of an advisory not seen published replaced by `WITHHELD`. */
  redact(text: string): string {
    return text.replace(ADVISORY_ID, (id) => (this.published.has(id.toLowerCase()) ? id : WITHHELD));
  }

  /** Every string in a plain JSON-like value redacted (objects and arrays copied). */
  redactAll<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.redactAll(v)) as T;
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactAll(v)])) as T;
    }
    return value;
  }
}

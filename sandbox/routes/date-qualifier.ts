/**
 * GitHub's search syntax for dates, as the `created` filter of workflow runs takes it: `>=2025-01-01`,
 * `>2025-01-01T10:00:00Z`, `<=…`, `<…`, a range `A..B` (either end `*`), or a bare date or time (that day, or
 * that second). Times may carry `Z` or an offset (`+02:00`); without one they are UTC, as are bare dates.
 */

interface Span {
  /** First instant covered (ms). */
  start: number;
  /** First instant after it (ms): the next day for a date, the next second (or minute) for a time. */
  end: number;
}

const VALUE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$/;

function spanOf(text: string): Span | null {
  // A `+` in an unencoded query string arrives as a space.
  const match = VALUE.exec(text.trim().replace(/ (\d{2}:?\d{2})$/, "+$1"));
  if (!match) return null;
  const [, y, mo, d, h, mi, s, zone] = match;
  const iso = h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : `${y}-${mo}-${d}T${h}:${mi}:${s ?? "00"}${normalizeZone(zone)}`;
  const start = Date.parse(iso);
  if (Number.isNaN(start)) return null;
  const length = h === undefined ? 86_400_000 : s === undefined ? 60_000 : 1_000;
  return { start, end: start + length };
}

function normalizeZone(zone: string | undefined): string {
  if (zone === undefined || zone === "Z") return "Z";
  return zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

/** A test for ISO timestamps, or null when `qualifier` is not in GitHub's date syntax. */
export function parseDateQualifier(qualifier: string): ((iso: string) => boolean) | null {
  const text = qualifier.trim();
  const compare = /^(>=|<=|>|<)(.+)$/.exec(text);
  if (compare) {
    const span = spanOf(compare[2]!);
    if (!span) return null;
    const at = (iso: string): number => Date.parse(iso);
    switch (compare[1]) {
      case ">=": return (iso) => at(iso) >= span.start;
      case ">": return (iso) => at(iso) >= span.end;
      case "<=": return (iso) => at(iso) < span.end;
      default: return (iso) => at(iso) < span.start;
    }
  }
  const range = /^(.+?)\.\.(.+)$/.exec(text);
  if (range) {
    const from = range[1] === "*" ? { start: -Infinity, end: -Infinity } : spanOf(range[1]!);
    const to = range[2] === "*" ? { start: Infinity, end: Infinity } : spanOf(range[2]!);
    if (!from || !to) return null;
    return (iso) => Date.parse(iso) >= from.start && Date.parse(iso) < to.end;
  }
  const span = spanOf(text);
  return span && ((iso) => Date.parse(iso) >= span.start && Date.parse(iso) < span.end);
}

/**
 * A line's position in the sequence of lines, which the calendar and the "every N-th line" LTS rule
 * count in. Major lines count by their major (36 is 12 after 24, whether or not 25–35 exist). Minor
 * lines count in the order they appear (1.9 → 2.0 is one step), so the known lines fix the sequence.
 */
import { compareLines, lineKey, type LineId } from "./naming.js";
import type { LineGranularity } from "./types.js";

export class LineOrdinals {
  private readonly ordinals = new Map<string, number>();
  private last: LineId | null = null;

  constructor(
    private readonly granularity: LineGranularity,
    known: LineId[],
  ) {
    if (granularity === "major") return;
    const unique = new Map(known.map((id) => [lineKey(id, granularity), id]));
    const sorted = [...unique.values()].sort(compareLines);
    sorted.forEach((id, index) => this.ordinals.set(lineKey(id, granularity), index));
    this.last = sorted.at(-1) ?? null;
  }

  /** The ordinal of a line; minor lines after the last known one continue the sequence minor by minor. */
  of(id: LineId): number | null {
    if (this.granularity === "major") return id.major;
    const known = this.ordinals.get(lineKey(id, this.granularity));
    if (known !== undefined) return known;
    if (!this.last || compareLines(id, this.last) <= 0 || id.major !== this.last.major) return null;
    return (this.ordinals.get(lineKey(this.last, this.granularity)) ?? 0) + (id.minor - this.last.minor);
  }
}

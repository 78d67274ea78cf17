/**
 * A three-way merge of one file's contents that writes what `git cherry-pick` writes (git's "zealous" merge
 * with the default `merge` conflict style): changes of both sides that do not overlap are taken; identical
 * changes are taken once; changes that overlap or touch are a conflict, which is then narrowed to the lines
 * where the two sides really differ (common lines at a conflict's edges stay outside its markers, and a
 * conflict with common lines inside is split), and conflicts at most three lines apart are joined again.
 * Markers are seven characters, `<<<<<<< <ours>`, `=======`, `>>>>>>> <theirs>`, with CRLF line ends when
 * the file has them. A file git reads as binary (a NUL byte in its first 8,000 bytes) is not merged.
 *
 * Bytes in, bytes out: text is handled as latin1 strings, one character per byte, so nothing is re-encoded.
 */
import { classify, diffLines, type LineChange } from "./line-diff.js";

export type TextMergeResult =
  /** Merged; `conflicts` is how many marked conflicts the text holds (0: merged cleanly). */
  | { binary: false; content: Buffer; conflicts: number }
  /** One of the three is binary: git keeps ours and reports a conflict, with no markers. */
  | { binary: true };

export interface TextMergeInput {
  base: Buffer;
  ours: Buffer;
  theirs: Buffer;
  /** The marker labels: `HEAD` and `<abbreviated sha> (<subject>)` for a cherry-pick. */
  oursLabel: string;
  theirsLabel: string;
}

/** How much git looks at to decide that a file is binary. */
const FIRST_FEW_BYTES = 8000;
export const isBinary = (content: Buffer): boolean => content.subarray(0, FIRST_FEW_BYTES).includes(0);

/** The lines of a text, each with its line end; a last line without one is a line of its own. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** 0 = conflict, 1 = take ours, 2 = take theirs, 4 = both sides made the same change (ours shows it). */
type Mode = 0 | 1 | 2 | 4;

interface Hunk {
  mode: Mode;
  /** Where it starts and how many lines it covers in the base, in ours and in theirs. */
  i0: number;
  n0: number;
  i1: number;
  n1: number;
  i2: number;
  n2: number;
}

/** Adds a hunk, or widens the last one when the two touch on either side (they then conflict unless alike). */
function append(hunks: Hunk[], hunk: Hunk): void {
  const last = hunks.at(-1);
  if (last && (hunk.i1 <= last.i1 + last.n1 || hunk.i2 <= last.i2 + last.n2)) {
    if (hunk.mode !== last.mode) last.mode = 0;
    last.n0 = hunk.i0 + hunk.n0 - last.i0;
    last.n1 = hunk.i1 + hunk.n1 - last.i1;
    last.n2 = hunk.i2 + hunk.n2 - last.i2;
  } else hunks.push(hunk);
}

const sameLines = (a: Int32Array, from: number, b: Int32Array, at: number, count: number): boolean => {
  for (let k = 0; k < count; k++) if (a[from + k] !== b[at + k]) return false;
  return true;
};

/** Walks both sides' changes to the base in order and pairs them into hunks. */
function pairChanges(ours: LineChange[], theirs: LineChange[], sizes: { base: number; ours: number; theirs: number }, lines: { ours: Int32Array; theirs: Int32Array }): Hunk[] {
  const hunks: Hunk[] = [];
  let x = 0;
  let y = 0;
  while (x < ours.length && y < theirs.length) {
    const c1 = ours[x]!;
    const c2 = theirs[y]!;
    if (c1.start0 + c1.count0 < c2.start0) {
      // Ours only: theirs is at the same offset it had after its previous change.
      append(hunks, { mode: 1, i0: c1.start0, n0: c1.count0, i1: c1.start1, n1: c1.count1, i2: c2.start1 - c2.start0 + c1.start0, n2: c1.count0 });
      x++;
      continue;
    }
    if (c2.start0 + c2.count0 < c1.start0) {
      append(hunks, { mode: 2, i0: c2.start0, n0: c2.count0, i1: c1.start1 - c1.start0 + c2.start0, n1: c2.count0, i2: c2.start1, n2: c2.count1 });
      y++;
      continue;
    }
    const identical = c1.start0 === c2.start0 && c1.count0 === c2.count0 && c1.count1 === c2.count1 && sameLines(lines.ours, c1.start1, lines.theirs, c2.start1, c1.count1);
    if (!identical) {
      // Overlapping or touching: one conflict covering both changes, each side widened to the other's extent.
      const off = c1.start0 - c2.start0;
      const ffo = off + c1.count0 - c2.count0;
      let i0 = c1.start0;
      let i1 = c1.start1;
      let i2 = c2.start1;
      if (off > 0) {
        i0 -= off;
        i1 -= off;
      } else i2 += off;
      let n0 = c1.start0 + c1.count0 - i0;
      let n1 = c1.start1 + c1.count1 - i1;
      let n2 = c2.start1 + c2.count1 - i2;
      if (ffo < 0) {
        n0 -= ffo;
        n1 -= ffo;
      } else n2 += ffo;
      append(hunks, { mode: 0, i0, n0, i1, n1, i2, n2 });
    }
    const end1 = c1.start0 + c1.count0;
    const end2 = c2.start0 + c2.count0;
    if (end1 >= end2) y++;
    if (end2 >= end1) x++;
  }
  for (; x < ours.length; x++) {
    const c = ours[x]!;
    append(hunks, { mode: 1, i0: c.start0, n0: c.count0, i1: c.start1, n1: c.count1, i2: c.start0 + sizes.theirs - sizes.base, n2: c.count0 });
  }
  for (; y < theirs.length; y++) {
    const c = theirs[y]!;
    append(hunks, { mode: 2, i0: c.start0, n0: c.count0, i1: c.start0 + sizes.ours - sizes.base, n1: c.count0, i2: c.start1, n2: c.count1 });
  }
  return hunks;
}

/** Narrows each conflict to the lines where ours and theirs differ, splitting it where they agree. */
function refine(hunks: Hunk[], ours: Int32Array, theirs: Int32Array): Hunk[] {
  return hunks.flatMap((hunk): Hunk[] => {
    if (hunk.mode !== 0 || hunk.n1 === 0 || hunk.n2 === 0) return [hunk];
    const changes = diffLines(ours.subarray(hunk.i1, hunk.i1 + hunk.n1), theirs.subarray(hunk.i2, hunk.i2 + hunk.n2));
    if (changes.length === 0) return [{ ...hunk, mode: 4 }];
    return changes.map((c) => ({ ...hunk, mode: 0, i1: hunk.i1 + c.start0, n1: c.count0, i2: hunk.i2 + c.start1, n2: c.count1 }));
  });
}

/** Joins conflicts separated by at most three lines of ours: one conflict reads more easily than two so close. */
function joinNearConflicts(hunks: Hunk[]): Hunk[] {
  const out: Hunk[] = [];
  for (const hunk of hunks) {
    const last = out.at(-1);
    if (last && last.mode === 0 && hunk.mode === 0 && hunk.i1 - (last.i1 + last.n1) <= 3) {
      last.n1 = hunk.i1 + hunk.n1 - last.i1;
      last.n2 = hunk.i2 + hunk.n2 - last.i2;
    } else out.push({ ...hunk });
  }
  return out;
}

/** Whether line `i` of a side ends in CRLF: 1 yes, 0 no, -1 cannot tell (git's rule for the markers' line ends). */
function endsInCrlf(lines: readonly string[], i: number): -1 | 0 | 1 {
  const crlf = (line: string) => (line.length > 1 && line.endsWith("\r\n") ? 1 : 0);
  if (i < lines.length - 1) return crlf(lines[i]!);
  if (lines.length === 0) return -1;
  const last = lines[i]!;
  if (last.endsWith("\n")) return crlf(last);
  if (i === 0) return -1;
  return crlf(lines[i - 1]!);
}

function needsCr(hunk: Hunk, text: { base: string[]; ours: string[]; theirs: string[] }): boolean {
  let crlf = endsInCrlf(text.ours, hunk.i1 ? hunk.i1 - 1 : 0);
  if (crlf !== 0) crlf = endsInCrlf(text.theirs, hunk.i2 ? hunk.i2 - 1 : 0);
  if (crlf !== 0) crlf = endsInCrlf(text.base, 0);
  return crlf === 1;
}

/** Lines `from` to `from + count`, with a line end added to the last one when it has none and `close` is set. */
function copy(lines: readonly string[], from: number, count: number, options: { close: boolean; eol: string }): string {
  if (count < 1) return "";
  const text = lines.slice(from, from + count).join("");
  return options.close && !text.endsWith("\n") ? text + options.eol : text;
}

function render(hunks: Hunk[], text: { base: string[]; ours: string[]; theirs: string[] }, labels: { ours: string; theirs: string }): string {
  let out = "";
  let i = 0;
  for (const hunk of hunks) {
    if (hunk.mode === 4) continue;
    out += copy(text.ours, i, hunk.i1 - i, { close: false, eol: "\n" });
    if (hunk.mode === 0) {
      const eol = needsCr(hunk, text) ? "\r\n" : "\n";
      out += `${"<".repeat(7)} ${labels.ours}${eol}`;
      out += copy(text.ours, hunk.i1, hunk.n1, { close: true, eol });
      out += `${"=".repeat(7)}${eol}`;
      out += copy(text.theirs, hunk.i2, hunk.n2, { close: true, eol });
      out += `${">".repeat(7)} ${labels.theirs}${eol}`;
    } else if (hunk.mode === 1) out += copy(text.ours, hunk.i1, hunk.n1, { close: false, eol: "\n" });
    else out += copy(text.theirs, hunk.i2, hunk.n2, { close: false, eol: "\n" });
    i = hunk.i1 + hunk.n1;
  }
  return out + copy(text.ours, i, text.ours.length - i, { close: false, eol: "\n" });
}

export function mergeText(input: TextMergeInput): TextMergeResult {
  if (isBinary(input.base) || isBinary(input.ours) || isBinary(input.theirs)) return { binary: true };
  const text = { base: splitLines(input.base.toString("latin1")), ours: splitLines(input.ours.toString("latin1")), theirs: splitLines(input.theirs.toString("latin1")) };
  const ids = new Map<string, number>();
  const base = classify(text.base, ids);
  const ours = classify(text.ours, ids);
  const theirs = classify(text.theirs, ids);
  const ourChanges = diffLines(base, ours);
  const theirChanges = diffLines(base, theirs);
  if (ourChanges.length === 0) return { binary: false, content: Buffer.from(input.theirs), conflicts: 0 };
  if (theirChanges.length === 0) return { binary: false, content: Buffer.from(input.ours), conflicts: 0 };
  const paired = pairChanges(ourChanges, theirChanges, { base: base.length, ours: ours.length, theirs: theirs.length }, { ours, theirs });
  const hunks = joinNearConflicts(refine(paired, ours, theirs));
  const conflicts = hunks.filter((h) => h.mode === 0).length;
  return { binary: false, content: Buffer.from(render(hunks, text, { ours: input.oursLabel, theirs: input.theirsLabel }), "latin1"), conflicts };
}

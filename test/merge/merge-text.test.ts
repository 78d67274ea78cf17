/**
 * The three-way merge of one file (src/merge/) against real git: every case is merged by both, and the bytes
 * must be identical — conflict markers, the lines kept outside them, line ends. Fixed cases name what a
 * backport meets (several hunks, one conflict among clean ones, adjacent changes, identical changes, a last
 * line without a newline, CRLF files); generated cases (fast-check) cover the rest.
 */
import fc from "fast-check";
import { mergeText } from "../../src/merge/merge-text.js";
import { gitMergeAll, type Triple } from "./git-merge.js";

const lines = (...items: string[]) => Buffer.from(items.map((l) => `${l}\n`).join(""));
const text = (value: string) => Buffer.from(value);

const ours = (k: number) => `o${k}`;
const theirs = (k: number) => `t${k}`;

function compare(triples: Triple[]): { index: number; ours: string; git: string }[] {
  const expected = gitMergeAll(triples);
  return triples.flatMap((t, k) => {
    const result = mergeText({ ...t, oursLabel: ours(k), theirsLabel: theirs(k) });
    const got = result.binary ? t.ours : result.content;
    return got.equals(expected[k]!) ? [] : [{ index: k, ours: got.toString("latin1"), git: expected[k]!.toString("latin1") }];
  });
}

const body = Array.from({ length: 30 }, (_, i) => `line ${i}`);
const edit = (at: Record<number, string | null>, extra: Record<number, string[]> = {}) =>
  lines(...body.flatMap((l, i) => [...(extra[i] ?? []), ...(i in at ? (at[i] === null ? [] : [at[i]!]) : [l])]));

const FIXED: Record<string, Triple> = {
  "one conflicting hunk among clean ones": { base: lines(...body), ours: edit({ 3: "ours 3", 15: "ours 15" }), theirs: edit({ 15: "theirs 15", 27: "theirs 27" }) },
  "several conflicting hunks": { base: lines(...body), ours: edit({ 2: "o2", 12: "o12", 22: "o22" }), theirs: edit({ 2: "t2", 12: "t12", 22: "t22" }) },
  "adjacent changes conflict": { base: lines(...body), ours: edit({ 10: "ours 10" }), theirs: edit({ 11: "theirs 11" }) },
  "changes one line apart merge": { base: lines(...body), ours: edit({ 10: "ours 10" }), theirs: edit({ 12: "theirs 12" }) },
  "identical changes": { base: lines(...body), ours: edit({ 5: "same", 9: "ours 9" }), theirs: edit({ 5: "same", 20: "theirs 20" }) },
  "common lines at a conflict's edges": { base: lines("a", "b", "c"), ours: lines("a", "X", "Y", "Z", "c"), theirs: lines("a", "X", "Q", "Z", "c") },
  "common lines inside a conflict split it": {
    base: lines(...body),
    ours: edit({ 10: "A", 11: "shared", 12: "B", 13: "x", 14: "y", 15: "z", 16: "w", 17: "C" }),
    theirs: edit({ 10: "A2", 11: "shared", 12: "B2", 13: "x", 14: "y", 15: "z", 16: "w", 17: "C2" }),
  },
  "conflicts three lines apart are joined": { base: lines(...body), ours: edit({ 5: "o5", 6: "m1", 7: "m2", 8: "m3", 9: "o9" }), theirs: edit({ 5: "t5", 6: "m1", 7: "m2", 8: "m3", 9: "t9" }) },
  "insertions at the same place": { base: lines(...body), ours: edit({}, { 8: ["ours new"] }), theirs: edit({}, { 8: ["theirs new"] }) },
  "a deletion against an edit": { base: lines(...body), ours: edit({ 4: null, 5: null }), theirs: edit({ 5: "theirs 5" }) },
  "appended at the end on both sides": { base: lines("a", "b"), ours: lines("a", "b", "ours"), theirs: lines("a", "b", "theirs") },
  "no newline at the end": { base: text("a\nb\nc"), ours: text("a\nb\nours"), theirs: text("a\nb\ntheirs") },
  "newline added on one side only": { base: text("a\nb"), ours: text("a\nb\n"), theirs: text("a\nB") },
  "CRLF file": { base: text("a\r\nb\r\nc\r\n"), ours: text("a\r\nours\r\nc\r\n"), theirs: text("a\r\ntheirs\r\nc\r\n") },
  "empty base (added on both sides)": { base: text(""), ours: lines("a", "ours", "c"), theirs: lines("a", "theirs", "c") },
  "one side emptied the file": { base: lines("a", "b"), ours: text(""), theirs: lines("a", "B") },
  "braces and blank lines slide": {
    base: lines("fn a() {", "    x();", "}", "", "fn b() {", "    y();", "}"),
    ours: lines("fn a() {", "    x();", "}", "", "fn n() {", "    n();", "}", "", "fn b() {", "    y();", "}"),
    theirs: lines("fn a() {", "    x();", "}", "", "fn m() {", "    m();", "}", "", "fn b() {", "    y2();", "}"),
  },
  "latin1 and invalid UTF-8 bytes": { base: Buffer.from([0x61, 0x0a, 0xff, 0x0a]), ours: Buffer.from([0x61, 0xe9, 0x0a, 0xff, 0x0a]), theirs: Buffer.from([0x61, 0xfe, 0x0a, 0xff, 0x0a]) },
};

test("fixed cases merge byte for byte as git merges them", () => {
  const names = Object.keys(FIXED);
  const mismatches = compare(Object.values(FIXED));
  expect(mismatches.map((m) => ({ case: names[m.index], ...m }))).toEqual([]);
});

test("the markers are git's: seven characters, the labels, and the conflict narrowed to the differing lines", () => {
  const result = mergeText({ ...FIXED["common lines at a conflict's edges"]!, oursLabel: "HEAD", theirsLabel: "1a2b3c4 (Fix the thing)" });
  expect(result).toEqual({ binary: false, conflicts: 1, content: lines("a", "X", "<<<<<<< HEAD", "Y", "=======", "Q", ">>>>>>> 1a2b3c4 (Fix the thing)", "Z", "c") });
});

test("a binary file is not merged", () => {
  expect(mergeText({ base: Buffer.from("a\0b"), ours: Buffer.from("a\0c"), theirs: Buffer.from("a\0d"), oursLabel: "HEAD", theirsLabel: "x" })).toEqual({ binary: true });
});

/** Lines drawn from a few values, so that repeats (blank lines, braces) are common, as in code. */
const ALPHABET = ["", "{", "}", "a", "b", "c", "d", "e", "    x();", "    y();", "fn f() {"];
const fileLines = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 });
const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.array(fc.constantFrom(...ALPHABET, "new1", "new2", "new3"), { maxLength: 3 }) }), { maxLength: 4 });
const applyEdits = (base: string[], list: { at: number; remove: number; insert: string[] }[]) => {
  const out = [...base];
  for (const e of list) out.splice(e.at % (out.length + 1), e.remove, ...e.insert);
  return out;
};
const asFile = (items: string[], newlineAtEnd: boolean) => Buffer.from(items.join("\n") + (newlineAtEnd && items.length > 0 ? "\n" : ""));

test("generated cases merge byte for byte as git merges them", () => {
  const triples = fc.sample(
    fc.tuple(fileLines, edits, edits, fc.boolean(), fc.boolean(), fc.boolean()).map(([base, e1, e2, n0, n1, n2]) => ({
      base: asFile(base, n0),
      ours: asFile(applyEdits(base, e1), n1 || n0),
      theirs: asFile(applyEdits(base, e2), n2 || n0),
    })),
    { numRuns: 250, seed: 16 },
  );
  const mismatches = compare(triples);
  expect(mismatches.slice(0, 3)).toEqual([]);
  // The cases exercise conflicts, not only clean merges.
  const conflicted = triples.filter((t) => { const r = mergeText({ ...t, oursLabel: "o", theirsLabel: "t" }); return !r.binary && r.conflicts > 0; });
  expect(conflicted.length).toBeGreaterThan(triples.length / 4);
});

test("long files of few distinct lines (where histogram diff falls back to Myers) merge as git merges them", () => {
  const many = (seed: number) => Array.from({ length: 300 }, (_, i) => ["", "}", "{", "    x();"][(i * 7 + seed) % 4]!);
  const base = many(0);
  const triples: Triple[] = [1, 2, 3].map((s) => ({
    base: lines(...base),
    ours: lines(...base.slice(0, 100 + s), "ours", ...base.slice(103 + s)),
    theirs: lines(...base.slice(0, 101 + s), "theirs", "}", ...base.slice(101 + s)),
  }));
  expect(compare(triples)).toEqual([]);
});

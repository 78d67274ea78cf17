/**
 * The line diff git's merges use, so that a merge computed here puts its conflict markers where
 * `git cherry-pick` puts them. Since git 2.34 merges run "ort", which diffs with the histogram algorithm
 * (whatever `diff.algorithm` says) and then slides each group of changed lines as git does for every diff.
 * Both steps are written here from their documented behaviour:
 *
 * - histogram diff (JGit's, as git has it): in a region, take the longest run of common lines whose rarest
 *   line occurs least often in the old side (at most 64 times), split the region around it and recurse. A
 *   region whose common lines all occur more often than that is diffed with a plain Myers diff (git falls
 *   back to its own Myers diff there; `diff`'s `diffArrays` is one, and ties between equally short scripts
 *   may be broken differently, which only such regions can show);
 * - group sliding (`xdl_change_compact`, without the indent heuristic, which merges never use): every group
 *   of changed lines moves as far up as equal lines allow, then as far down, swallowing groups it meets, and
 *   comes back up to line up with a change on the other side when it can.
 *
 * Lines are compared by identity of their bytes, line end included (`a` and `a\n` differ), so callers pass
 * numbers: one per distinct line (see `classify`).
 */
import { diffArrays } from "diff";

/** A change between two line lists: `count0` lines from `start0` of the first replaced by `count1` from `start1` of the second. */
export interface LineChange {
  start0: number;
  count0: number;
  start1: number;
  count1: number;
}

/** A line list as numbers, one per distinct line, shared by every list classified with the same map. */
export function classify(lines: readonly string[], ids: Map<string, number>): Int32Array {
  const out = new Int32Array(lines.length);
  lines.forEach((line, index) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    out[index] = id;
  });
  return out;
}

/** Occurrence counts past this make a line useless as an anchor. */
const MAX_CHAIN = 64;

interface Anchor {
  /** First and last line (inclusive) of the common run on each side. */
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/**
 * The run of common lines histogram diff splits `a[aLo, aHi)` and `b[bLo, bHi)` around; null when the two
 * share no line; "fallback" when every shared line is too frequent to anchor on.
 */
function findAnchor(a: Int32Array, b: Int32Array, aLo: number, aHi: number, bLo: number, bHi: number): Anchor | null | "fallback" {
  // Occurrences in a: for each line, the next position with the same content (-1: none), and per content its
  // first position and count.
  const next = new Int32Array(aHi - aLo).fill(-1);
  const first = new Map<number, { at: number; count: number }>();
  const countAt = new Int32Array(aHi - aLo);
  for (let p = aHi - 1; p >= aLo; p--) {
    const seen = first.get(a[p]!);
    if (seen) {
      next[p - aLo] = seen.at;
      seen.at = p;
      seen.count++;
    } else first.set(a[p]!, { at: p, count: 1 });
  }
  for (let p = aLo; p < aHi; p++) countAt[p - aLo] = first.get(a[p]!)!.count;

  let limit = MAX_CHAIN + 1;
  let shared = false;
  let best: Anchor | null = null;
  for (let bp = bLo; bp < bHi; ) {
    let after = bp + 1;
    const entry = first.get(b[bp]!);
    if (entry) {
      shared = true;
      if (entry.count <= limit) {
        let as = entry.at;
        for (;;) {
          const following = next[as - aLo]!;
          let bs = bp;
          let ae = as;
          let be = bp;
          let rarest = entry.count;
          while (as > aLo && bs > bLo && a[as - 1] === b[bs - 1]) {
            as--;
            bs--;
            if (rarest > 1) rarest = Math.min(rarest, countAt[as - aLo]!);
          }
          while (ae < aHi - 1 && be < bHi - 1 && a[ae + 1] === b[be + 1]) {
            ae++;
            be++;
            if (rarest > 1) rarest = Math.min(rarest, countAt[ae - aLo]!);
          }
          if (after <= be) after = be + 1;
          // Longer, or anchored on a rarer line, wins.
          if ((best ? best.a1 - best.a0 : 0) < ae - as || rarest < limit) {
            best = { a0: as, a1: ae, b0: bs, b1: be };
            limit = rarest;
          }
          // The next occurrence of this line in a beyond the run just measured.
          let candidate = following;
          while (candidate !== -1 && candidate <= ae) candidate = next[candidate - aLo]!;
          if (candidate === -1) break;
          as = candidate;
        }
      }
    }
    bp = after;
  }
  if (shared && limit > MAX_CHAIN) return "fallback";
  return best;
}

/** Marks the lines of `a[aLo, aHi)` and `b[bLo, bHi)` that are not common, with a plain Myers diff. */
function myers(a: Int32Array, b: Int32Array, region: [number, number, number, number], changedA: Uint8Array, changedB: Uint8Array): void {
  const [aLo, aHi, bLo, bHi] = region;
  let ia = aLo;
  let ib = bLo;
  for (const part of diffArrays(Array.from(a.subarray(aLo, aHi)), Array.from(b.subarray(bLo, bHi)))) {
    const count = part.count ?? part.value.length;
    if (part.removed) for (let k = 0; k < count; k++) changedA[ia++] = 1;
    else if (part.added) for (let k = 0; k < count; k++) changedB[ib++] = 1;
    else {
      ia += count;
      ib += count;
    }
  }
}

function histogram(a: Int32Array, b: Int32Array, changedA: Uint8Array, changedB: Uint8Array): void {
  // Regions still to diff; the left part of a split is done before the right, as order does not matter.
  const todo: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (todo.length > 0) {
    const [aLo, aHi, bLo, bHi] = todo.pop()!;
    if (aLo === aHi || bLo === bHi) {
      changedA.fill(1, aLo, aHi);
      changedB.fill(1, bLo, bHi);
      continue;
    }
    const anchor = findAnchor(a, b, aLo, aHi, bLo, bHi);
    if (anchor === "fallback") myers(a, b, [aLo, aHi, bLo, bHi], changedA, changedB);
    else if (anchor === null) {
      changedA.fill(1, aLo, aHi);
      changedB.fill(1, bLo, bHi);
    } else {
      todo.push([anchor.a1 + 1, aHi, anchor.b1 + 1, bHi], [aLo, anchor.a0, bLo, anchor.b0]);
    }
  }
}

/**
 * Slides the groups of changed lines of one side (`changed`, over `lines`) as git does, keeping the other
 * side's groups (`other`) in step: group k of one side faces group k of the other (both sit between the same
 * pair of unchanged lines). `changed` has a 0 guard before and after: index i + 1 is line i.
 */
function compact(lines: Int32Array, changed: Uint8Array, other: Uint8Array, otherLength: number): void {
  const n = lines.length;
  const at = (flags: Uint8Array, i: number) => flags[i + 1] === 1;
  const set = (flags: Uint8Array, i: number, value: boolean) => void (flags[i + 1] = value ? 1 : 0);
  /** A group: changed lines [start, end); empty when start === end (it then sits above line `start`). */
  const g = { start: 0, end: 0 };
  const go = { start: 0, end: 0 };
  const first = (flags: Uint8Array, group: { start: number; end: number }) => {
    group.start = group.end = 0;
    while (at(flags, group.end)) group.end++;
  };
  const forward = (flags: Uint8Array, group: { start: number; end: number }, length: number): boolean => {
    if (group.end === length) return false;
    group.start = group.end + 1;
    group.end = group.start;
    while (at(flags, group.end)) group.end++;
    return true;
  };
  const backward = (flags: Uint8Array, group: { start: number; end: number }): boolean => {
    if (group.start === 0) return false;
    group.end = group.start - 1;
    group.start = group.end;
    while (at(flags, group.start - 1)) group.start--;
    return true;
  };
  const slideDown = (): boolean => {
    if (g.end >= n || lines[g.start] !== lines[g.end]) return false;
    set(changed, g.start++, false);
    set(changed, g.end++, true);
    while (at(changed, g.end)) g.end++;
    return true;
  };
  const slideUp = (): boolean => {
    if (g.start <= 0 || lines[g.start - 1] !== lines[g.end - 1]) return false;
    set(changed, --g.start, true);
    set(changed, --g.end, false);
    while (at(changed, g.start - 1)) g.start--;
    return true;
  };
  const inStep = (moved: boolean) => {
    if (!moved) throw new Error("line diff: the two sides' groups fell out of step");
  };

  first(changed, g);
  first(other, go);
  for (;;) {
    if (g.end !== g.start) {
      let size: number;
      let earliestEnd: number;
      let alignedEnd = -1;
      do {
        size = g.end - g.start;
        alignedEnd = -1;
        while (slideUp()) inStep(backward(other, go));
        earliestEnd = g.end;
        if (go.end > go.start) alignedEnd = g.end;
        while (slideDown()) {
          inStep(forward(other, go, otherLength));
          if (go.end > go.start) alignedEnd = g.end;
        }
      } while (size !== g.end - g.start);
      // Slid as far down as it goes: back up to face a change on the other side, when one was met.
      if (g.end !== earliestEnd && alignedEnd !== -1) {
        while (go.end === go.start) {
          inStep(slideUp());
          inStep(backward(other, go));
        }
      }
    }
    if (!forward(changed, g, n)) break;
    inStep(forward(other, go, otherLength));
  }
}

/** The changes from `a` to `b`, in order, as git's merges see them. */
export function diffLines(a: Int32Array, b: Int32Array): LineChange[] {
  const changedA = new Uint8Array(a.length);
  const changedB = new Uint8Array(b.length);
  histogram(a, b, changedA, changedB);
  // With guards: index i + 1 is line i.
  const guardedA = new Uint8Array(a.length + 2);
  guardedA.set(changedA, 1);
  const guardedB = new Uint8Array(b.length + 2);
  guardedB.set(changedB, 1);
  compact(a, guardedA, guardedB, b.length);
  compact(b, guardedB, guardedA, a.length);
  const changes: LineChange[] = [];
  let ia = 0;
  let ib = 0;
  while (ia < a.length || ib < b.length) {
    if (guardedA[ia + 1] !== 1 && guardedB[ib + 1] !== 1) {
      ia++;
      ib++;
      continue;
    }
    const start0 = ia;
    const start1 = ib;
    while (guardedA[ia + 1] === 1) ia++;
    while (guardedB[ib + 1] === 1) ib++;
    changes.push({ start0, count0: ia - start0, start1, count1: ib - start1 });
  }
  return changes;
}

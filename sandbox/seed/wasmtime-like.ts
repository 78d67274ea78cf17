/**
 * A Wasmtime-like history up to a given day: everyday commits on main, a `release-X.0.0` branch cut from
 * main on the 5th of each month and `vX.0.0` tagged on it on the 20th (release(v) = 2024-04-20 + (v - 20)
 * months), patch releases on a few lines, and two ready-made fixes for backport tests (see WASMTIME_FIXES).
 */
import type { SeedAuthor, SeedScript } from "./build-repository.js";
import { churnCommit, hash } from "./wasmtime-churn.js";
import * as files from "./wasmtime-files.js";
import * as memory from "./wasmtime-memory.js";
import * as src from "./wasmtime-sources.js";

export interface WasmtimeRelease {
  tagName: string;
  /** ISO 8601, UTC. */
  publishedAt: string;
}

export type WasmtimeFixKind = "clean" | "conflictsOnOld";

export interface WasmtimeFix {
  kind: WasmtimeFixKind;
  /** Commit message: title, blank line, body. */
  message: string;
  /** Full new contents, derived from main at `through`; commit them on a topic branch from main. */
  files: Record<string, string>;
  /** Release branches where cherry-picking the fix conflicts, and where it applies cleanly. */
  conflictsOn: string[];
  appliesTo: string[];
}

export interface WasmtimeLike {
  script: SeedScript;
  /** Every `vX.Y.Z` tag, by date. */
  releases: WasmtimeRelease[];
  /** Majors that have a release branch, ascending. */
  lines: number[];
  branches: string[];
  fixes: Record<WasmtimeFixKind, WasmtimeFix>;
}

export const WASMTIME_FIRST_LINE = 20;
/** Main rewrites memory.rs on this day, between the cuts of release-37.0.0 and release-38.0.0. */
export const WASMTIME_MEMORY_REWRITE_DAY = "2025-09-17";
const START_DAY = "2024-01-08";
const RELEASER: SeedAuthor = { name: "Wasmtime Publish", email: "publish@sandbox.invalid" };

/** The two fixes of `wasmtimeFix`: what they touch and where they apply (for a `through` after 2025-09-17). */
export const WASMTIME_FIXES = {
  clean: {
    file: "crates/runtime/src/table.rs",
    title: "Check for overflow in the `table.fill` bounds check",
    applies: "cleanly to every release branch: the lines it changes are the same everywhere",
  },
  conflictsOnOld: {
    file: "crates/runtime/src/memory.rs",
    title: "Check for overflow when growing a linear memory",
    applies: `cleanly to branches cut after main rewrote memory.rs on ${WASMTIME_MEMORY_REWRITE_DAY} (release-38.0.0 and newer); conflicts on release-37.0.0 and older (release-24.0.0 and release-36.0.0 among them)`,
  },
} as const;

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const day = (date: Date) => date.toISOString().slice(0, 10);
/** The `dayOfMonth` of the month of line `major`'s release. */
const lineDay = (major: number, dayOfMonth: number) => day(new Date(Date.UTC(2024, 3 + major - WASMTIME_FIRST_LINE, dayOfMonth)));
export const wasmtimeCutDay = (major: number) => lineDay(major, 5);
export const wasmtimeReleaseDay = (major: number) => lineDay(major, 20);
const branchOf = (major: number) => `release-${major}.0.0`;

type Tree = Map<string, string>;

/** Replays the history into seed steps while keeping every branch's files, so fixes can be derived. */
class History {
  readonly script: SeedScript = [];
  readonly trees = new Map<string, Tree>();
  readonly releases: WasmtimeRelease[] = [];
  private pr = 7950;

  nextPr(): number {
    this.pr += 1 + (hash(this.pr) % 9);
    return this.pr;
  }

  commit(options: { branch: string; at: string; message: string; changes: Record<string, string>; author?: SeedAuthor; label?: string }): void {
    const tree = this.trees.get(options.branch) ?? new Map<string, string>();
    for (const [file, content] of Object.entries(options.changes)) tree.set(file, content);
    this.trees.set(options.branch, tree);
    const { branch, at: date, message, changes, author = RELEASER, label } = options;
    this.script.push({ commit: { branch, date, message, files: changes, author, ...(label === undefined ? {} : { label }) } });
  }

  file(branch: string, file: string): string {
    return this.trees.get(branch)?.get(file) ?? "";
  }

  release(options: { major: number; version: string; at: string; notes: string; annotated: boolean }): void {
    const { major, version, at } = options;
    const label = `release-commit-${version}`;
    const changes = { "Cargo.toml": files.cargoToml(version), "RELEASES.md": options.notes };
    this.commit({ branch: branchOf(major), at, message: `Release Wasmtime ${version}\n`, changes, label });
    const tag = { name: `v${version}`, at: label, annotated: options.annotated, message: `Wasmtime ${version}\n`, date: at, tagger: RELEASER };
    this.script.push({ tag });
    this.releases.push({ tagName: tag.name, publishedAt: at });
  }
}

function events(through: string): { at: string; run: (history: History) => void }[] {
  const list: { at: string; run: (history: History) => void }[] = [];
  list.push({
    at: `${START_DAY}T12:00:00Z`,
    run: (h) => h.commit({ branch: "main", at: `${START_DAY}T12:00:00Z`, message: "Import the Wasmtime-like tree\n", changes: files.initialFiles(), label: "root" }),
  });
  for (let major = WASMTIME_FIRST_LINE; wasmtimeCutDay(major) <= through; major++) {
    list.push({
      at: `${wasmtimeCutDay(major)}T08:00:00Z`,
      run: (h) => {
        h.script.push({ branch: { name: branchOf(major), from: "main" } });
        h.trees.set(branchOf(major), new Map(h.trees.get("main")));
        const changes = { "Cargo.toml": files.cargoToml(`${major + 1}.0.0`), "RELEASES.md": files.mainReleaseNotes(major + 1) };
        const message = `Bump Wasmtime to ${major + 1}.0.0 (#${h.nextPr()})\n`;
        h.commit({ branch: "main", at: `${wasmtimeCutDay(major)}T08:30:00Z`, message, changes, label: `bump-${major + 1}` });
      },
    });
    const at = `${wasmtimeReleaseDay(major)}T12:00:00Z`;
    list.push({
      at,
      run: (h) => {
        const notes = files.markReleased(h.file(branchOf(major), "RELEASES.md"), wasmtimeReleaseDay(major));
        h.release({ major, version: `${major}.0.0`, at, notes, annotated: true });
      },
    });
  }
  list.push({
    at: `${WASMTIME_MEMORY_REWRITE_DAY}T11:00:00Z`,
    run: (h) => {
      const message = `Refactor linear memories into \`LocalMemory\` and \`SharedMemory\` (#${h.nextPr()})\n\nThis replaces \`MmapMemory\` and moves growth to byte sizes so that custom page\nsizes can be supported.\n`;
      h.commit({ branch: "main", at: `${WASMTIME_MEMORY_REWRITE_DAY}T11:00:00Z`, message, changes: { "crates/runtime/src/memory.rs": memory.MEMORY_NEW }, author: { name: "Ada Lindqvist", email: "ada@contributors.invalid" }, label: "memory-rewrite" });
    },
  });
  for (const fix of files.PATCH_FIXES) list.push({ at: `${fix.day}T09:00:00Z`, run: (h) => patchRelease(h, fix) });
  // Everyday commits: about half of the weekdays; the n-th one depends only on n, so shorter histories are prefixes.
  let n = 0;
  for (let time = Date.parse(`${START_DAY}T00:00:00Z`) + 86_400_000; day(new Date(time)) <= through; time += 86_400_000) {
    const date = new Date(time);
    const dayIndex = time / 86_400_000;
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6 || hash(dayIndex * 2) % 100 >= 55) continue;
    const hour = String(10 + (hash(dayIndex * 2 + 1) % 7)).padStart(2, "0");
    const index = n++;
    const at = `${day(date)}T${hour}:${String(hash(dayIndex * 3) % 60).padStart(2, "0")}:00Z`;
    list.push({
      at,
      run: (h) => {
        const change = churnCommit({ n: index, pr: h.nextPr(), files: h.trees.get("main") ?? new Map() });
        h.commit({ branch: "main", at, message: change.message, changes: change.files, author: change.author });
      },
    });
  }
  // Stable sort: events at the same instant keep the order above.
  return list.filter((event) => event.at.slice(0, 10) <= through).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The fix lands on main, then is backported and released on each listed line. */
function patchRelease(h: History, fix: files.PatchFix): void {
  const mainPr = h.nextPr();
  const apply = (branch: string) => ({
    [fix.file]: files.replaceAnchor({ content: h.file(branch, fix.file), anchor: fix.anchor, replacement: fix.replacement, file: fix.file }),
  });
  h.commit({ branch: "main", at: `${fix.day}T09:00:00Z`, message: `${fix.title} (#${mainPr})\n`, changes: apply("main"), author: { name: "Hana Novák", email: "hana@contributors.invalid" } });
  for (const { line, patch } of fix.releases) {
    const branch = branchOf(line);
    if (!h.trees.has(branch)) continue;
    const message = `[${line}.0.x] ${fix.title} (#${h.nextPr()})\n\nBackport of #${mainPr}.\n`;
    h.commit({ branch, at: `${fix.day}T13:00:00Z`, message, changes: apply(branch), author: { name: "Hana Novák", email: "hana@contributors.invalid" } });
    const version = `${line}.0.${patch}`;
    const notes = files.addPatchNotes({ notes: h.file(branch, "RELEASES.md"), version, day: fix.day, note: fix.note });
    h.release({ major: line, version, at: `${fix.day}T15:00:00Z`, notes, annotated: false });
  }
}

function replay(through: string): History {
  if (!DAY_RE.test(through) || Number.isNaN(Date.parse(through))) throw new Error(`through must be YYYY-MM-DD, got ${through}`);
  const history = new History();
  for (const event of events(through)) event.run(history);
  return history;
}

const releaseBranches = (h: History) =>
  [...h.trees.keys()].filter((name) => name.startsWith("release-")).sort((a, b) => parseInt(a.slice(8), 10) - parseInt(b.slice(8), 10));

function deriveFix(h: History, kind: WasmtimeFixKind): WasmtimeFix {
  const { file, title } = WASMTIME_FIXES[kind];
  const content = h.file("main", file);
  const [anchor, replacement] =
    kind === "clean"
      ? [src.TABLE_ANCHOR, src.TABLE_FIXED]
      : content.includes(memory.MEMORY_NEW_ANCHOR)
        ? [memory.MEMORY_NEW_ANCHOR, memory.MEMORY_NEW_FIXED]
        : [memory.MEMORY_OLD_ANCHOR, memory.MEMORY_OLD_FIXED];
  const branches = releaseBranches(h);
  // The lines around an anchor are never edited, so a branch with main's anchor takes the fix cleanly.
  const conflictsOn = branches.filter((branch) => !h.file(branch, file).includes(anchor));
  const body =
    kind === "clean"
      ? "`dst + len` could wrap around and pass the bounds check, letting `table.fill`\nwrite out of bounds.\n"
      : "`delta_pages * page_size` and the new byte size could overflow on 32-bit hosts\nand pass the maximum check.\n";
  return {
    kind,
    message: `${title}\n\n${body}`,
    files: { [file]: files.replaceAnchor({ content, anchor, replacement, file }) },
    conflictsOn,
    appliesTo: branches.filter((branch) => !conflictsOn.includes(branch)),
  };
}

/** The history through `through` (a `YYYY-MM-DD` day, events of that day included). */
export function wasmtimeLikeScript(options: { through: string }): WasmtimeLike {
  const h = replay(options.through);
  const branches = releaseBranches(h);
  return {
    script: h.script,
    releases: [...h.releases].sort((a, b) => (a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0)),
    lines: branches.map((branch) => parseInt(branch.slice(8), 10)),
    branches,
    fixes: { clean: deriveFix(h, "clean"), conflictsOnOld: deriveFix(h, "conflictsOnOld") },
  };
}

/** One ready-made fix against main as of `through`. */
export function wasmtimeFix(kind: WasmtimeFixKind, options: { through: string }): WasmtimeFix {
  return deriveFix(replay(options.through), kind);
}

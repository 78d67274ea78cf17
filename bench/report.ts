/**
 * What the benchmarks share: the machine they ran on, percentiles, plain-text and Markdown tables, and
 * `emit()` / `headline()`, which hand a bench's Markdown section and its headline figures to
 * `bench/run-all.ts` (as JSON lines in the file named by the BENCH_REPORT environment variable). Run on its
 * own, a bench only prints.
 */
import { appendFileSync } from "node:fs";
import os from "node:os";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown CPU",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export const describeMachine = (m: Machine = machine()): string => `${m.cores}× ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}`;

/** The nearest-rank percentile (p in 0–100) of unsorted values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** Right-aligned plain-text table for the console. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A Markdown table; the first column is left-aligned, the others right-aligned (figures). */
export function markdownTable(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  return [
    `| ${header.map(escape).join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

/** `git/create-ref×4, pulls/create×4`, most frequent first. */
export function byOperation(operations: (string | null)[]): string {
  const counts = new Map<string, number>();
  for (const op of operations) counts.set(op ?? "?", (counts.get(op ?? "?") ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([op, n]) => `${op}×${n}`).join(", ") || "none";
}

export const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));
export const seconds = (valueMs: number): string => (valueMs / 1000).toFixed(1);

export type ReportEntry = { kind: "section"; markdown: string } | { kind: "headline"; markdown: string };

function record(entry: ReportEntry): void {
  const file = process.env.BENCH_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Hands a Markdown section (starting with its `## ` title) to run-all.ts; a no-op when the bench runs on its own. */
export function emit(markdown: string): void {
  record({ kind: "section", markdown: markdown.trim() });
}

/** One line for the summary at the top of docs/benchmarks.md (Markdown, no trailing period needed). */
export function headline(markdown: string): void {
  record({ kind: "headline", markdown: markdown.trim() });
}

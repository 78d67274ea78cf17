/** The CLI's commands: each asks the engine one question and prints the answer. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fromAdvisory, type RawAdvisory } from "../github/advisory-shapes.js";
import { formatProblems } from "../config/load.js";
import { toPolicy } from "../config/policy.js";
import { assessAdvisory, type AdvisoryAssessment, type UnaffectedLine } from "../engine/advisory.js";
import { addDaysTo } from "../engine/dates.js";
import { computeLines, nominalCutOf } from "../engine/lines.js";
import { Naming, type LineId } from "../engine/naming.js";
import { renderGantt } from "../engine/render/mermaid.js";
import { renderEndOfLifeYaml, toEndOfLifeReleases, toReleaseCycles } from "../engine/render/json.js";
import { renderTable } from "../engine/render/table.js";
import { projectSchedule, scheduleLines, type Schedule } from "../engine/schedule.js";
import { resolveTargets } from "../engine/selectors.js";
import type { IsoDate, Policy, ReleaseHistory, ReleaseLine, Skipped, Target } from "../engine/types.js";
import { CliError } from "./errors.js";
import { describeStale, staleHistory } from "./stale-history.js";
import { requirePolicy, type LoadedConfig } from "./inputs.js";
import type { CliIo } from "./main.js";

export interface CommandContext {
  args: string[];
  values: { format?: string; all?: boolean; json?: boolean; range?: string[]; advisory?: string };
  on: IsoDate;
  io: CliIo;
  config: () => Promise<LoadedConfig>;
  /** `nominalCut`: the policy's cut day of a line, which dates a branch cut within what git bounds. */
  history: (naming: Naming, nominalCut?: (line: LineId) => IsoDate | null) => Promise<ReleaseHistory>;
  /** Where the history comes from: a git repository or a JSON file (the stale-history hint differs). */
  source: "git" | "json";
  /** Said on stderr after a command that succeeded (a failed one says only why it failed). */
  warnings: string[];
}

type Command = (ctx: CommandContext) => Promise<number>;

async function linesFor(ctx: CommandContext): Promise<{ policy: Policy; lines: ReleaseLine[] }> {
  const { policy } = requirePolicy(await ctx.config());
  const naming = new Naming(policy.granularity, policy.branchPattern, policy.tagPattern);
  const history = await ctx.history(naming, nominalCutOf(policy, naming));
  const stale = staleHistory(policy, naming, history, ctx.on);
  if (stale) ctx.warnings.push(describeStale(stale, ctx.source));
  return { policy, lines: computeLines(policy, history, ctx.on) };
}

/** How long an LTS line that ended stays named in human output: people still ask about it for a year. */
const LTS_ENDED_SHOWN_DAYS = 365;

/**
 * Ended lines worth naming: the three most recent ends of support, and every LTS line that ended within the
 * last year (an LTS line that ended the same day as regular ones is never hidden among them).
 */
function recentlyEnded<T extends { branch: string }>(ended: T[], lines: ReleaseLine[], on: IsoDate): Set<T> {
  const since = addDaysTo(on, -LTS_ENDED_SHOWN_DAYS);
  const shown = new Set(ended.slice(0, 3));
  for (const s of ended) {
    const line = lines.find((l) => l.branch === s.branch);
    if (line?.kind === "lts" && line.endOfSupport !== null && line.endOfSupport >= since) shown.add(s);
  }
  return shown;
}

const ltsMark = (lines: ReleaseLine[], branch: string) => (lines.find((l) => l.branch === branch)?.kind === "lts" ? " (LTS)" : "");

/** Human output names the recent ends of support (LTS above all) and counts the older ones (--json lists all). */
function leftOut(skipped: Skipped[], lines: ReleaseLine[], on: IsoDate): string[][] {
  const ended = skipped.filter((s) => s.status === "end-of-support");
  const shown = recentlyEnded(ended, lines, on);
  const older = ended.filter((s) => !shown.has(s));
  const rows = skipped.filter((s) => !older.includes(s)).map((s) => [s.branch, `${s.reason}${s.status === "end-of-support" ? ltsMark(lines, s.branch) : ""}`]);
  return older.length > 0 ? [...rows, [`… and ${older.length} older line${older.length === 1 ? "" : "s"} at end of support`]] : rows;
}

const pad = (rows: string[][]) => {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => `  ${row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join("  ")}`.trimEnd());
};

function describeSchedule(schedule: Schedule): string[] {
  const when = (e: { date: string; overdue: boolean }) => `${e.date}${e.overdue ? " (overdue)" : ""}`;
  const out = [];
  if (schedule.nextCut) out.push(`Next branch cut:   ${schedule.nextCut.branch} on ${when(schedule.nextCut)}`);
  if (schedule.nextRelease) out.push(`Next release:      ${schedule.nextRelease.version} on ${when(schedule.nextRelease)}`);
  for (const end of schedule.endsOfSupport.slice(0, 4)) {
    out.push(`End of support:    ${end.branch}${end.kind === "lts" ? " (LTS)" : ""} after ${end.projected ? "~" : ""}${end.date}`);
  }
  return out;
}

/** Prints a targets-shaped result: JSON with --json, else a row per target and the left-out lines. */
function printResult(
  ctx: CommandContext,
  result: { targets: Target[]; skipped: Skipped[] },
  text: { head: string; patch: string; skippedTitle: string },
  lines: ReleaseLine[],
): number {
  if (ctx.values.json) {
    ctx.io.stdout(JSON.stringify(result, null, 2));
    return 0;
  }
  const rows = result.targets.map((t) => [t.branch, t.kind === "lts" ? "LTS" : "regular", `${text.patch} ${t.nextPatch}`, t.reason]);
  const skipped = leftOut(result.skipped, lines, ctx.on);
  ctx.io.stdout([text.head, ...pad(rows), ...(skipped.length ? [text.skippedTitle, ...pad(skipped)] : [])].join("\n"));
  return 0;
}

const schedule: Command = async (ctx) => {
  const format = ctx.values.format ?? "table";
  if (!["table", "json", "mermaid", "endoflife"].includes(format)) throw new CliError(`bad --format "${format}": expected table, json, mermaid or endoflife`);
  const { lines } = await linesFor(ctx);
  if (format === "endoflife") {
    // Every released line, as endoflife.date lists a product's whole history (--all does not apply).
    ctx.io.stdout(renderEndOfLifeYaml(toEndOfLifeReleases(lines)));
    return 0;
  }
  const shown = scheduleLines(lines, ctx.values.all);
  const projection = projectSchedule(lines, ctx.on);
  if (format === "json") {
    ctx.io.stdout(JSON.stringify({ on: ctx.on, lines: toReleaseCycles(shown), schedule: projection }, null, 2));
  } else if (format === "mermaid") {
    ctx.io.stdout(renderGantt(shown, { on: ctx.on }));
  } else {
    ctx.io.stdout([`Release lines on ${ctx.on}:`, "", renderTable(shown), "", ...describeSchedule(projection)].join("\n"));
  }
  return 0;
};

const targets: Command = async (ctx) => {
  if (ctx.args.length === 0) throw new CliError("targets needs at least one selector, e.g. `targets security` or `targets release-36.0.0`");
  const { policy, lines } = await linesFor(ctx);
  const result = resolveTargets({ lines, selectors: ctx.args, on: ctx.on, policy });
  const head = `On ${ctx.on}, ${ctx.args.join(" ")} → ${result.targets.length} target${result.targets.length === 1 ? "" : "s"}:`;
  return printResult(ctx, result, { head, patch: "next", skippedTitle: "Left out:" }, lines);
};

/** The recently ended rows (see `recentlyEnded`), then how many older lines there are. */
function newest(rows: { branch: string; row: string[] }[], lines: ReleaseLine[], on: IsoDate): string[][] {
  const shown = recentlyEnded(rows, lines, on);
  const older = rows.length - shown.size;
  const kept = rows.filter((r) => shown.has(r)).map((r) => [r.row[0] ?? "", `${r.row[1] ?? ""}${ltsMark(lines, r.branch)}`]);
  return older > 0 ? [...kept, [`… and ${older} older line${older === 1 ? "" : "s"}`]] : kept;
}

/** One section per verdict, as the engine gives them; empty sections are left out. */
function describeAssessment(result: AdvisoryAssessment, ranges: string[], lines: ReleaseLine[]): string[] {
  const count = result.targets.length;
  const by = ranges.join(" or ");
  const out = [count === 0 ? `On ${result.on}, no security line is affected by ${by}.` : `On ${result.on}, ${count} security line${count === 1 ? " is" : "s are"} affected by ${by}:`];
  out.push(...pad(result.targets.map((t) => [t.branch, t.kind === "lts" ? "LTS" : "regular", `fix in ${t.nextPatch}`, t.reason])));
  const section = (title: string, verdict: UnaffectedLine["verdict"], shorten = false) => {
    const rows = result.skipped.filter((s) => s.verdict === verdict).map((s) => ({ branch: s.branch, row: [s.branch, s.reason] }));
    if (rows.length > 0) out.push(title, ...pad(shorten ? newest(rows, lines, result.on) : rows.map((r) => r.row)));
  };
  section("Patched:", "patched");
  section("Ended, vulnerable (no fix planned):", "ended-vulnerable", true);
  section("Vulnerable, not a security line (no fix planned):", "not-security");
  section("Not affected:", "not-affected");
  section("Ended, not affected:", "ended", true);
  return out;
}

/** The ranges of an advisory file: GitHub's REST shape, or a webhook payload that holds one. */
async function rangesFromFile(path: string, cwd: string): Promise<string[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(resolve(cwd, path), "utf8"));
  } catch (error) {
    throw new CliError(`cannot read the advisory ${path}: ${(error as Error).message}`);
  }
  const record = raw as Record<string, unknown> | null;
  const advisory = (record?.["repository_advisory"] ?? record?.["security_advisory"] ?? record) as RawAdvisory | null;
  if (!advisory || typeof advisory !== "object" || !Array.isArray(advisory.vulnerabilities)) {
    throw new CliError(`${path} is not an advisory as GitHub gives it: no "vulnerabilities" list`);
  }
  const ranges = [...new Set(fromAdvisory({ ...advisory, summary: String(advisory.summary ?? ""), ghsa_id: String(advisory.ghsa_id ?? "") }).vulnerabilities.map((v) => v.vulnerableRange).filter((r) => r.trim() !== ""))];
  if (ranges.length === 0) throw new CliError(`${path} names no vulnerable version range`);
  return ranges;
}

/** The first version of the line a version belongs to: 36.0.4 → 36.0.0 (major lines), 1.4.2 → 1.4.0 (minor lines). */
const lineStart = (version: string) => version.replace(/^(\d+)\.(\d+)\.\d+.*$/, "$1.$2.0");

export interface AdvisoryEntry {
  branch: string;
  affected: string;
  patched: string;
}

/** What to publish in the advisory: per line, its affected versions and the version that fixes them. */
export function advisoryEntries(result: AdvisoryAssessment): AdvisoryEntry[] {
  const fixed = [
    ...result.targets.map((t) => ({ branch: t.branch, patched: t.nextPatch })),
    ...result.skipped.flatMap((s) => (s.verdict === "patched" && s.patchedIn ? [{ branch: s.branch, patched: s.patchedIn }] : [])),
  ];
  // A line whose fix ships in its first release (the upcoming line) never shipped a vulnerable version.
  return fixed.filter(({ patched }) => lineStart(patched) !== patched).map(({ branch, patched }) => ({ branch, affected: `>= ${lineStart(patched)}, < ${patched}`, patched }));
}

const affected: Command = async (ctx) => {
  const ranges = [...(ctx.values.range ?? []), ...(ctx.values.advisory ? await rangesFromFile(ctx.values.advisory, ctx.io.cwd) : [])];
  if (ranges.length === 0) throw new CliError('affected needs at least one --range, e.g. --range ">= 36.0.0, < 36.0.4", or --advisory <file>');
  if (ctx.args.length > 0) throw new CliError(`affected takes no selectors (got "${ctx.args.join(" ")}"); pass ranges with --range`);
  const { policy, lines } = await linesFor(ctx);
  const result = assessAdvisory({ lines, ranges, on: ctx.on, policy });
  const entries = advisoryEntries(result);
  if (ctx.values.json) {
    ctx.io.stdout(JSON.stringify({ ...result, advisoryEntries: entries }, null, 2));
    return 0;
  }
  const out = describeAssessment(result, ranges, lines);
  if (entries.length > 0) out.push("For the advisory, one entry per line (affected versions, patched versions):", ...pad(entries.map((e) => [e.branch, e.affected, e.patched])));
  ctx.io.stdout(out.join("\n"));
  return 0;
};

const checkConfig: Command = async (ctx) => {
  const loaded = await ctx.config();
  if (!loaded.result.ok) {
    ctx.io.stderr(`lts-steward: invalid config (${loaded.source}):\n${formatProblems(loaded.result.problems)}`);
    return 2;
  }
  const config = loaded.result.config;
  const policy = toPolicy(config);
  const lts = policy.lts.rule.type === "every"
    ? `every ${policy.lts.rule.every} lines from ${policy.lts.rule.from}, ${config.support.lts?.window}`
    : policy.lts.rule.type === "list" ? `${policy.lts.rule.lines.join(", ")}, ${config.support.lts?.window}` : "none";
  const lines = [
    `${loaded.source}: valid`,
    `  lines:    ${policy.granularity} lines, branch ${policy.branchPattern}, tag ${policy.tagPattern}`,
    `  calendar: ${config.calendar ? `every ${config.calendar.cadence}, anchor ${config.calendar.anchor.version} on ${config.calendar.anchor.date}` : "none (nothing is projected)"}`,
    `  support:  regular ${config.support.regular}${policy.regular.type === "duration" ? ` from the ${policy.windowFrom} release` : ""}; LTS ${lts}`,
    `  security: ${policy.security.join(" + ")}`,
  ];
  if (config._extends) lines.push(`  note: _extends: ${config._extends} is followed by the App, not by the offline CLI`);
  ctx.io.stdout(lines.join("\n"));
  return 0;
};

export const COMMANDS: Record<string, Command> = { schedule, targets, affected, "check-config": checkConfig };

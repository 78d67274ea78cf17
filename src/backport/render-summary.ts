/**
 * The one summary comment on a source PR (a row per target, how to finish conflicts, what was skipped and
 * why) and the conflict issue. The Markdown helpers live here too, as the summary uses them all; the other
 * renderers import them from this file. Titles, reasons and file names come from people: they are escaped so
 * they cannot open an HTML comment, break a table or a code span, or spoof a marker.
 */
import { embedState, marker } from "../state/markers.js";
import { readState } from "../state/read-state.js";
import { summaryStateSchema, type BackportRef, type SummaryState } from "../state/schemas.js";
import { sourceKey, sourceRef, type BackportRequest, type MissingChange, type PullLink, type SkippedLine, type SourcePull, type TargetOutcome, type TargetRow } from "./types.js";

export type ConflictOutcome = Extract<TargetOutcome, { kind: "conflict" }>;

/** Text from people, for a line of Markdown: one line, and no `<` that could start HTML or a comment. */
export const inline = (text: string): string => text.replace(/\s+/g, " ").trim().replace(/</g, "&lt;");

/** Text for a table cell. */
export const cell = (text: string): string => text.replace(/\|/g, "\\|");

/** A code span that holds any text, backticks included. */
export function code(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function fenced(language: string, lines: string[]): string {
  const body = lines.join("\n");
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

import { fitBody } from "../state/body-limit.js";

export { BODY_LIMIT, fitBody } from "../state/body-limit.js";

export const shortSha = (sha: string): string => sha.slice(0, 12);

/** Items past `max` become one last line, `more(n)`: long lists end with "and N more". */
export function capList(items: string[], max: number, more: (n: number) => string): string[] {
  return items.length <= max ? items : [...items.slice(0, max), more(items.length - max)];
}

/** A list item that says how many were left out. */
export const andMore = (n: number): string => `- … and ${n} more`;

export const ref = (link: PullLink): string => `#${link.number}`;

/** `a`, `a or b`, `a, b or c`. */
export function joinWords(words: string[], last = "and"): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} ${last} ${words.at(-1)}`;
}

/** `release-36.0.0`'s label as people read it: `36.0.x (`release-36.0.0`)`. */
export const lineAndBranch = (line: string, branch: string): string => `${inline(line)} (${code(branch)})`;

/** The most items any one list in a body shows; the rest is "and N more". */
export const MAX_LISTED = 50;

/** A missing change as a list item; the PR number moves out of the title so it is not shown twice. */
function renderMissing(change: MissingChange): string {
  const title = change.pull === null ? change.title : change.title.replace(new RegExp(`\\s*\\(#${change.pull}\\)\\s*$`), "");
  const pull = change.pull === null ? "" : ` (#${change.pull})`;
  return `- ${code(shortSha(change.sha))} ${inline(title)}${pull}`;
}

/** Files, commands and the earlier changes the target never got: shared by the summary and the conflict issue. */
export function renderConflictHelp(branch: string, outcome: ConflictOutcome): string[] {
  const listed = capList(outcome.files.map(code), MAX_LISTED, (n) => `and ${n} more`);
  const files = outcome.files.length > 0 ? `${listed.join(", ")}.` : "not known (GitHub does not say).";
  const parts = [`Files in conflict: ${files}`];
  if (outcome.commands.length > 0) parts.push("To finish the backport by hand:", fenced("sh", outcome.commands));
  if (outcome.missing.length > 0) {
    parts.push(`Earlier changes to these files that ${code(branch)} never got:\n\n${capList(outcome.missing.map(renderMissing), MAX_LISTED, andMore).join("\n")}`);
  }
  return parts;
}

/** What a backport PR body and a conflict issue embed: enough to find the source PR and the target again. */
export const backportRefState = (source: SourcePull, branch: string, line: string): BackportRef => ({ version: 1, source: source.number, branch, line });

export interface ConflictIssueInput {
  source: SourcePull;
  row: TargetRow;
  outcome: ConflictOutcome;
}

export function renderConflictIssue(input: ConflictIssueInput): { title: string; body: string } {
  const { source, row, outcome } = input;
  const merger = source.mergedBy && source.mergedBy !== source.author ? source.mergedBy : null;
  const askPeople = merger
    ? `@${source.author}, @${merger}: you wrote and merged ${sourceRef(source)}; could one of you finish this backport?`
    : `@${source.author}: you wrote ${sourceRef(source)}; could you finish this backport?`;
  const body = [
    marker("conflict", `${sourceKey(source)}/${row.branch}`),
    `${sourceRef(source)} (${inline(source.title)}) does not cherry-pick cleanly onto ${code(row.branch)}, ` +
      `release line ${inline(row.label)}, whose next patch is ${inline(row.nextPatch)}. ` +
      `It was chosen as a target because: ${inline(row.reason)}.`,
    ...renderConflictHelp(row.branch, outcome),
    `When it is done, push the branch and open a pull request from it into ${code(row.branch)}. ` +
      "Keep the branch name from the commands so lts-steward recognises the backport PR; " +
      "this issue closes when that backport PR is merged.",
    askPeople,
    embedState(backportRefState(source, row.branch, row.line)),
  ];
  return { title: `Backport ${sourceRef(source)} to ${row.branch} needs a hand: ${source.title.replace(/\s+/g, " ").trim()}`, body: fitBody(body.join("\n\n")) };
}

export interface SummaryInput {
  source: SourcePull;
  rows: TargetRow[];
  skipped: SkippedLine[];
  requests: BackportRequest[];
  /** Things that went wrong outside any one target, for people. */
  problems?: string[];
}

export type { SummaryState };

/** A table cell lists a few files; the details block below lists them all. */
const FILES_IN_CELL = 5;

function conflictResult(outcome: ConflictOutcome): string {
  const shown = outcome.files.slice(0, FILES_IN_CELL).map(code).join(", ");
  const more = outcome.files.length > FILES_IN_CELL ? ` and ${outcome.files.length - FILES_IN_CELL} more` : "";
  const files = outcome.files.length > 0 ? `conflict in ${shown}${more}` : "conflict";
  if (outcome.pull) return `${files}: draft ${ref(outcome.pull)} holds the pick with its markers`;
  return outcome.issue ? `${files}: see ${ref(outcome.issue)}` : `${files}: steps below`;
}

function result(outcome: TargetOutcome): string {
  switch (outcome.kind) {
    case "opened":
      return outcome.combined ? `added to ${ref(outcome.pull)}, the line's combined backport` : `${ref(outcome.pull)} opened`;
    case "exists":
      return outcome.combined ? `in ${ref(outcome.pull)}, the line's combined backport (${outcome.state})` : `${ref(outcome.pull)} (already existed, ${outcome.state})`;
    case "empty":
      return "already on this line: nothing to pick";
    case "conflict":
      return conflictResult(outcome);
    case "skipped":
      return `skipped: ${inline(outcome.reason)}`;
    case "failed":
      return `failed: ${inline(outcome.reason)}`;
  }
}

function renderTable(rows: TargetRow[]): string {
  if (rows.length === 0) return "No targets: nothing was backported.";
  const lines = rows.slice(0, MAX_LISTED).map((r) => `| ${[inline(r.label), code(r.branch), result(r.outcome)].map(cell).join(" | ")} |`);
  const more = rows.length > MAX_LISTED ? `\n\n… and ${rows.length - MAX_LISTED} more targets.` : "";
  return ["| Release line | Branch | Result |", "|---|---|---|", ...lines].join("\n") + more;
}

function renderConflicts(rows: TargetRow[]): string[] {
  return rows.slice(0, MAX_LISTED).flatMap((row) => {
    if (row.outcome.kind !== "conflict") return [];
    const help = renderConflictHelp(row.branch, row.outcome);
    return [`<details>\n<summary>Conflict on ${code(row.branch)}: how to finish it by hand</summary>\n\n${help.join("\n\n")}\n\n</details>`];
  });
}

/** `label backport:lts` → `` `backport:lts` label``; `comment by @x` → `` `/backport` comment by @x``; anything else as written. */
function describeVia(via: string): string {
  const label = /^label (.+)$/.exec(via)?.[1];
  if (label !== undefined) return `${code(label)} label`;
  if (via.startsWith("comment by ")) return `\`/backport\` ${inline(via)}`;
  return inline(via);
}

/** One entry per place a request came from, with the selectors it named. */
function renderRequests(requests: BackportRequest[]): string | null {
  if (requests.length === 0) return null;
  const byVia = new Map<string, string[]>();
  for (const r of requests) {
    const selectors = byVia.get(r.via) ?? [];
    if (!selectors.includes(r.selector)) selectors.push(r.selector);
    byVia.set(r.via, selectors);
  }
  const entries = [...byVia].map(([via, selectors]) => `${describeVia(via)} for ${capList(selectors.map(code), MAX_LISTED, (n) => `and ${n} more`).join(", ")}`);
  return `Requested by: ${capList(entries, MAX_LISTED, (n) => `and ${n} more`).join("; ")}`;
}

export function renderSkipped(skipped: SkippedLine[]): string | null {
  if (skipped.length === 0) return null;
  const items = capList(skipped.map((s) => `- ${lineAndBranch(s.label, s.branch)}: ${inline(s.reason)}`), MAX_LISTED, andMore);
  return `Not backported:\n\n${items.join("\n")}`;
}

/** Skipped lines and requests kept in the summary's state (they are for people; rows are what runs read). */
const MAX_STATE_ITEMS = 100;

/** Conflict files and missing changes a row keeps in the state: the body lists them, later runs only need the outcome. */
const MAX_STATE_FILES = 20;

const stateRow = (row: TargetRow): TargetRow =>
  row.outcome.kind === "conflict" && (row.outcome.files.length > MAX_STATE_FILES || row.outcome.missing.length > MAX_STATE_FILES)
    ? { ...row, outcome: { ...row.outcome, files: row.outcome.files.slice(0, MAX_STATE_FILES), missing: row.outcome.missing.slice(0, MAX_STATE_FILES) } }
    : row;

export function renderSummary(input: SummaryInput): string {
  const { source, rows, skipped, requests, problems = [] } = input;
  const parts = [
    marker("summary", `pr-${source.number}`),
    "### Backports",
    renderTable(rows),
    ...renderConflicts(rows),
    renderSkipped(skipped),
    renderRequests(requests),
    problems.length > 0 ? `Problems:\n\n${capList(problems.map((p) => `- ${inline(p)}`), MAX_LISTED, andMore).join("\n")}` : null,
    // The state keeps what later runs read (rows); skipped lines and requests are kept to a bounded few.
    embedState({ version: 1, rows: rows.map(stateRow), skipped: skipped.slice(0, MAX_STATE_ITEMS), requests: requests.slice(0, MAX_STATE_ITEMS) } satisfies SummaryState),
  ];
  return fitBody(parts.filter((p): p is string => p !== null).join("\n\n"));
}

/** The rows, skipped lines and requests a summary was rendered from; null when absent or not of this shape. */
export function readSummary(body: string | null): SummaryState | null {
  return readState(body, summaryStateSchema);
}

/** Only a plain http(s) address becomes a link; anything else could break out of the Markdown. */
export const safeUrl = (url: string | null): string | null => (url !== null && /^https?:\/\/[^\s()<>[\]]+$/.test(url) ? url : null);

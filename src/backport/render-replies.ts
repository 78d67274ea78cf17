/**
 * Replies to `/backport` comments. Each starts with the marker `reply comment-<id>` so the App answers a
 * comment once, and embeds which reply it was, so a later run can tell an acknowledgement from a refusal.
 */
import { embedState, marker } from "../state/markers.js";
import { code, inline, joinWords, lineAndBranch, renderSkipped } from "./render-summary.js";
import type { ConfigProblem } from "../config/load.js";
import type { SkippedLine } from "./types.js";

export type ReplyKind = "refusal" | "acknowledgement" | "rejection" | "started" | "config-problems";

const reply = (kind: ReplyKind, commentId: number, parts: (string | null)[]): string =>
  [marker("reply", `comment-${commentId}`), ...parts.filter((p): p is string => p !== null), embedState({ version: 1, reply: kind })].join("\n\n");

export interface RefusalInput {
  commentId: number;
  login: string;
  /** The commenter's permission as GitHub reports it: `read`, `triage`, `none`… */
  permission: string;
  /** The permissions that may ask, e.g. `["write", "maintain", "admin"]`. */
  required: string[];
}

export function renderRefusal(input: RefusalInput): string {
  const { commentId, login, permission, required } = input;
  return reply("refusal", commentId, [
    `@${login}, only people with ${joinWords(required.map(inline), "or")} permission on this repository can ask for backports; ` +
      `you have ${inline(permission)}. Nothing was done. A maintainer can repeat the \`/backport\` command if this fix should go to other release lines.`,
  ]);
}

export interface AcknowledgedTarget {
  branch: string;
  line: string;
  nextPatch: string;
  reason: string;
}

export interface AcknowledgementInput {
  commentId: number;
  targets: AcknowledgedTarget[];
  skipped: SkippedLine[];
}

export function renderAcknowledgement(input: AcknowledgementInput): string {
  const { commentId, targets, skipped } = input;
  const items = targets.map((t) => `- ${lineAndBranch(t.line, t.branch)}, ships in ${inline(t.nextPatch)}: ${inline(t.reason)}`);
  const lead =
    targets.length > 0
      ? `Will backport to ${targets.length === 1 ? "this target" : `these ${targets.length} targets`} once this PR is merged:\n\n${items.join("\n")}`
      : "None of the requested release lines can take this fix, so nothing will be backported when this PR is merged.";
  return reply("acknowledgement", commentId, [lead, renderSkipped(skipped)]);
}

export interface RejectionInput {
  commentId: number;
  problems: { selector: string; reason: string }[];
  /** Selectors that work today: the words, then the branches and lines. */
  valid: string[];
}

export function renderRejection(input: RejectionInput): string {
  const { commentId, problems, valid } = input;
  const items = problems.map((p) => `- ${code(p.selector)}: ${inline(p.reason)}`);
  return reply("rejection", commentId, [
    `Nothing was done: ${problems.length === 1 ? "this selector does" : "these selectors do"} not name a release line that can take a backport.\n\n${items.join("\n")}`,
    valid.length > 0 ? `Valid selectors today: ${valid.map(code).join(", ")}.` : "No selector is valid today: no release line is supported or upcoming.",
    "To try again, post a new `/backport` comment with valid selectors.",
  ]);
}

export interface StartedInput {
  commentId: number;
  targets: { branch: string; line: string }[];
}

export function renderStarted(input: StartedInput): string {
  const { commentId, targets } = input;
  const names = joinWords(targets.map((t) => lineAndBranch(t.line, t.branch)));
  const text = targets.length > 0 ? `Backporting to ${names} now; the summary comment on this PR will show the results.` : "No target to backport to; nothing was done.";
  return reply("started", commentId, [text]);
}

export interface ConfigProblemsInput {
  commentId: number;
  problems: ConfigProblem[];
}

/** The repository's config does not parse, so no selector can be resolved; say where it is wrong. */
export function renderConfigProblems(input: ConfigProblemsInput): string {
  const { commentId, problems } = input;
  const items = problems.map((p) => `- ${p.path ? code(p.path) : "the file"}: ${inline(p.message)}`);
  return reply("config-problems", commentId, [
    `Nothing was done: ${code(".github/lts-steward.yml")} has problems, so lts-steward cannot tell which release lines to backport to.`,
    items.join("\n"),
    "Once the config is fixed, post the `/backport` comment again.",
  ]);
}

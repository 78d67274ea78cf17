/**
 * Replies to `/backport` comments. Each starts with the marker `reply comment-<id>` so the App answers a
 * comment once, and embeds which reply it was, so a later run can tell an acknowledgement from a refusal.
 */
import { embedState, marker } from "../state/markers.js";
import { andMore, capList, code, fitBody, inline, joinWords, lineAndBranch, MAX_LISTED, renderSkipped } from "./render-summary.js";
import type { ConfigProblem } from "../config/load.js";
import type { SkippedLine } from "./types.js";

export type ReplyKind = "refusal" | "acknowledgement" | "rejection" | "started" | "config-problems";

const reply = (kind: ReplyKind, commentId: number, parts: (string | null)[]): string =>
  fitBody([marker("reply", `comment-${commentId}`), ...parts.filter((p): p is string => p !== null), embedState({ version: 1, reply: kind })].join("\n\n"));

/** The marker of the one reply about a request label that does not count (`label-refused <label>`, the label lowercased and URI-encoded). */
export const labelRefusalRef = (label: string) => ({ kind: "label-refused", key: encodeURIComponent(label.toLowerCase()) });

export interface LabelRefusalInput {
  label: string;
  /** Who added it, or null when GitHub's events do not say. */
  actor: string | null;
  permission: string | null;
  required: string[];
}

/** A request label added by someone who may not ask for backports: said once, and nothing is done for it. */
export function renderLabelRefusal(input: LabelRefusalInput): string {
  const { label, actor, permission, required } = input;
  const roles = joinWords(required.map(inline), "or");
  const who =
    actor === null
      ? `GitHub's events do not say who added the ${code(label)} label, and only labels added by people with ${roles} permission on this repository ask for backports.`
      : `@${inline(actor)} added the ${code(label)} label, but only people with ${roles} permission on this repository can ask for backports; ` +
        `@${inline(actor)} has ${inline(permission ?? "none")}.`;
  const ref = labelRefusalRef(label);
  return fitBody(
    [
      marker(ref.kind, ref.key),
      `${who} Nothing was done for this label. A maintainer can add the label again, or post a \`/backport\` command.`,
    ].join("\n\n"),
  );
}

export interface TooManySelectorsInput {
  commentId: number;
  count: number;
  max: number;
}

/** A `/backport` command naming more selectors than one request may. */
export function renderTooManySelectors(input: TooManySelectorsInput): string {
  return reply("rejection", input.commentId, [
    `Nothing was done: this \`/backport\` command names ${input.count} selectors, and one command may name at most ${input.max}.`,
    "To try again, post a new `/backport` comment with fewer selectors (a group such as `supported` or `lts` names many lines at once).",
  ]);
}

export interface RefusalInput {
  commentId: number;
  login: string;
  /** The commenter's permission as GitHub reports it: `read`, `triage`, `none`… */
  permission: string;
  /** The permissions that may ask, e.g. `["write", "maintain", "admin"]`. */
  required: string[];
}

/** The second marker of a refusal: whom it refused, so a person is refused at most once per PR in a window. */
export const refusalRef = (login: string) => ({ kind: "refusal", key: login.toLowerCase() });

export function renderRefusal(input: RefusalInput): string {
  const { commentId, login, permission, required } = input;
  const refused = refusalRef(login);
  return reply("refusal", commentId, [
    marker(refused.kind, refused.key),
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
  const items = capList(targets.map((t) => `- ${lineAndBranch(t.line, t.branch)}, ships in ${inline(t.nextPatch)}: ${inline(t.reason)}`), MAX_LISTED, andMore);
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
  const items = capList(problems.map((p) => `- ${code(p.selector)}: ${inline(p.reason)}`), MAX_LISTED, andMore);
  const validList = capList(valid.map(code), MAX_LISTED, (n) => `and ${n} more`);
  return reply("rejection", commentId, [
    `Nothing was done: ${problems.length === 1 ? "this selector does" : "these selectors do"} not name a release line that can take a backport.\n\n${items.join("\n")}`,
    valid.length > 0 ? `Valid selectors today: ${validList.join(", ")}.` : "No selector is valid today: no release line is supported or upcoming.",
    "To try again, post a new `/backport` comment with valid selectors.",
  ]);
}

export interface StartedInput {
  commentId: number;
  targets: { branch: string; line: string }[];
}

export function renderStarted(input: StartedInput): string {
  const { commentId, targets } = input;
  const names = joinWords(capList(targets.map((t) => lineAndBranch(t.line, t.branch)), MAX_LISTED, (n) => `${n} more`));
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
  const items = capList(problems.map((p) => `- ${p.path ? code(p.path) : "the file"}: ${inline(p.message)}`), MAX_LISTED, andMore);
  return reply("config-problems", commentId, [
    `Nothing was done: ${code(".github/lts-steward.yml")} has problems, so lts-steward cannot tell which release lines to backport to.`,
    items.join("\n"),
    "Once the config is fixed, post the `/backport` comment again.",
  ]);
}

export interface CombinedStartedInput {
  commentId: number;
  targets: { branch: string; line: string }[];
  /** Merged fixes whose backports start now. */
  ready: { number: number; title: string }[];
  /** Fixes not merged yet: labelled, and combined when they merge. */
  pending: { number: number; title: string }[];
  /** Fixes left out, and why. */
  problems: { selector: string; reason: string }[];
}

/** The answer to `/backport <selector…> #a #b`: which fixes go into each line's combined PR, which wait for their merge, which are left out. */
export function renderCombinedStarted(input: CombinedStartedInput): string {
  const { commentId, targets, ready, pending, problems } = input;
  const fix = (f: { number: number; title: string }) => `- #${f.number} ${inline(f.title)}`;
  const lines = joinWords(capList(targets.map((t) => lineAndBranch(t.line, t.branch)), MAX_LISTED, (n) => `${n} more`));
  return reply("started", commentId, [
    ready.length > 0
      ? `Combining the backports of these fixes, in the order they landed, into one PR per line (${lines}); each fix's summary comment shows its results:\n\n${capList(ready.map(fix), MAX_LISTED, andMore).join("\n")}`
      : null,
    pending.length > 0
      ? `Not merged yet, so labelled for now: each joins the line's combined PR when it is merged (a new one if that PR was merged or closed by then):\n\n${capList(pending.map(fix), MAX_LISTED, andMore).join("\n")}`
      : null,
    problems.length > 0 ? `Left out:\n\n${capList(problems.map((p) => `- ${code(p.selector)}: ${inline(p.reason)}`), MAX_LISTED, andMore).join("\n")}` : null,
  ]);
}

/** A combined `/backport` naming more fixes than one command may. */
export function renderTooManySources(input: { commentId: number; count: number; max: number }): string {
  return reply("rejection", input.commentId, [
    `Nothing was done: this \`/backport\` command names ${input.count} fixes, and one command may name at most ${input.max}.`,
    "To try again, post the fixes in several `/backport` comments; each adds its fixes to the lines' open combined PRs.",
  ]);
}

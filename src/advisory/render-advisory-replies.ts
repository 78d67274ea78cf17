/**
 * Replies to `/backport security` and `/dismiss` comments on an advisory's tracking issue. Like the replies on
 * PRs, each starts with the marker `reply comment-<id>` so the App answers a comment once, and embeds which
 * reply it was.
 */
import { embedState, marker } from "../state/markers.js";
import { code, inline, joinWords, lineAndBranch, shortSha } from "../backport/render-summary.js";
import type { AdvisoryFix } from "./types.js";

export type AdvisoryReplyKind = "fix-accepted" | "fix-rejected" | "dismissed" | "dismiss-rejected";

const reply = (kind: AdvisoryReplyKind, commentId: number, parts: string[]): string =>
  [marker("reply", `comment-${commentId}`), ...parts, embedState({ version: 1, reply: kind })].join("\n\n");

/** Ends a reason from people or the App with one full stop. */
const sentence = (text: string) => (/[.!?]$/.test(inline(text)) ? inline(text) : `${inline(text)}.`);

const fixName = (fix: AdvisoryFix) => (fix.kind === "pull" ? `#${fix.number}` : code(shortSha(fix.sha)));

export interface FixAcceptedInput {
  commentId: number;
  fix: AdvisoryFix;
  /** The lines that got a backport PR (or a conflict issue) for the fix. */
  targets: { branch: string; line: string }[];
}

export function renderFixAccepted(input: FixAcceptedInput): string {
  const { commentId, fix, targets } = input;
  const name = `${fixName(fix)} (${inline(fix.title)})`;
  const text =
    targets.length > 0
      ? `Backporting ${name} to ${joinWords(targets.map((t) => lineAndBranch(t.line, t.branch)))} now; this issue's rows will link the backport PRs.`
      : `${name} is recorded as the fix, but no affected release line is waiting for a backport, so nothing was backported. This issue's rows show where each line stands.`;
  return reply("fix-accepted", commentId, [text]);
}

export interface FixRejectedInput {
  commentId: number;
  /** The reference as the comment wrote it: `#999`, a sha, anything. */
  ref: string;
  reason: string;
}

export function renderFixRejected(input: FixRejectedInput): string {
  const { commentId, ref, reason } = input;
  return reply("fix-rejected", commentId, [
    `${code(ref)} cannot be backported: ${sentence(reason)} Nothing was done.`,
    "Name the fix with `/backport security #123` for a pull request merged into the default branch, " +
      "or `/backport security <commit sha>` for a commit on the default branch.",
  ]);
}

export interface DismissedInput {
  commentId: number;
  line: string;
  reason: string;
}

export function renderDismissed(input: DismissedInput): string {
  const { commentId, line, reason } = input;
  return reply("dismissed", commentId, [
    `Dismissed ${inline(line)}: ${sentence(reason)} Its row is ticked; this issue closes when every row is released or dismissed.`,
  ]);
}

export interface DismissRejectedInput {
  commentId: number;
  /** The line as the comment wrote it. */
  line: string;
  /** The lines this issue has rows for. */
  known: string[];
}

export function renderDismissRejected(input: DismissRejectedInput): string {
  const { commentId, line, known } = input;
  const lines =
    known.length > 0
      ? `The lines on this issue are ${joinWords(known.map(code))}; post ${code("/dismiss <line> <reason>")} again with one of them.`
      : "This issue has no affected lines, so there is nothing to dismiss.";
  return reply("dismiss-rejected", commentId, [`${code(line)} is not a release line on this issue, so nothing was dismissed.`, lines]);
}

/**
 * A combined backport PR (several fixes, one line): its title from `backport.combine.title` and its body, a
 * table of fixes → picked commits with the fixes and their commits kept as embedded state.
 */
import { embedState, marker } from "../state/markers.js";
import { readState } from "../state/read-state.js";
import { combinedStateSchema, type CombinedState } from "../state/schemas.js";
import { capList, cell, code, inline, MAX_LISTED, shortSha } from "./render-summary.js";
import { sourceRef, type PickedCommit } from "./types.js";

export type CombinedEntry = CombinedState["sources"][number];

export interface CombinedTitleValues {
  target: string;
  line: string;
  titles: string[];
  numbers: string[];
}

/** Fills `{target}`, `{line}`, `{titles}` and `{numbers}` in one pass; other braces stay as written. */
export function renderCombinedTitle(template: string, values: CombinedTitleValues): string {
  const filled: Record<string, string> = {
    target: values.target,
    line: values.line,
    titles: values.titles.map((t) => t.replace(/\s+/g, " ").trim()).join("; "),
    numbers: values.numbers.join(", "),
  };
  return template.replace(/\{(target|line|titles|numbers)\}/g, (_, name: string) => filled[name] ?? "");
}

export interface CombinedBodyInput {
  branch: string;
  line: string;
  label: string;
  nextPatch: string;
  reason: string;
  /** In the order their commits are on the PR. */
  sources: CombinedEntry[];
}

const picked = (commits: PickedCommit[]) => commits.map((c) => `${code(shortSha(c.source))} → ${code(shortSha(c.picked))}`).join("<br>");

export function renderCombinedBody(input: CombinedBodyInput): string {
  const { branch, line, label, nextPatch, reason, sources } = input;
  const rows = sources.map((s) => `| ${[sourceRef(s), inline(s.title), picked(s.commits)].map(cell).join(" | ")} |`);
  const table = ["| Fix | Title | Commits (source → backport) |", "|---|---|---|", ...capList(rows, MAX_LISTED, (n) => `| … and ${n} more | | |`)].join("\n");
  const count = sources.length === 1 ? "one fix" : `${sources.length} fixes`;
  const state: CombinedState = { version: 1, kind: "combined", branch, line, sources };
  return [
    marker("backport-combined", branch),
    `Backports of ${count} to ${code(branch)}, release line ${inline(label)} (ships in ${inline(nextPatch)}), in the order they landed on the default branch:`,
    table,
    `Why this target: ${inline(reason)}.`,
    "lts-steward cherry-picked these through the GitHub API; each commit message carries the `(cherry picked from commit …)` " +
      "line that `git cherry-pick -x` adds. While this PR is open, a `/backport` for another fix adds its commits here, after these; " +
      "once it is merged or closed, the next fix starts a new PR. A fix that conflicted on this line is not here: its own conflict report says how to finish it.",
    embedState(state),
  ].join("\n\n");
}

/** The fixes a combined backport PR's body says it carries, or null. */
export function readCombined(body: string | null): CombinedState | null {
  return readState(body, combinedStateSchema);
}

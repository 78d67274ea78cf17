/**
 * The body of a conflict draft (`backport.conflicts: draft-pr`): what the draft holds (the commits that
 * applied, the conflicting one committed with git's markers, what is left to pick), the files to resolve,
 * notes for the files git would report that hold no markers, how to finish, and the earlier changes the line
 * never got. Titles and file names come from people: they go through the shared escaping helpers.
 */
import { embedState, marker } from "../state/markers.js";
import { readState } from "../state/read-state.js";
import { conflictDraftStateSchema, type ConflictDraftState } from "../state/schemas.js";
import type { FileNote, FileNoteKind } from "./conflict-tree.js";
import { andMore, capList, code, inline, MAX_LISTED, renderConflictHelp, shortSha, type ConflictOutcome } from "./render-summary.js";
import { sourceKey, sourceRef, type PickedCommit, type SourcePull } from "./types.js";

/** The marker of a conflict draft's body. */
export const conflictDraftRef = (source: Pick<SourcePull, "number" | "commit">, branch: string) => ({ kind: "conflict-draft", key: `${sourceKey(source)}/${branch}` });

/** A commit of the source that was not picked: its sha and title. */
export interface LeftCommit {
  sha: string;
  title: string;
}

export interface ConflictDraftBodyInput {
  source: SourcePull;
  /** The target branch, the line's key and label. */
  branch: string;
  line: string;
  label: string;
  /** The backport branch the draft comes from. */
  head: string;
  reason: string;
  applied: PickedCommit[];
  conflicting: LeftCommit;
  left: LeftCommit[];
  marked: string[];
  notes: FileNote[];
  /** The conflict report: files, commands (to finish the draft), earlier changes the line never got. */
  outcome: Pick<ConflictOutcome, "files" | "commands" | "missing">;
}

const NOTE: Record<FileNoteKind, string> = {
  "modify-delete-kept-ours": `removed by the fix and changed on the line since: the line's version is kept (git reports a modify/delete conflict). Remove it with \`git rm\` if the fix's removal should win`,
  "modify-delete-kept-theirs": `changed by the fix and removed on the line (or renamed there: git follows renames, lts-steward does not): the fix's version is committed (git leaves it too). Move the change where it belongs, or \`git rm\` the file`,
  binary: "binary: not merged, the line's version is kept (as git does). Take the fix's version by hand if it should win",
  "too-large": "too large to merge through the API: the line's version is kept. Merge it by hand (`git checkout --merge` after a local cherry-pick)",
  special: "a symlink or submodule changed on both sides: the line's version is kept",
  "file-directory": "a file on one side and a directory on the other: the line's version is kept",
  mode: "its file mode was changed differently on both sides: the line's mode is kept",
  "too-many": "not merged (too many files in one pick): the line's version is kept",
};

const commitLine = (c: { sha: string; title: string }) => `- ${code(shortSha(c.sha))} ${inline(c.title)}`;

export function renderConflictDraftBody(input: ConflictDraftBodyInput): string {
  const { source, branch, head, left, marked, notes } = input;
  const applied = input.applied.map((c) => `- ${code(shortSha(c.source))} → ${code(shortSha(c.picked))} ${inline(c.title)}`);
  const state: ConflictDraftState = {
    version: 1, source: source.number, branch, line: input.line,
    draft: { marked: marked.slice(0, 1000), files: input.outcome.files.slice(0, 1000), commands: input.outcome.commands.slice(0, 50), missing: input.outcome.missing.slice(0, 100) },
  };
  const outcome: ConflictOutcome = { kind: "conflict", ...input.outcome, issue: null };
  return [
    marker(conflictDraftRef(source, branch).kind, conflictDraftRef(source, branch).key),
    `Backport of ${sourceRef(source)} to ${code(branch)}, release line ${inline(input.label)}: ${inline(source.title)}`,
    `Why this target: ${inline(input.reason)}.`,
    `**The cherry-pick conflicts.** This draft holds what \`git cherry-pick -x\` leaves: ` +
      (applied.length > 0 ? `the ${applied.length === 1 ? "commit" : "commits"} that applied, then ` : "") +
      `${code(shortSha(input.conflicting.sha))} (${inline(input.conflicting.title)}) committed with git's conflict markers.`,
    ...(applied.length > 0 ? [`Applied cleanly (source → backport):\n\n${capList(applied, MAX_LISTED, andMore).join("\n")}`] : []),
    marked.length > 0
      ? `Conflict markers (\`<<<<<<<\`, \`=======\`, \`>>>>>>>\`) are in:\n\n${capList(marked.map((f) => `- ${code(f)}`), MAX_LISTED, andMore).join("\n")}`
      : "No file holds conflict markers; the notes below say what needs a hand.",
    ...(notes.length > 0 ? [`Also in conflict, without markers:\n\n${capList(notes.map((n) => `- ${code(n.path)}: ${NOTE[n.kind]}.`), MAX_LISTED, andMore).join("\n")}`] : []),
    ...(left.length > 0 ? [`Not picked yet (after the conflicting commit; pick them once it is resolved):\n\n${capList(left.map(commitLine), MAX_LISTED, andMore).join("\n")}`] : []),
    ...renderConflictHelp(branch, outcome).slice(1),
    `When the markers are gone, push to ${code(head)} and mark this pull request ready for review: lts-steward then ` +
      "treats it as the backport PR (labels, reviewers, tracking). Marked ready while markers remain, it says so and waits.",
    embedState(state),
  ].join("\n\n");
}

/** The commands that finish a draft: its branch, resolve, commit, the commits left, push. */
export function draftCommands(options: { head: string; marked: string[]; left: LeftCommit[] }): string[] {
  const { head, marked, left } = options;
  return [
    `git fetch origin ${head}`,
    `git switch -C ${head} origin/${head}`,
    // File names stay out of the commands: a path may hold anything, a line break included.
    `# resolve the conflict${marked.length === 1 ? "" : "s"} in the file${marked.length === 1 ? "" : "s"} listed above, then:`,
    "git commit -a --amend --no-edit",
    ...(left.length > 0 ? [`git cherry-pick -x ${left.map((c) => c.sha).join(" ")}`] : []),
    `git push --force-with-lease origin ${head}`,
  ];
}

/** The state of a conflict draft's body, or null (not a draft, or finished). */
export function readConflictDraft(body: string | null): ConflictDraftState | null {
  return readState(body, conflictDraftStateSchema);
}

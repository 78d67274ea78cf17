/**
 * `backport.conflicts: draft-pr`: a conflicting backport becomes a draft PR instead of an issue. While the
 * attempt still holds the backport branch (its claim, see cherry-pick.ts), the conflicting pick is committed
 * with git's conflict markers on top of the picks that applied (conflict-tree.ts computes the tree through the
 * API), the branch is moved onto it, and a draft PR is opened from it whose body says how to finish.
 *
 * Exactly once: the branch is the key. A draft whose answer was lost is found again by its head branch
 * (`listPullsByHead`), and a later run that finds the App's draft reads its conflict back from the draft's
 * body instead of picking again. A draft that cannot be made (a read or write that keeps failing) is not a
 * failed backport: the conflict is reported as without drafts, and the branch is left to no one.
 */
import type { Log } from "../log.js";
import type { Config } from "../config/schema.js";
import type { Target } from "../engine/types.js";
import { isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/types.js";
import { fitBody, fitTitle } from "../state/body-limit.js";
import { isOwn } from "../state/records.js";
import type { CherryPickResult, OnConflict } from "./cherry-pick.js";
import type { ConflictReport } from "./conflict.js";
import { conflictTree, type FileNote } from "./conflict-tree.js";
import { pickedMessage, type Pick as CommitPick } from "./picks.js";
import { renderBackportTitle } from "./render.js";
import { draftCommands, readConflictDraft, renderConflictDraftBody, type LeftCommit } from "./render-conflict-draft.js";
import type { SourcePull, TargetOutcome } from "./types.js";

/** Files larger than this are not merged through the API (GitHub serves blobs up to 100 MB). */
const MAX_BYTES = 10 * 1024 * 1024;
/** At most this many files are merged by content for one pick. */
const MAX_FILES = 100;

type ConflictOutcome = Extract<TargetOutcome, { kind: "conflict" }>;

const titleOf = (message: string) => message.split("\n", 1)[0]?.trim() ?? "";
/** A commit's subject as git names it in a conflict label: its first line that is not blank. */
const subjectOf = (message: string) => message.split("\n").find((line) => line.trim() !== "") ?? "";

/** What a draft commit holds, for the draft's body. */
interface DraftCommit {
  marked: string[];
  notes: FileNote[];
  conflicting: LeftCommit;
}

function draftMessage(pick: CommitPick, made: { marked: string[]; notes: FileNote[] }): string {
  const files = [...made.marked, ...made.notes.map((n) => n.path)];
  if (files.length === 0) return pickedMessage(pick);
  // As git wrote it before it commented the list out: the files a person has to look at.
  return `${pickedMessage(pick)}\nConflicts:\n${[...new Set(files)].map((f) => `\t${f}`).join("\n")}\n`;
}

export interface ConflictDrafts {
  /** For cherryPick: commits the conflicting pick with markers while the branch is still this attempt's. */
  onConflict: OnConflict;
  /** Opens the draft PR for a conflict whose pick was kept on the branch. */
  open(input: { target: Target; branch: string; result: Extract<CherryPickResult, { status: "conflict" }>; report: Omit<ConflictReport, "commands"> }): Promise<TargetOutcome>;
}

export interface DraftContext {
  port: GitHubPort;
  config: Config;
  source: SourcePull;
  log: Pick<Log, "info" | "warn">;
}

/** Drafts for this target's conflicts, or undefined when the config keeps today's conflict issues. */
export function conflictDrafts(ctx: DraftContext): ConflictDrafts | undefined {
  if (ctx.config.backport.conflicts !== "draft-pr") return undefined;
  const { port, config, source } = ctx;
  let made: DraftCommit | null = null;

  const onConflict: OnConflict = async ({ at, head, tree, commits }) => {
    made = null;
    try {
      const [parent, picked] = await Promise.all([port.getCommit(at.parent), port.getCommit(at.sha)]);
      // Git's labels: `HEAD` and the pick's abbreviated sha and subject. Git abbreviates to 7 characters,
      // more in a clone with many objects; GitHub's own short form is 7 too.
      const theirsLabel = `${at.sha.slice(0, 7)} (${subjectOf(picked.message)})`;
      const merged = await conflictTree(port, { base: parent.tree, ours: tree, theirs: picked.tree, oursLabel: "HEAD", theirsLabel, maxBytes: MAX_BYTES, maxFiles: MAX_FILES });
      const newTree = merged.edits.length > 0 ? await port.createTree({ base: tree, edits: merged.edits }) : tree;
      const commit = await port.createCommit({ message: draftMessage(at, merged), tree: newTree, parents: [head] });
      made = { marked: merged.marked, notes: merged.notes, conflicting: { sha: at.sha, title: titleOf(at.message) } };
      ctx.log.info({ pick: at.sha, marked: merged.marked.length, notes: merged.notes.length, applied: commits.length }, "conflicting pick committed with its markers");
      return commit.sha;
    } catch (error) {
      ctx.log.warn({ err: error, pick: at.sha }, "could not commit the conflicting pick with its markers: reporting the conflict without a draft");
      return null;
    }
  };

  async function open(input: Parameters<ConflictDrafts["open"]>[0]): Promise<TargetOutcome> {
    const { target, branch, result, report } = input;
    const kept = result.kept!;
    const draft = made ?? { marked: [], notes: [], conflicting: { sha: result.at.sha, title: titleOf(result.at.message) } };
    const left = kept.left.map((p) => ({ sha: p.sha, title: titleOf(p.message) }));
    const commands = draftCommands({ head: branch, marked: draft.marked, left });
    // The draft knows exactly which files conflict; the diagnosis (from histories) is the fallback.
    const exact = [...new Set([...draft.marked, ...draft.notes.map((n) => n.path)])];
    const outcome = { files: exact.length > 0 ? exact : report.files, commands, missing: report.missing };
    const title = fitTitle(renderBackportTitle(config.backport.title, { target: target.branch, line: target.label, title: source.title, number: source.number }));
    const body = fitBody(renderConflictDraftBody({
      source, branch: target.branch, line: target.line, label: target.label, head: branch, reason: target.reason,
      applied: kept.commits, conflicting: draft.conflicting, left, marked: draft.marked, notes: draft.notes, outcome,
    }));
    let pull: PullRequest;
    try {
      pull = await port.createPull({ title, body, head: branch, base: target.branch, draft: true });
    } catch (error) {
      // An earlier attempt whose answer was lost (or a replica) opened it first: found by its branch.
      if (!isGitHubError(error, "already-exists")) throw error;
      const found = (await port.listPullsByHead(branch)).find((p) => p.base.ref === target.branch && p.state === "open");
      if (!found) throw error;
      pull = found;
    }
    ctx.log.info({ target: target.branch, draft: pull.number, marked: draft.marked }, "conflict: draft PR opened");
    return { kind: "conflict", ...outcome, issue: null, pull: { number: pull.number, url: pull.htmlUrl } };
  }

  return { onConflict, open };
}

/** The conflict a draft of the App's stands for (read back from its body), or null for any other PR. */
export function conflictOfDraft(port: Pick<GitHubPort, "botLogin">, pull: PullRequest): ConflictOutcome | null {
  if (!isOwn(port, pull.author)) return null;
  const state = readConflictDraft(pull.body);
  if (!state) return null;
  const { files, commands, missing } = state.draft;
  return { kind: "conflict", files, commands, missing, issue: null, pull: { number: pull.number, url: pull.htmlUrl } };
}

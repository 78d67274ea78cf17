/**
 * A conflict draft (`backport.conflicts: draft-pr`) marked ready for review, or pushed to once it is: when
 * none of the files the App committed with markers holds one any more, the draft is the App's backport PR
 * from then on. In this order, so that a run that dies part-way is finished by the next event: it is
 * decorated (reviewers, then labels and milestone, as an opened backport PR is), its row in the source PR's
 * summary becomes "opened", its tracking and advisory rows become "open", and last its body becomes an
 * ordinary backport PR's body (the draft's state goes, so later events find nothing to do).
 *
 * Marked ready while markers remain, it is told so once (one comment, found again by its marker) and waits.
 */
import type { Log } from "../log.js";
import { recordAdvisoryBackportReady } from "../advisory/follow-up.js";
import type { Config } from "../config/schema.js";
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/types.js";
import { fitBody } from "../state/body-limit.js";
import { marker } from "../state/markers.js";
import { findOwn, isOwn, saveComment } from "../state/records.js";
import { once } from "./backport-targets.js";
import { cherryPickedFrom } from "./picks.js";
import { convergeDecoration, parseBackportBranch } from "./process-target.js";
import { readSummary, renderBackportBody, renderSummary } from "./render.js";
import { readConflictDraft } from "./render-conflict-draft.js";
import { code, capList, MAX_LISTED, andMore } from "./render-summary.js";
import { toSourcePull } from "./run-backport.js";
import { recordBackportReady } from "./tracking.js";
import type { PickedCommit, SourcePull, TargetRow } from "./types.js";

export type DraftFinish = "not-a-draft" | "not-ready" | "markers" | "finished";

/** At most this many files are read for markers. */
const MAX_FILES_READ = 100;

/** A conflict git wrote: a `<<<<<<<` line, later a `=======` line, later a `>>>>>>>` line. */
const MARKERS = /^<{7}(?: [^\n]*)?\r?$[\s\S]*?^={7}\r?$[\s\S]*?^>{7}(?: [^\n]*)?\r?$/m;

export const holdsMarkers = (text: string): boolean => MARKERS.test(text);

const titleOf = (message: string) => message.split("\n", 1)[0]?.trim() ?? "";

async function filesWithMarkers(port: GitHubPort, options: { files: string[]; ref: string }): Promise<string[]> {
  const found: string[] = [];
  for (const path of options.files.slice(0, MAX_FILES_READ)) {
    const text = await port.getFileText({ path, ref: options.ref });
    if (text !== null && holdsMarkers(text)) found.push(path);
  }
  return found;
}

/** The comment's marker: one per draft. */
export const markersRef = (number: number) => ({ kind: "draft-markers", key: `pr-${number}` });

export function renderMarkersRemain(number: number, files: string[]): string {
  const listed = capList(files.map((f) => `- ${code(f)}`), MAX_LISTED, andMore).join("\n");
  return [
    marker(markersRef(number).kind, markersRef(number).key),
    `This backport was marked ready for review, but conflict markers are still in:\n\n${listed}`,
    "lts-steward treats it as the backport PR once they are gone: resolve them and push to this branch (it looks again on every push).",
  ].join("\n\n");
}

/** The source of a draft: its PR (with the summary on it), or a commit pushed without one. */
async function sourceOf(port: GitHubPort, key: string, pull: PullRequest): Promise<{ source: SourcePull; labels: string[]; sourcePull: PullRequest | null }> {
  const number = /^pr-(\d+)$/.exec(key)?.[1];
  if (number) {
    const sourcePull = await port.getPull(Number(number));
    return { source: toSourcePull(sourcePull), labels: sourcePull.labels, sourcePull };
  }
  return { source: { number: 0, title: pull.title, url: "", author: "", mergedBy: null, commit: key.replace(/^commit-/, "") }, labels: [], sourcePull: null };
}

export async function finishConflictDraft(input: { port: GitHubPort; config: Config; number: number; log: Pick<Log, "info" | "warn"> }): Promise<DraftFinish> {
  const { port, config, number, log } = input;
  const pull = await port.getPull(number);
  const state = isOwn(port, pull.author) ? readConflictDraft(pull.body) : null;
  const parsed = parseBackportBranch(config.backport.branchPrefix, pull.head.ref);
  if (!state || !parsed || parsed.target !== pull.base.ref) return "not-a-draft";
  if (pull.state !== "open" || pull.draft) return "not-ready";

  const remaining = await filesWithMarkers(port, { files: state.draft.marked, ref: pull.head.sha });
  if (remaining.length > 0) {
    const ref = markersRef(number);
    const comments = await port.listComments(number);
    // Said once: a later push that leaves markers does not say it again.
    if (!findOwn(port, comments, ref)) await saveComment(port, { number, ref, body: renderMarkersRemain(number, remaining), comments });
    log.info({ pr: number, remaining }, "conflict draft marked ready with markers left: told once, waiting");
    return "markers";
  }

  const { source, labels, sourcePull } = await sourceOf(port, parsed.key, pull);
  const summaryRef = { kind: "summary", key: `pr-${source.number}` };
  const sourceComments = sourcePull ? await port.listComments(sourcePull.number) : [];
  const summaryComment = findOwn(port, sourceComments, summaryRef);
  const summary = readSummary(summaryComment?.body ?? null);
  const row = summary?.rows.find((r) => r.branch === pull.base.ref);
  const target = { branch: pull.base.ref, line: row?.line ?? state.line, label: row?.label ?? state.line, nextPatch: row?.nextPatch ?? "", reason: row?.reason ?? "" };

  // 1. Decoration, as for any backport PR of the App's (the label last: a labelled PR is decorated).
  await convergeDecoration({ port, config, labels, source, log, milestones: once(() => port.listMilestones()) }, target, number);

  // 2. The summary's row: the draft is now the opened backport.
  const commits: PickedCommit[] = (await port.listPullCommits(number)).flatMap((c) => cherryPickedFrom(c.message).map((from) => ({ source: from, picked: c.sha, title: titleOf(c.message) })));
  const link = { number, url: pull.htmlUrl };
  if (sourcePull && summary && row && row.outcome.kind === "conflict" && row.outcome.pull?.number === number) {
    const rows: TargetRow[] = summary.rows.map((r) => (r === row ? { ...r, outcome: { kind: "opened", pull: link, commits } } : r));
    const body = renderSummary({ source, rows, skipped: summary.skipped, requests: summary.requests });
    await saveComment(port, { number: sourcePull.number, ref: summaryRef, body, comments: sourceComments });
  }

  // 3. Tracking rows, fix and advisory.
  const issues = await port.listIssues({ labels: [config.tracking.label], state: "open" });
  await recordBackportReady({ port, config, issues }, { ...link, target: pull.base.ref, source: parsed.key });
  await recordAdvisoryBackportReady(port, config, { number });

  // 4. Last: an ordinary backport PR's body, without the draft's state.
  const body = renderBackportBody({ source, branch: pull.base.ref, line: target.line, label: target.label, nextPatch: target.nextPatch || "the next patch release", commits, reason: target.reason || "requested" });
  await port.updateIssue({ number, body: fitBody(body) });
  log.info({ pr: number, target: pull.base.ref }, "conflict draft resolved and ready: it is the backport PR now");
  return "finished";
}

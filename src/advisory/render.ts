/**
 * An advisory's tracking issue: one per GHSA id, found again by its marker, with a checklist row per affected
 * release line. The checklist is for people; the embedded state is what the App reads back, so ticking a box
 * by hand changes nothing. Summaries, ranges and reasons come from people and are escaped like the
 * backport renderers escape theirs.
 */
import { embedState, marker } from "../state/markers.js";
import { readState } from "../state/read-state.js";
import { allDone, rowDone } from "../state/rows.js";
import { advisoryStateSchema } from "../state/schemas.js";
import { code, inline, joinWords, lineAndBranch, ref, safeUrl, shortSha } from "../backport/render-summary.js";
import type { PullLink } from "../backport/types.js";
import type { AdvisoryFix, AdvisoryNote, AdvisoryRow, AdvisoryTracking } from "./types.js";

export { renderDismissed, renderDismissRejected, renderFixAccepted, renderFixRejected } from "./render-advisory-replies.js";

/** The marker key of an advisory's tracking issue: `ghsa-xxxx-xxxx-xxxx`. */
export const advisoryKey = (ghsaId: string): string => ghsaId.trim().toLowerCase();

const settled = (row: AdvisoryRow) => rowDone(row.status, "released");

/** Advisory tracking follows a row until its patch release (or a dismissal). */
export const advisoryDone = (rows: AdvisoryRow[]): boolean => allDone(rows, "released");

/** One line of plain text for a title. */
const flat = (text: string) => text.replace(/\s+/g, " ").trim();

/** `GHSA-… (CVE-…)`, or the GHSA id alone. */
const advisoryName = (t: AdvisoryTracking) => (t.cveId ? `${t.ghsaId} (${t.cveId})` : t.ghsaId);


/** The engine's reason without the patch version the row already shows. */
const shortReason = (row: AdvisoryRow) => inline(row.reason.replace(/;\s*the fix ships in \S+\s*$/, ""));

const pullText = (link: PullLink | null, fallback: string) => (link ? `${fallback} ${ref(link)}` : fallback);

function describeRow(row: AdvisoryRow): string {
  switch (row.status) {
    case "pending":
      return "waiting for the fix";
    case "open":
      return `${pullText(row.pull, "backport PR")} open`;
    case "merged":
      return `${pullText(row.pull, "backport PR")} merged, waiting for the ${inline(row.nextPatch)} release`;
    case "released":
      return `released in ${inline(row.releasedIn ?? row.nextPatch)}${row.pull ? ` (${ref(row.pull)})` : ""}`;
    case "conflict":
      return row.issue ? `conflict: needs a hand, see ${ref(row.issue)}` : "conflict: needs a hand";
    case "already-on-target":
      return "the fix is already on this line, waiting for the release";
    case "failed":
      return "backport failed, see the source PR's summary";
    case "closed":
      return `${pullText(row.pull, "backport PR")} closed without merging`;
    case "dismissed":
      return `dismissed: ${inline(row.dismissed ?? "no reason given")}`;
  }
}

const renderRow = (row: AdvisoryRow) =>
  `${settled(row) ? "- [x]" : "- [ ]"} ${lineAndBranch(row.label, row.branch)}, fix ships in ${inline(row.nextPatch)}: ${describeRow(row)} — ${shortReason(row)}`;

const renderNotes = (heading: string, notes: AdvisoryNote[]): string | null =>
  notes.length > 0 ? `### ${heading}\n\n${notes.map((n) => `- ${lineAndBranch(n.label, n.branch)}: ${inline(n.reason)}`).join("\n")}` : null;

const renderFix = (fix: AdvisoryFix) => (fix.kind === "pull" ? `- #${fix.number} ${inline(fix.title)}` : `- ${code(shortSha(fix.sha))} ${inline(fix.title)}`);

const POINT_AT_FIX =
  "a comment on this issue from someone with write access: `/backport security #123` for a merged pull request, or `/backport security <commit sha>` for a commit.";

function renderFixes(t: AdvisoryTracking, instructions: boolean): string {
  if (t.fixes.length > 0) {
    const more = instructions ? `\n\nIf another change is part of the fix, point lts-steward at it with ${POINT_AT_FIX}` : "";
    return `### Fix\n\n${t.fixes.map(renderFix).join("\n")}${more}`;
  }
  const none = `No commit or merged pull request on the default branch names ${inline(t.ghsaId)} yet.`;
  return `### Fix\n\n${none}${instructions ? ` Once the fix is merged, point lts-steward at it with ${POINT_AT_FIX}` : ""}`;
}

function renderHowItWorks(rows: AdvisoryRow[]): string {
  const example = rows[0] ? ` For example: ${code(`/dismiss ${flat(rows[0].label)} <reason>`)}.` : "";
  return [
    "### How this issue works",
    "lts-steward ticks a row when the patch release carrying its backport ships, and closes this issue when every row is released or dismissed. " +
      "Ticking a box by hand changes nothing.",
    `To dismiss a row that will not get a fix, someone with write access can comment ${code("/dismiss <line> <reason>")} on this issue.${example}`,
  ].join("\n\n");
}

function renderIntro(t: AdvisoryTracking): string {
  const url = safeUrl(t.advisoryUrl);
  const name = url ? `[${inline(t.ghsaId)}](${url})` : inline(t.ghsaId);
  const cve = t.cveId ? ` (${inline(t.cveId)})` : "";
  const ranges = t.ranges.length > 0 ? `versions within ${joinWords(t.ranges.map(code), "or")}` : "no version range that lts-steward knows of";
  return `Security advisory ${name}${cve}: ${inline(t.summary)}\n\nIt covers ${ranges}; the release lines below were assessed on ${inline(t.assessedOn)}.`;
}

/** Lines that already have the fix: a table of lines and the releases that patched them. */
function renderPatched(t: AdvisoryTracking): string | null {
  const patched = t.patched ?? [];
  if (patched.length === 0) return null;
  const rows = patched.map((p) => `| ${inline(p.label)} | ${code(p.branch)} | ${p.patchedIn ? inline(p.patchedIn) : "not released yet; the branch has the fix"} |`);
  return ["### Patched lines", "| Line | Branch | Patched in |\n| --- | --- | --- |\n" + rows.join("\n")].join("\n\n");
}

function renderMismatches(t: AdvisoryTracking): string | null {
  const list = t.mismatches ?? [];
  return list.length > 0 ? `### Advisory and releases disagree\n\n${list.map((m) => `- ${inline(m)}`).join("\n")}\n\nCorrect the advisory's patched versions (or publish the missing release).` : null;
}

/** For each line still missing its patched release: what a maintainer does next. */
function renderWhatToDo(t: AdvisoryTracking): string | null {
  const open = t.rows.filter((r) => !settled(r));
  if (t.withdrawn || open.length === 0 || (t.patched ?? []).length === 0) return null;
  const steps = open.map((r) => `- ${lineAndBranch(r.label, r.branch)} has no patched release: merge the fix onto ${code(r.branch)} (the backport below), publish ${inline(r.nextPatch)}, and add ${inline(r.nextPatch)} to the advisory's patched versions.`);
  return `### What to do\n\nThe other lines already shipped the fix; these did not:\n\n${steps.join("\n")}`;
}

/** Every live row merged (or already on its line), none released yet: the patch releases can go out together. */
function renderReleaseOffer(t: AdvisoryTracking): string | null {
  const live = t.rows.filter((r) => r.status !== "dismissed");
  if (t.withdrawn || live.length === 0 || !live.every((r) => r.status === "merged" || r.status === "already-on-target")) return null;
  const command = `/release ${live.map((r) => r.line.replace(/\.0\.x$|\.x$/, "")).join(" ")}`;
  return `### Release\n\nThe fix is merged on every affected line. With ${code("release:")} in the config, someone with write access can publish the patch releases together by commenting ${code(command)} (upcoming lines are released on their own day).`;
}

export function renderAdvisoryIssue(t: AdvisoryTracking): { title: string; body: string } {
  const instructions = !t.withdrawn && t.rows.length > 0;
  const patchedBranches = new Set((t.patched ?? []).map((p) => p.branch));
  const nothingToDo = (t.patched ?? []).length > 0
    ? "Every affected release line already has the fix, so there is nothing to backport: this issue records where it shipped and is closed at once."
    : "No supported or upcoming release line is affected, so there is nothing to backport.";
  const affected = t.rows.length > 0 ? `### Affected lines\n\n${t.rows.map(renderRow).join("\n")}` : nothingToDo;
  const parts = [
    marker("advisory", advisoryKey(t.ghsaId)),
    t.withdrawn ? "**This advisory was withdrawn.** lts-steward does no further work on it; the rows below show where things stood." : null,
    renderIntro(t),
    affected,
    renderWhatToDo(t),
    renderReleaseOffer(t),
    renderPatched(t),
    renderMismatches(t),
    renderNotes("Not affected", t.unaffected.filter((n) => !patchedBranches.has(n.branch))),
    renderNotes("Past end of support (no fix planned)", t.endOfSupport),
    renderFixes(t, instructions),
    instructions ? renderHowItWorks(t.rows) : null,
    embedState({ version: 1, tracking: t }),
  ];
  const title = `${t.withdrawn ? "[withdrawn] " : ""}${flat(advisoryName(t))}: ${flat(t.summary)}`;
  return { title, body: parts.filter((p): p is string => p !== null).join("\n\n") };
}

/** The comment posted when every row is settled: where each fix shipped, or why it was dismissed. */
export function renderAdvisoryClosing(t: AdvisoryTracking): string {
  const items = t.rows.map((row) => {
    const where = lineAndBranch(row.label, row.branch);
    if (row.status === "released") return `- ${where}: the fix shipped in ${inline(row.releasedIn ?? row.nextPatch)}${row.pull ? ` (${ref(row.pull)})` : ""}`;
    return `- ${where}: ${describeRow(row)}`;
  });
  return [marker("advisory-closed", advisoryKey(t.ghsaId)), `Every affected release line of ${inline(t.ghsaId)} is done, so this issue is closed.`, items.join("\n")].join("\n\n");
}

/** The comment posted when the advisory is withdrawn: the App stops, and leaves open work for people to close. */
export function renderWithdrawnComment(t: AdvisoryTracking): string {
  const list = (pick: (r: AdvisoryRow) => PullLink | null) =>
    t.rows.flatMap((r) => {
      const link = pick(r);
      return link ? [`- ${ref(link)} for ${lineAndBranch(r.label, r.branch)}`] : [];
    });
  const open = list((r) => (r.status === "open" ? r.pull : null));
  const conflicts = list((r) => (r.status === "conflict" ? r.issue : null));
  const parts = [
    marker("advisory-withdrawn", advisoryKey(t.ghsaId)),
    `${inline(t.ghsaId)} was withdrawn, so lts-steward closed this issue and will do nothing more for it.`,
    open.length > 0 ? `These backport PRs are still open; close them by hand if they are no longer wanted:\n\n${open.join("\n")}` : "No backport PR is open.",
    conflicts.length > 0 ? `These conflict issues still wait for a hand; close them too if the backport is no longer wanted:\n\n${conflicts.join("\n")}` : null,
  ];
  return parts.filter((p): p is string => p !== null).join("\n\n");
}

/** The tracking an advisory issue was rendered from; null when absent or not of this shape. */
export function readAdvisoryIssue(body: string | null): AdvisoryTracking | null {
  return readState(body, advisoryStateSchema)?.tracking ?? null;
}

/**
 * Commands on an advisory's tracking issue, from people allowed to ask (same rule as `/backport` on PRs):
 * `/backport security <PR or commit>` points the App at the fix when it was not found, and
 * `/dismiss <line> <reason>` settles a row that will not get a fix, and `/release <selector or lines>`
 * dispatches the configured release workflow on each named supported line (release.ts).
 */
import { computeLines } from "../engine/lines.js";
import { isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import { passGate, type CommandInput } from "../backport/command-gate.js";
import { readReleaseHistory } from "../workflows/release-state.js";
import { backportFixes } from "./backport-fixes.js";
import { readAdvisoryIssue, renderDismissed, renderDismissRejected, renderFixAccepted, renderFixRejected } from "./render.js";
import { isOwn } from "../state/records.js";
import { saveAdvisoryIssue } from "./save-issue.js";
import { dispatchReleases, planRelease, renderReleaseDispatched, renderReleaseNotConfigured, renderReleaseRefused } from "./release.js";
import type { AdvisoryFix, AdvisoryTracking } from "./types.js";

export type AdvisoryCommand = { kind: "fix"; ref: string } | { kind: "dismiss"; line: string; reason: string } | { kind: "release"; words: string[] };

/** `/backport security <ref>`, `/dismiss <line> [reason]` or `/release <selector or lines>` on the first line; null for anything else. */
export function parseAdvisoryCommand(body: string): AdvisoryCommand | null {
  const first = (body.trimStart().split(/\r?\n/, 1)[0] ?? "").trim();
  const fix = /^\/backport\s+security\s+(\S+)\s*$/i.exec(first);
  if (fix?.[1]) return { kind: "fix", ref: fix[1] };
  const dismiss = /^\/dismiss\s+(\S+)(?:\s+(.+))?$/i.exec(first);
  if (dismiss?.[1]) return { kind: "dismiss", line: dismiss[1], reason: dismiss[2]?.trim() ?? "" };
  const release = /^\/release\s+(\S.*)$/i.exec(first);
  if (release?.[1]) return { kind: "release", words: release[1].trim().split(/[\s,]+/).filter((w) => w !== "") };
  return null;
}

export type AdvisoryCommandInput = CommandInput;

/** Resolves `#123`, `123` or a commit sha to a fix on the default branch, or says why not. */
async function resolveFix(port: GitHubPort, ref: string, defaultBranch: string): Promise<AdvisoryFix | { problem: string }> {
  const number = /^#?(\d+)$/.exec(ref)?.[1];
  try {
    if (number) {
      const pull = await port.getPull(Number(number));
      if (!pull.merged) return { problem: "it is not a merged pull request" };
      if (pull.base.ref !== defaultBranch) return { problem: `it was merged into ${pull.base.ref}, not ${defaultBranch}` };
      return { kind: "pull", number: pull.number, title: pull.title, url: pull.htmlUrl };
    }
    if (!/^[0-9a-f]{7,40}$/i.test(ref)) return { problem: "it is neither a pull request number nor a commit sha" };
    const commit = await port.getCommit(ref);
    const onDefault = await port.compare(commit.sha, defaultBranch);
    if (onDefault.status !== "identical" && onDefault.status !== "ahead") return { problem: `the commit is not on ${defaultBranch}` };
    return { kind: "commit", sha: commit.sha, title: commit.message.split("\n", 1)[0]?.trim() ?? "" };
  } catch (error) {
    if (isGitHubError(error, "not-found") || isGitHubError(error, "invalid")) return { problem: "GitHub does not know it in this repository" };
    throw error;
  }
}

const sameFix = (a: AdvisoryFix, b: AdvisoryFix) => (a.kind === "pull" && b.kind === "pull" ? a.number === b.number : a.kind === "commit" && b.kind === "commit" && a.sha === b.sha);

export async function runAdvisoryCommand(input: AdvisoryCommandInput): Promise<string> {
  const { port, number, comment } = input;
  const command = parseAdvisoryCommand(comment.body);
  if (!command) return "not-a-command";
  const issue = await port.getIssue(number);
  // Only the App's own advisory issue takes advisory commands: a look-alike from anyone else is not state.
  const tracking = isOwn(port, issue.author) ? readAdvisoryIssue(issue.body) : null;
  // `/release` also works on any other issue (the private-fork way: the releases go out before the advisory,
  // and so before its record exists); the other commands need the record.
  if (!tracking && command.kind !== "release") return "not-an-advisory-issue";
  const gate = await passGate({ port, number, comment, config: input.config });
  if (!gate.open) return gate.result;
  const { config, policy, reply } = gate;
  const save = (next: AdvisoryTracking) => saveAdvisoryIssue(port, { config, found: issue, tracking: next });
  if (command.kind === "release") {
    if (!config.release) {
      await reply(renderReleaseNotConfigured(comment.id));
      return "rejected";
    }
    const lines = computeLines(policy, await readReleaseHistory(port, policy), input.today);
    const plan = planRelease({ words: command.words, lines, policy, tracking, release: config.release });
    if (!plan.ok) {
      await reply(renderReleaseRefused({ commentId: comment.id, problem: plan.problem }));
      return "rejected";
    }
    const results = await dispatchReleases(port, config.release, plan.lines);
    input.log.info({ number, dispatched: results.filter((r) => r.dispatched).map((r) => r.branch), failed: results.filter((r) => !r.dispatched).map((r) => r.branch) }, "release workflow dispatched");
    await reply(renderReleaseDispatched({ commentId: comment.id, workflow: config.release.workflow, results, skipped: plan.skipped, tracked: tracking !== null }));
    return "released";
  }
  if (!tracking) return "not-an-advisory-issue";
  if (command.kind === "dismiss") {
    const wanted = command.line.toLowerCase();
    const row = tracking.rows.find((r) => [r.line, r.label, r.branch].some((name) => name.toLowerCase() === wanted));
    if (!row) {
      await reply(renderDismissRejected({ commentId: comment.id, line: command.line, known: tracking.rows.map((r) => r.label) }));
      return "rejected";
    }
    const reason = command.reason || `dismissed by @${comment.author}`;
    await save({ ...tracking, rows: tracking.rows.map((r) => (r === row ? { ...r, status: "dismissed", dismissed: reason } : r)) });
    await reply(renderDismissed({ commentId: comment.id, line: row.line, reason }));
    return "dismissed";
  }
  const fix = await resolveFix(port, command.ref, input.defaultBranch);
  if ("problem" in fix) {
    await reply(renderFixRejected({ commentId: comment.id, ref: command.ref, reason: fix.problem }));
    return "rejected";
  }
  const lines = computeLines(policy, await readReleaseHistory(port, policy), input.today);
  const rows = await backportFixes({ port, config, fixes: [fix], rows: tracking.rows, lines, defaultBranch: input.defaultBranch, log: input.log });
  const fixes = tracking.fixes.some((f) => sameFix(f, fix)) ? tracking.fixes : [...tracking.fixes, fix];
  await save({ ...tracking, fixes, rows });
  await reply(renderFixAccepted({ commentId: comment.id, fix, targets: rows.filter((r) => r.pull || r.issue).map((r) => ({ branch: r.branch, line: r.label })) }));
  return "backported";
}

/**
 * One target of one fix: find an earlier backport PR, or cherry-pick and open one, or explain the conflict.
 * Every failure becomes an outcome for this target only; the other targets go on.
 */
import type { Config } from "../config/schema.js";
import type { Target } from "../engine/types.js";
import { describeGitHubError, isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import type { Milestone, PullRequest } from "../github/types.js";
import { cherryPick } from "./cherry-pick.js";
import { diagnoseConflict, finishCommands } from "./conflict.js";
import type { PickPlan } from "./picks.js";
import { renderBackportBody, renderBackportTitle } from "./render.js";
import { lineLabel } from "./targets.js";
import { sourceKey, type SourcePull, type TargetOutcome } from "./types.js";

export interface TargetLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface TargetContext {
  port: GitHubPort;
  config: Config;
  /** The source's labels (copied by `copyLabels`); none for a commit. */
  labels: string[];
  source: SourcePull;
  defaultBranch: string;
  /** Read once per job, on first need. */
  plan: () => Promise<PickPlan>;
  milestones: () => Promise<Milestone[]>;
  log: TargetLog;
}

/** `<prefix><target>/<key>`, the key being `pr-123` or `commit-1a2b3c4d5e6f` (see `sourceKey`). */
export const backportBranch = (prefix: string, target: string, key: string) => `${prefix}${target}/${key}`;

/** Parses a backport branch name back into its target and source key (`pr-123`, `commit-…`). */
export function parseBackportBranch(prefix: string, branch: string): { target: string; key: string } | null {
  if (!branch.startsWith(prefix)) return null;
  const match = /^(.+)\/(pr-\d+|commit-[0-9a-f]{7,40})$/.exec(branch.slice(prefix.length));
  return match?.[1] && match[2] ? { target: match[1], key: match[2] } : null;
}

const pullState = (p: PullRequest) => (p.merged ? "merged" : p.state);

async function existingBackport(ctx: TargetContext, branch: string, base: string): Promise<TargetOutcome | null> {
  const found = (await ctx.port.listPullsByHead(branch)).find((p) => p.base.ref === base);
  return found ? { kind: "exists", pull: { number: found.number, url: found.htmlUrl }, state: pullState(found) } : null;
}

const globToRegExp = (glob: string) => new RegExp(`^${glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");

/** Labels for the backport PR: the source's labels that match `copyLabels` (never request labels), plus the backport label. */
export function backportLabels(config: Config, sourceLabels: string[]): string[] {
  const patterns = config.backport.copyLabels.map(globToRegExp);
  const prefix = config.backport.labelPrefix.toLowerCase();
  const copied = sourceLabels.filter((l) => !l.toLowerCase().startsWith(prefix) && patterns.some((p) => p.test(l)));
  return [...new Set([...copied, config.backport.label])];
}

export function reviewersFor(config: Config, source: SourcePull): string[] {
  const { author, merger, extra } = config.backport.reviewers;
  const wanted = [...(author ? [source.author] : []), ...(merger && source.mergedBy ? [source.mergedBy] : []), ...extra];
  const seen = new Set<string>();
  return wanted.filter((login) => {
    const key = login.toLowerCase();
    if (login.endsWith("[bot]") || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Labels, milestone and reviewers: a failure here is noted, never a failed backport. */
async function decorate(ctx: TargetContext, created: PullRequest, target: Target): Promise<void> {
  const { port, config } = ctx;
  let milestone: number | undefined;
  if (config.backport.milestone) {
    const title = config.backport.milestone.replaceAll("{line}", target.line).replaceAll("{nextPatch}", target.nextPatch);
    milestone = (await ctx.milestones()).find((m) => m.state === "open" && m.title === title)?.number;
  }
  try {
    await port.updateIssue({ number: created.number, labels: backportLabels(config, ctx.labels), ...(milestone ? { milestone } : {}) });
  } catch (error) {
    ctx.log.warn({ err: error, pr: created.number }, "could not label the backport PR");
  }
  const reviewers = reviewersFor(config, ctx.source);
  if (reviewers.length === 0) return;
  try {
    await port.requestReviewers({ number: created.number, reviewers });
  } catch (error) {
    ctx.log.warn({ err: error, pr: created.number, reviewers }, "could not request reviewers on the backport PR");
  }
}

export async function processTarget(ctx: TargetContext, target: Target): Promise<TargetOutcome> {
  const { port, config, source } = ctx;
  const branch = backportBranch(config.backport.branchPrefix, target.branch, sourceKey(source));
  try {
    const existing = await existingBackport(ctx, branch, target.branch);
    if (existing) return existing;
    const onto = await port.getBranch(target.branch);
    if (!onto) return { kind: "failed", reason: `the branch ${target.branch} does not exist` };
    const plan = await ctx.plan();
    const result = await cherryPick(port, { branch, onto, picks: plan.picks });
    if (result.status === "empty") return { kind: "empty" };
    if (result.status === "conflict") {
      const report = await diagnoseConflict(port, { at: result.at, onto });
      const commands = finishCommands({ plan, target: target.branch, branch, defaultBranch: ctx.defaultBranch });
      return { kind: "conflict", ...report, commands, issue: null };
    }
    const title = renderBackportTitle(config.backport.title, { target: target.branch, line: lineLabel(target), title: source.title, number: source.number });
    const body = renderBackportBody({ source, branch: target.branch, line: lineLabel(target), nextPatch: target.nextPatch, commits: result.commits, reason: target.reason });
    let created: PullRequest;
    try {
      created = await port.createPull({ title, body, head: branch, base: target.branch });
    } catch (error) {
      // A replica (or an earlier attempt whose answer was lost) opened it first.
      if (!isGitHubError(error, "already-exists")) throw error;
      return (await existingBackport(ctx, branch, target.branch)) ?? { kind: "failed", reason: describeGitHubError(error) };
    }
    await decorate(ctx, created, target);
    ctx.log.info({ target: target.branch, backport: created.number }, "backport PR opened");
    return { kind: "opened", pull: { number: created.number, url: created.htmlUrl }, commits: result.commits };
  } catch (error) {
    ctx.log.warn({ err: error, target: target.branch }, "backport failed");
    return { kind: "failed", reason: isGitHubError(error) ? describeGitHubError(error) : `unexpected error: ${(error as Error).message}` };
  }
}

/**
 * One target of one fix: find an earlier backport PR, or cherry-pick and open one, or explain the conflict.
 * Every failure becomes an outcome for this target only; the other targets go on.
 */
import type { Log } from "../log.js";
import type { Config } from "../config/schema.js";
import type { Target } from "../engine/types.js";
import { describeGitHubError, isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import type { BranchHead, Milestone, PullRequest } from "../github/types.js";
import { cherryPick, type CherryPickResult, type OnConflict } from "./cherry-pick.js";
import { diagnoseConflict, finishCommands } from "./conflict.js";
import { conflictDrafts, conflictOfDraft } from "./conflict-draft.js";
import type { Pick as CommitPick, PickPlan } from "./picks.js";
import { renderBackportBody, renderBackportTitle } from "./render.js";
import { fitBody, fitTitle } from "../state/body-limit.js";
import { isOwn } from "../state/records.js";
import { sourceKey, type SourcePull, type TargetOutcome } from "./types.js";

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
  log: Pick<Log, "info" | "warn">;
}

/** What decorating a backport PR reads: the config, the source and its labels, the milestones. */
export type DecorationContext = Pick<TargetContext, "port" | "config" | "labels" | "source" | "milestones" | "log">;

/** `<prefix><target>/<key>`, the key being `pr-123` or `commit-1a2b3c4d5e6f` (see `sourceKey`). */
export const backportBranch = (prefix: string, target: string, key: string) => `${prefix}${target}/${key}`;

/** Parses a backport branch name back into its target and source key (`pr-123`, `commit-…`). */
export function parseBackportBranch(prefix: string, branch: string): { target: string; key: string } | null {
  if (!branch.startsWith(prefix)) return null;
  const match = /^(.+)\/(pr-\d+|commit-[0-9a-f]{7,40})$/.exec(branch.slice(prefix.length));
  return match?.[1] && match[2] ? { target: match[1], key: match[2] } : null;
}

const pullState = (p: PullRequest) => (p.merged ? "merged" : p.state);

type Existing = Extract<TargetOutcome, { kind: "exists" | "conflict" }> & { head: string };

/**
 * An earlier backport PR for this branch and target, in any state; an open one of the App's is decorated if it
 * is not yet. The App's conflict draft (`backport.conflicts: draft-pr`) stands for its conflict.
 */
async function existingBackport(ctx: TargetContext, branch: string, target: Target): Promise<Existing | null> {
  const found = (await ctx.port.listPullsByHead(branch)).find((p) => p.base.ref === target.branch);
  if (!found) return null;
  const draft = found.state === "open" ? conflictOfDraft(ctx.port, found) : null;
  if (draft) return { ...draft, head: found.head.sha };
  if (found.state === "open" && isOwn(ctx.port, found.author)) await decorate(ctx, found, target);
  return { kind: "exists", pull: { number: found.number, url: found.htmlUrl }, state: pullState(found), head: found.head.sha };
}

const withoutHead = ({ head: _head, ...outcome }: Existing): TargetOutcome => outcome;

/**
 * A target settled in an earlier run with an open PR of the App's: its decoration converges (a run that died
 * after opening it, or whose labelling kept failing, left it undecorated). One read.
 */
export async function convergeDecoration(ctx: DecorationContext, target: Pick<Target, "branch" | "line" | "nextPatch">, number: number): Promise<void> {
  try {
    const pull = await ctx.port.getPull(number);
    if (pull.state === "open" && isOwn(ctx.port, pull.author)) await decorate(ctx, pull, target);
  } catch (error) {
    ctx.log.warn({ err: error, pr: number }, "could not check the backport PR's labels and reviewers");
  }
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

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Reviewers, then labels and milestone, converging from what the PR has: a run that died after opening the
 * PR (or whose answers were lost) finishes the decoration on the next run, and nothing is asked twice. The
 * backport label goes on last, so a PR that has it is decorated. A failure here is noted, never a failed
 * backport.
 */
async function decorate(ctx: DecorationContext, pull: PullRequest, target: Pick<Target, "branch" | "line" | "nextPatch">): Promise<void> {
  const { port, config } = ctx;
  if (pull.labels.some((l) => sameLogin(l, config.backport.label))) return;
  const reviewers = reviewersFor(config, ctx.source).filter((r) => !pull.requestedReviewers.some((x) => sameLogin(x, r)));
  if (reviewers.length > 0) {
    try {
      await port.requestReviewers({ number: pull.number, reviewers });
    } catch (error) {
      ctx.log.warn({ err: error, pr: pull.number, reviewers }, "could not request reviewers on the backport PR");
    }
  }
  let milestone: number | undefined;
  if (config.backport.milestone) {
    const title = config.backport.milestone.replaceAll("{line}", target.line).replaceAll("{nextPatch}", target.nextPatch);
    milestone = (await ctx.milestones()).find((m) => m.state === "open" && m.title === title)?.number;
  }
  const labels = [...new Set([...pull.labels, ...backportLabels(config, ctx.labels)])];
  try {
    await port.updateIssue({ number: pull.number, labels, ...(milestone && pull.milestone !== milestone ? { milestone } : {}) });
  } catch (error) {
    ctx.log.warn({ err: error, pr: pull.number }, "could not label the backport PR");
  }
}

/**
 * Replicas and restarts: how often a target another attempt is building is looked at, when that attempt's
 * claim counts as abandoned (its branch has not moved for longer than a request may take, see
 * GITHUB_REQUEST_TIMEOUT_MS), and how long this attempt waits for a live one before leaving it for now.
 */
export const CLAIM_TIMING = { pollMs: 1_000, staleMs: 20_000, giveUpMs: 10 * 60_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Built = { kind: "built"; result: Exclude<CherryPickResult, { status: "busy" }> } | Existing | { kind: "busy" };

/**
 * Builds the backport branch once across attempts and replicas. While another attempt holds the branch (the
 * claim, see cherry-pick.ts) this one only reads: it waits for that attempt's PR, and takes the claim over
 * when the branch has stood still for `staleMs` (judged first by GitHub's clock, then by how long this
 * attempt has watched it) or is gone. A live attempt that takes longer than `giveUpMs` is left to finish; the
 * target stays unsettled and the next run looks again.
 */
async function buildOnce(ctx: TargetContext, options: { branch: string; target: Target; onto: BranchHead; picks: CommitPick[]; onConflict?: OnConflict | undefined }): Promise<Built> {
  const { pollMs, staleMs, giveUpMs } = CLAIM_TIMING;
  const started = Date.now();
  let takeOver = false;
  for (;;) {
    const result = await cherryPick(ctx.port, { branch: options.branch, onto: options.onto, picks: options.picks, staleMs: takeOver ? 0 : staleMs, onConflict: options.onConflict });
    if (result.status !== "busy") return { kind: "built", result };
    ctx.log.info({ target: options.target.branch, head: result.head }, "another attempt is building this backport: waiting for it");
    let watched = { head: result.head, since: Date.now() - result.age };
    takeOver = false;
    while (!takeOver) {
      if (Date.now() - started >= giveUpMs) return { kind: "busy" };
      await sleep(pollMs);
      const existing = await existingBackport(ctx, options.branch, options.target);
      if (existing) return existing;
      const head = (await ctx.port.getBranch(options.branch))?.sha ?? null;
      if (head === null) break; // its owner gave it up: claim it
      if (head !== watched.head) watched = { head, since: Date.now() };
      else takeOver = Date.now() - watched.since >= staleMs;
    }
  }
}

export async function processTarget(ctx: TargetContext, target: Target): Promise<TargetOutcome> {
  const { port, config, source } = ctx;
  const branch = backportBranch(config.backport.branchPrefix, target.branch, sourceKey(source));
  try {
    const existing = await existingBackport(ctx, branch, target);
    if (existing) return withoutHead(existing);
    const onto = await port.getBranch(target.branch);
    if (!onto) return { kind: "failed", reason: `the branch ${target.branch} does not exist` };
    const plan = await ctx.plan();
    const drafts = conflictDrafts(ctx);
    const built = await buildOnce(ctx, { branch, target, onto, picks: plan.picks, onConflict: drafts?.onConflict });
    if (built.kind === "exists" || built.kind === "conflict") return withoutHead(built);
    if (built.kind === "busy") return { kind: "failed", reason: "another attempt is still building this backport; the next run looks again" };
    const result = built.result;
    if (result.status === "empty") return { kind: "empty" };
    if (result.status === "conflict") {
      const report = await diagnoseConflict(port, { at: result.at, onto });
      if (result.kept && drafts) return await drafts.open({ target, branch, result, report });
      const commands = finishCommands({ plan, target: target.branch, branch, defaultBranch: ctx.defaultBranch });
      return { kind: "conflict", ...report, commands, issue: null };
    }
    // The source's title and commits are anyone's text: both are fitted to what GitHub takes.
    const title = fitTitle(renderBackportTitle(config.backport.title, { target: target.branch, line: target.label, title: source.title, number: source.number }));
    const body = fitBody(renderBackportBody({ source, branch: target.branch, line: target.line, label: target.label, nextPatch: target.nextPatch, commits: result.commits, reason: target.reason }));
    let created: PullRequest;
    try {
      created = await port.createPull({ title, body, head: branch, base: target.branch });
    } catch (error) {
      // An earlier attempt whose answer was lost (or a replica) opened it first.
      if (!isGitHubError(error, "already-exists")) throw error;
      const existing = await existingBackport(ctx, branch, target);
      // Its head is the branch this attempt just placed: it is this run's PR, with these commits.
      if (existing?.kind === "exists" && existing.state === "open" && existing.head === result.head) return { kind: "opened", pull: existing.pull, commits: result.commits };
      return existing ? withoutHead(existing) : { kind: "failed", reason: describeGitHubError(error) };
    }
    await decorate(ctx, created, target);
    ctx.log.info({ target: target.branch, backport: created.number }, "backport PR opened");
    return { kind: "opened", pull: { number: created.number, url: created.htmlUrl }, commits: result.commits };
  } catch (error) {
    ctx.log.warn({ err: error, target: target.branch }, "backport failed");
    return { kind: "failed", reason: isGitHubError(error) ? describeGitHubError(error) : `unexpected error: ${(error as Error).message}` };
  }
}

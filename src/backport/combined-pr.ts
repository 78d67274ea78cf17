/**
 * A combined backport PR's text and decoration (src/backport/combined.ts builds its branch): its title and
 * body say which fixes it carries, with the fixes its body named first and nothing rewritten; the fixes just
 * added get their reviewers, labels and the milestone, converging from what the PR has.
 */
import type { Target } from "../engine/types.js";
import type { CommitSummary, PullRequest } from "../github/types.js";
import { fitBody, fitTitle } from "../state/body-limit.js";
import type { CombinedContext, CombinedSource } from "./combined.js";
import { cherryPickedFrom, type PickPlan } from "./picks.js";
import { backportLabels, reviewersFor } from "./process-target.js";
import { readCombined, renderCombinedBody, renderCombinedTitle, type CombinedEntry } from "./render-combined.js";
import { sourceRef, type SourcePull } from "./types.js";

/** Reviewers, labels and milestone the fixes just added ask for, converging from what the PR has. Failures are noted. */
async function decorate(ctx: CombinedContext, pull: PullRequest, target: Target, added: CombinedSource[]): Promise<void> {
  const { port, config } = ctx;
  const requested = new Set([...pull.requestedReviewers, pull.author].map((l) => l.toLowerCase()));
  const reviewers = [...new Set(added.flatMap((s) => reviewersFor(config, s.source)))].filter((r) => !requested.has(r.toLowerCase()));
  if (reviewers.length > 0) {
    try {
      await port.requestReviewers({ number: pull.number, reviewers });
    } catch (error) {
      ctx.log.warn({ err: error, pr: pull.number, reviewers }, "could not request reviewers on the combined backport PR");
    }
  }
  const has = new Set(pull.labels.map((l) => l.toLowerCase()));
  const wanted = [...new Set(added.flatMap((s) => backportLabels(config, s.labels)))].filter((l) => !has.has(l.toLowerCase()));
  let milestone: number | undefined;
  if (config.backport.milestone && pull.milestone === null) {
    const title = config.backport.milestone.replaceAll("{line}", target.line).replaceAll("{nextPatch}", target.nextPatch);
    milestone = (await ctx.milestones()).find((m) => m.state === "open" && m.title === title)?.number;
  }
  if (wanted.length === 0 && milestone === undefined) return;
  try {
    await port.updateIssue({ number: pull.number, labels: [...pull.labels, ...wanted], ...(milestone !== undefined ? { milestone } : {}) });
  } catch (error) {
    ctx.log.warn({ err: error, pr: pull.number }, "could not label the combined backport PR");
  }
}

/** A fix's entry in the PR body: its commits on the combined branch, found by the picks they were made from. */
export function entryOf(source: SourcePull, plan: PickPlan, commits: CommitSummary[]): CombinedEntry {
  const picks = new Set(plan.picks.map((p) => p.sha));
  const mine = commits.flatMap((c) => cherryPickedFrom(c.message).filter((s) => picks.has(s)).map((s) => ({ source: s, picked: c.sha, title: c.message.split("\n", 1)[0]?.trim() ?? "" })));
  return { number: source.number, ...(source.commit ? { commit: source.commit } : {}), title: source.title, url: source.url, commits: mine };
}

const sameSource = (a: CombinedEntry, b: CombinedEntry) => a.number === b.number && (a.commit ?? "") === (b.commit ?? "");

/** The PR's title and body with these fixes after those its body names already, and whether that changes them. */
export function saveText(ctx: CombinedContext, target: Target, pull: PullRequest | null, entries: CombinedEntry[]): { title: string; body: string; changed: boolean } {
  const { config } = ctx;
  const earlier = readCombined(pull?.body ?? null)?.sources ?? [];
  // What the body said stays as it was; fixes it does not name yet are added after it.
  const ordered = [...earlier, ...entries.filter((n) => !earlier.some((e) => sameSource(e, n)))];
  const title = fitTitle(renderCombinedTitle(config.backport.combine.title, { target: target.branch, line: target.label, titles: ordered.map((s) => s.title), numbers: ordered.map((s) => sourceRef(s)) }));
  const body = fitBody(renderCombinedBody({ branch: target.branch, line: target.line, label: target.label, nextPatch: target.nextPatch, reason: target.reason, sources: ordered }));
  return { title, body, changed: pull === null || pull.title !== title || (pull.body ?? "") !== body };
}

/** The PR's title and body say what it carries, and the fixes just added get their reviewers and labels. */
export async function converge(ctx: CombinedContext, target: Target, pull: PullRequest, entries: { source: CombinedSource; entry: CombinedEntry }[], decorateFor?: CombinedSource[]): Promise<boolean> {
  const text = saveText(ctx, target, pull, entries.map((e) => e.entry));
  if (text.changed) await ctx.port.updateIssue({ number: pull.number, title: text.title, body: text.body });
  const backportLabel = ctx.config.backport.label.toLowerCase();
  const undecorated = !pull.labels.some((l) => l.toLowerCase() === backportLabel);
  const forWhom = decorateFor ?? (undecorated ? entries.map((e) => e.source) : []);
  if (forWhom.length > 0) await decorate(ctx, pull, target, forWhom);
  return text.changed;
}


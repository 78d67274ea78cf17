/**
 * Combined backports: one PR per line that carries several fixes, their commits in the order the fixes
 * landed on the default branch, as teams make them on security days.
 *
 * The line's combined PR comes from one branch, `<prefix><target>/combined`. What it carries is read from
 * its commits (the `cherry picked from commit …` lines), not from its body, so a run that died after moving
 * the branch is seen through. New fixes are picked on a scratch branch, `<prefix><target>/combined-next`,
 * which is also the claim on the line (cherry-pick.ts): one attempt at a time appends. The combined branch
 * then moves by fast-forward only: its commits are appended, never rewritten, and an attempt whose
 * fast-forward is refused (another one appended first) reads the line again and picks onto the new head.
 * After the PR is merged or closed, the next fix starts a new PR on the same branch.
 */
import type { Log } from "../log.js";
import type { Config } from "../config/schema.js";
import type { Target } from "../engine/types.js";
import { describeGitHubError, isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import type { BranchHead, CommitSummary, Milestone, PullRequest } from "../github/types.js";
import { isOwn } from "../state/records.js";
import { cherryPickSeries, releaseBranch, type SeriesResult } from "./cherry-pick.js";
import { diagnoseConflict, finishCommands } from "./conflict.js";
import { cherryPickedFrom, type PickPlan } from "./picks.js";
import { backportBranch, CLAIM_TIMING } from "./process-target.js";
import { converge, entryOf, saveText } from "./combined-pr.js";
import type { CombinedEntry } from "./render-combined.js";
import { sourceKey, type PullLink, type SourcePull, type TargetOutcome } from "./types.js";

export interface CombinedSource {
  source: SourcePull;
  /** The source's labels (`copyLabels` picks from them). */
  labels: string[];
  plan: () => Promise<PickPlan>;
}

export interface CombinedContext {
  port: GitHubPort;
  config: Config;
  defaultBranch: string;
  milestones: () => Promise<Milestone[]>;
  log: Pick<Log, "info" | "warn">;
}

export const combinedBranch = (prefix: string, target: string) => `${prefix}${target}/combined`;
const nextBranch = (prefix: string, target: string) => `${prefix}${target}/combined-next`;

/** The target of a combined backport branch, or null when the branch is not one. */
export function parseCombinedBranch(prefix: string, branch: string): { target: string } | null {
  if (!branch.startsWith(prefix)) return null;
  const target = /^(.+)\/combined$/.exec(branch.slice(prefix.length))?.[1];
  return target ? { target } : null;
}

/** Whether a fix's backports are combined: one of its selectors is in `backport.combine.selectors`, or it has the combine label. */
export function isCombined(config: Config, labels: readonly string[], selectors: readonly string[]): boolean {
  const { combine } = config.backport;
  const listed = new Set(combine.selectors.map((s) => s.toLowerCase()));
  return labels.some((l) => l.toLowerCase() === combine.label.toLowerCase()) || selectors.some((s) => listed.has(s.toLowerCase()));
}

/** The most earlier (merged or closed) combined PRs of a line whose commits are read to find a fix in them. */
export const MAX_GENERATIONS = 20;

type Carried = { pull: PullLink; state: "open" | "closed" | "merged" };

interface LineView {
  /** The line's open combined PR (the App's), if any. */
  open: PullRequest | null;
  /** The combined branch's head, or null when it does not exist. */
  head: BranchHead | null;
  /** Source commit → the combined PR whose commits carry its pick. */
  carried: Map<string, Carried>;
  /** The open PR's commits (those not on the target), oldest first. */
  commits: CommitSummary[];
}

const link = (pull: PullRequest): PullLink => ({ number: pull.number, url: pull.htmlUrl });
const pullState = (p: PullRequest) => (p.merged ? "merged" : p.state);

async function readLine(ctx: CombinedContext, target: Target, onto: BranchHead): Promise<LineView> {
  const { port, config } = ctx;
  const branch = combinedBranch(config.backport.branchPrefix, target.branch);
  const [pulls, head] = await Promise.all([port.listPullsByHead(branch), port.getBranch(branch)]);
  const own = pulls.filter((p) => p.base.ref === target.branch && isOwn(port, p.author)).sort((a, b) => b.number - a.number);
  const open = own.find((p) => p.state === "open") ?? null;
  const carried = new Map<string, Carried>();
  let commits: CommitSummary[] = [];
  if (open && head) {
    // The branch itself, not the PR's commit list, which GitHub updates a moment after a push.
    commits = (await port.compare(onto.sha, head.sha)).commits;
    for (const c of commits) for (const sha of cherryPickedFrom(c.message)) carried.set(sha, { pull: link(open), state: "open" });
  }
  for (const pull of own.filter((p) => p !== open).slice(0, MAX_GENERATIONS)) {
    for (const c of await port.listPullCommits(pull.number)) {
      for (const sha of cherryPickedFrom(c.message)) if (!carried.has(sha)) carried.set(sha, { pull: link(pull), state: pullState(pull) });
    }
  }
  return { open, head, carried, commits };
}

/** The PR carrying every pick of the plan, or null. Short shas in messages match by prefix. */
function carriedBy(view: LineView, plan: PickPlan): Carried | null {
  let found: Carried | null = null;
  for (const pick of plan.picks) {
    const hit = view.carried.get(pick.sha) ?? [...view.carried].find(([sha]) => sha.length >= 7 && pick.sha.startsWith(sha))?.[1];
    if (!hit || (found && found.pull.number !== hit.pull.number)) return null;
    found = hit;
  }
  return found;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Another attempt holds the line's scratch branch. Waits until it lets go ("retry"), or its branch stands
 * still past `staleMs` ("take-over"), or it takes longer than `giveUpMs` ("give-up"). A scratch branch left
 * where the combined branch already is was finished by an attempt that died before removing it: removed.
 */
async function waitForLine(ctx: CombinedContext, options: { next: string; combined: string; busy: { head: string; age: number }; started: number }): Promise<"retry" | "take-over" | "give-up"> {
  const { pollMs, staleMs, giveUpMs } = CLAIM_TIMING;
  const { port } = ctx;
  let watched = { head: options.busy.head, since: Date.now() - options.busy.age };
  for (;;) {
    const head = (await port.getBranch(options.next))?.sha ?? null;
    if (head === null) return "retry";
    if (head === (await port.getBranch(options.combined))?.sha) {
      await releaseBranch(port, { branch: options.next, owned: head });
      return "retry";
    }
    if (head !== watched.head) watched = { head, since: Date.now() };
    else if (Date.now() - watched.since >= staleMs) return "take-over";
    if (Date.now() - options.started >= giveUpMs) return "give-up";
    await sleep(pollMs);
  }
}

function outcomesOf(ctx: CombinedContext, target: Target, todo: { source: CombinedSource; plan: PickPlan }[], series: Extract<SeriesResult, { groups: unknown }>, onto: BranchHead) {
  return Promise.all(
    todo.map(async ({ source, plan }, i) => {
      const group = series.groups[i];
      if (!group || group.status === "empty") return { source, plan, outcome: { kind: "empty" } as TargetOutcome };
      if (group.status === "picked") return { source, plan, commits: group.commits, outcome: null };
      const report = await diagnoseConflict(ctx.port, { at: group.at, onto });
      const branch = backportBranch(ctx.config.backport.branchPrefix, target.branch, sourceKey(source.source));
      const commands = finishCommands({ plan, target: target.branch, branch, defaultBranch: ctx.defaultBranch });
      return { source, plan, outcome: { kind: "conflict", ...report, commands, issue: null } as TargetOutcome };
    }),
  );
}

/**
 * Puts the fixes not yet on the line into its combined PR, in the given order (the order they landed), and
 * returns each fix's outcome by its key (`pr-12`). A fix already in a combined PR, or with a backport PR of
 * its own, is found, not picked again. A fix that conflicts stays out with its conflict report.
 */
export async function backportCombined(ctx: CombinedContext, target: Target, sources: CombinedSource[]): Promise<Map<string, TargetOutcome>> {
  try {
    return await appendToLine(ctx, target, sources);
  } catch (error) {
    ctx.log.warn({ err: error, target: target.branch }, "combined backport failed");
    const reason = isGitHubError(error) ? describeGitHubError(error) : `unexpected error: ${(error as Error).message}`;
    return new Map(sources.map((s) => [sourceKey(s.source), { kind: "failed", reason }]));
  }
}

async function appendToLine(ctx: CombinedContext, target: Target, sources: CombinedSource[]): Promise<Map<string, TargetOutcome>> {
  const { port, config } = ctx;
  const prefix = config.backport.branchPrefix;
  const combined = combinedBranch(prefix, target.branch);
  const next = nextBranch(prefix, target.branch);
  const outcomes = new Map<string, TargetOutcome>();
  const started = Date.now();
  let takeOver = false;
  for (let round = 0; ; round++) {
    const onto = await port.getBranch(target.branch);
    if (!onto) return new Map(sources.map((s) => [sourceKey(s.source), { kind: "failed", reason: `the branch ${target.branch} does not exist` }]));
    const view = await readLine(ctx, target, onto);
    const todo: { source: CombinedSource; plan: PickPlan }[] = [];
    const present: { source: CombinedSource; plan: PickPlan }[] = [];
    for (const source of sources) {
      const key = sourceKey(source.source);
      if (outcomes.has(key)) continue;
      const plan = await source.plan();
      const carried = carriedBy(view, plan);
      if (carried) {
        outcomes.set(key, { kind: "exists", pull: carried.pull, state: carried.state, combined: true });
        if (carried.state === "open") present.push({ source, plan });
        continue;
      }
      // A backport PR of its own (made before its backports were combined) counts as well.
      const own = (await port.listPullsByHead(backportBranch(prefix, target.branch, key))).find((p) => p.base.ref === target.branch);
      if (own) outcomes.set(key, { kind: "exists", pull: link(own), state: pullState(own) });
      else todo.push({ source, plan });
    }
    if (todo.length === 0) {
      // Everything is on the line. A run that died after moving the branch left the PR's text, its labels or
      // the scratch branch behind: converge.
      if (view.open && present.length > 0) {
        const wrote = await converge(ctx, target, view.open, present.map(({ source, plan }) => ({ source, entry: entryOf(source.source, plan, view.commits) })));
        if (wrote && view.head) await releaseBranch(port, { branch: next, owned: view.head.sha });
      }
      return outcomes;
    }
    const base = view.open && view.head ? view.head : onto;
    const series = await cherryPickSeries(port, { branch: next, onto: base, groups: todo.map((t) => t.plan.picks), staleMs: takeOver ? 0 : CLAIM_TIMING.staleMs });
    takeOver = false;
    if (series.status === "busy") {
      ctx.log.info({ target: target.branch }, "another attempt is appending to this line's combined backport: waiting for it");
      const wait = await waitForLine(ctx, { next, combined, busy: series, started });
      if (wait === "give-up") {
        for (const { source } of todo) outcomes.set(sourceKey(source.source), { kind: "failed", reason: "another attempt is still building this line's combined backport; the next run looks again" });
        return outcomes;
      }
      takeOver = wait === "take-over";
      continue;
    }
    // No `onConflict` here: a fix that conflicts stays out of the combined PR with its report.
    if (series.status === "kept") throw new Error("a combined backport never keeps a conflict on its branch");
    const results = await outcomesOf(ctx, target, todo, series, onto);
    if (series.status === "empty") {
      for (const r of results) outcomes.set(sourceKey(r.source.source), r.outcome!);
      return outcomes;
    }
    const picked = results.filter((r) => r.outcome === null);
    const added = picked.map((r) => ({ source: r.source, entry: { ...entryOf(r.source.source, r.plan, []), commits: r.commits ?? [] } }));
    // Fixes found on the open PR already but not in its body (a run that died in between) join the body too.
    const entries = [...present.map(({ source, plan }) => ({ source, entry: entryOf(source.source, plan, view.commits) })), ...added];
    const pull = await publish(ctx, { target, view, combined, next, head: series.head, entries: entries.map((e) => e.entry) });
    if (pull === "moved") {
      if (round >= 5) throw new Error(`the combined branch ${combined} kept moving under this attempt`);
      continue; // another attempt appended first: read the line again and pick onto its head
    }
    for (const r of results) outcomes.set(sourceKey(r.source.source), r.outcome ?? { kind: "opened", pull: link(pull), commits: r.commits ?? [], combined: true });
    await converge(ctx, target, pull, entries, added.map((a) => a.source));
    ctx.log.info({ target: target.branch, backport: pull.number, added: added.map((a) => sourceKey(a.source.source)) }, "combined backport PR updated");
    return outcomes;
  }
}

/**
 * Moves the combined branch to `head` and returns the open PR (created when the line has none), or "moved"
 * when another attempt changed the branch first. The scratch branch is removed once its commits are published.
 */
async function publish(ctx: CombinedContext, options: { target: Target; view: LineView; combined: string; next: string; head: string; entries: CombinedEntry[] }): Promise<PullRequest | "moved"> {
  const { port } = ctx;
  const { target, view, combined, next, head } = options;
  const giveBack = async () => {
    await releaseBranch(port, { branch: next, owned: head }).catch(() => undefined);
    return "moved" as const;
  };
  try {
    if (view.open && view.head) {
      await port.updateBranch({ branch: combined, sha: head, force: false });
    } else if (view.head) {
      // The branch of an earlier combined PR that was merged or closed: the new PR starts over on it.
      if ((await port.getBranch(combined))?.sha !== view.head.sha) return giveBack();
      if ((await port.listPullsByHead(combined)).some((p) => p.state === "open" && p.base.ref === target.branch)) return giveBack();
      await port.updateBranch({ branch: combined, sha: head, force: true });
    } else {
      await port.createBranch({ branch: combined, sha: head });
    }
  } catch (error) {
    // Not a fast-forward, or created meanwhile: another attempt got there first.
    if (isGitHubError(error, "invalid") || isGitHubError(error, "already-exists")) {
      if ((await port.getBranch(combined))?.sha !== head) return giveBack();
    } else throw error;
  }
  await releaseBranch(port, { branch: next, owned: head });
  if (view.open) return view.open;
  const { title, body } = saveText(ctx, target, null, options.entries);
  try {
    return await port.createPull({ title, body, head: combined, base: target.branch });
  } catch (error) {
    if (!isGitHubError(error, "already-exists")) throw error;
    // An earlier attempt whose answer was lost (or a replica) opened it first.
    const found = (await port.listPullsByHead(combined)).find((p) => p.state === "open" && p.base.ref === target.branch && isOwn(port, p.author));
    if (!found) throw error;
    return found;
  }
}

/**
 * A stateful fake of `GitHubPort` (maps, not mocks) for workflow tests, in the manner of
 * korthout/backport-action's `FakeGithub`: issues, comments, pull requests, branches and commits (fake-git.ts),
 * releases, milestones, check runs, workflow runs, label events, permissions and repository advisories.
 * Tests plant what GitHub holds (`plant…`, `commit`, `add…`), run a workflow, and assert the records that
 * result (`allPulls()`, `allIssues()`, `commentsOn(n)`, …), not the calls made.
 *
 * GitHub's semantics where workflows depend on them: `listPullsByHead` returns any state; a second open PR for
 * the same head and base is a 422 (`already-exists`), as is an existing ref; bodies over 65,536 characters are
 * refused (`invalid`); `listIssues` filters by every label and the state and leaves PRs out; deleting a branch
 * closes the open PRs whose head (or base) it is; PR and issue numbers are shared; reviewers must be
 * collaborators and not the PR's author. Records the fake creates through the port are authored by
 * `botLogin`; `plantIssue`, `plantComment` and `plantPull` take any author (a person, `other-app[bot]`).
 *
 * Failures (fake-faults.ts): `failOn(spec)` fails matching calls before or after they are applied;
 * `crashAfter(spec)` kills "the process" (the call and every later one throw `FakeCrash`) until `restart()`.
 * Every attempt is in `log` with whether it was a write, was applied, and how it failed.
 *
 * The fake is the port as workflows see it, so it also does what the Octokit adapter (octokit-port.ts) does
 * with transient failures, without waiting:
 * - a rate limit, 5xx or dropped connection is retried up to `retries` times (default 4, as DEFAULT_RETRY).
 *   Each attempt is a call to GitHub: it meets the hooks again and is logged again. A write applied and
 *   then failed is sent again, as the adapter sends it: a second `createPull` meets the 422, a second `merge`
 *   finds nothing to merge, a second `createBranch` finds the ref;
 * - `createIssue` and `createComment` are sent once: an ambiguous failure surfaces to the state layer (which
 *   looks the record up by its marker); rate limits are still retried;
 * - `createCheckRun` (keyed by name + head sha) and `dispatchWorkflow` (by the run it started) look their
 *   record up after an ambiguous failure and count as done when GitHub applied them;
 * - deleting a branch or a comment that is already gone succeeds.
 * With `retries: 0` every failure surfaces as injected.
 *
 * One class with one method per port method, hence the length.
 */
import type { Advisory } from "../../src/advisory/types.js";
import { GitHubError, type GitHubErrorCode } from "../../src/github/errors.js";
import type { GitHubPort } from "../../src/github/port.js";
import type {
  BranchHead, CheckConclusion, CommitSummary, TreeEdit, TreeEntry, Comparison, GitCommit, GitUser, Issue, IssueComment, LabelEvent, MergeResult, Milestone, Permission, PullRequest, Release,
} from "../../src/github/types.js";
import {
  errorFor, Faults, FakeCrash, isWrite, type FailureHook, type FailureSpec, type FakeCall, type LoggedCall, type PortMethod,
} from "./fake-faults.js";
import { FakeGit, type FakeCommit, type FileChanges, type Files } from "./fake-git.js";

export { chance, errorFor, FakeCrash, seeded, WRITE_METHODS, PORT_METHODS, type FailureSpec, type LoggedCall, type PortMethod } from "./fake-faults.js";

export const MAX_BODY_CHARACTERS = 65_536;
export const DEFAULT_BOT_LOGIN = "lts-steward[bot]";

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  botLogin?: string;
  defaultBranch?: string;
  /** The first commit on the default branch. */
  files?: Files;
  /** Where the clock starts; every change moves it on one second. */
  now?: string;
  /** Transient failures retried as the Octokit port retries them (see the header); 0: none. */
  retries?: number;
}

interface PullFields {
  headRef: string;
  baseRef: string;
  /** Where the branches were when the PR was closed or merged; an open PR follows its branches. */
  headSha: string;
  baseSha: string;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  requestedReviewers: string[];
  draft: boolean;
}

interface IssueRecord {
  number: number;
  title: string;
  body: string | null;
  author: string;
  state: "open" | "closed";
  labels: string[];
  assignees: string[];
  milestone: number | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull: PullFields | null;
}

interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  author: string;
  authorIsBot: boolean;
  createdAt: string;
}

export interface CheckRunRecord {
  name: string;
  headSha: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text: string | null;
}

export interface WorkflowRunRecord {
  id: number;
  workflow: string;
  ref: string;
  inputs: Record<string, string>;
  createdAt: string;
}

export interface PlantIssueInput {
  title: string;
  body?: string | null;
  author: string;
  labels?: string[];
  assignees?: string[];
  state?: "open" | "closed";
  milestone?: number | null;
}

export interface PlantPullInput {
  title: string;
  body?: string | null;
  author: string;
  head: string;
  base?: string;
  labels?: string[];
  draft?: boolean;
}

export type MergeMethod = "squash" | "merge" | "rebase";

const RETRIES = 4;
/** Creates the adapter sends once: an ambiguous failure goes to the state layer, which looks the record up. */
const SENT_ONCE = new Set<PortMethod>(["createIssue", "createComment"]);
const RANK: Record<Permission, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

const lower = (s: string) => s.toLowerCase();
const sameLogin = (a: string, b: string) => lower(a) === lower(b);
const userOf = (login: string, date: string): GitUser => ({ name: login, email: `${login.replace(/\[bot\]$/, "")}@users.noreply.github.com`, date });
const characters = (text: string) => [...text].length;
const codeOf = (error: unknown) => (error instanceof GitHubError ? error.code : error instanceof FakeCrash ? "crash" : "error");
const clone = <T>(value: T): T => structuredClone(value);

export class FakeGitHub implements GitHubPort {
  readonly owner: string;
  readonly repo: string;
  readonly botLogin: string;
  readonly defaultBranch: string;
  readonly git = new FakeGit();
  readonly faults = new Faults();
  /** Every attempt at every call, in order. */
  readonly log: LoggedCall[] = this.faults.log;
  readonly checkRuns: CheckRunRecord[] = [];
  readonly workflowRuns: WorkflowRunRecord[] = [];
  readonly workflows = new Set<string>();
  /** Whether a `crashAfter` hook has fired and `restart()` not yet been called. */
  crashed = false;

  private readonly retries: number;
  private clock: number;
  private nextNumber = 1;
  private nextCommentId = 9000;
  private readonly issues = new Map<number, IssueRecord>();
  private readonly comments = new Map<number, CommentRecord>();
  private readonly reactions = new Map<number, { content: string; user: string }[]>();
  private readonly labelEvents = new Map<number, LabelEvent[]>();
  private readonly releases: Release[] = [];
  private readonly milestones: Milestone[] = [];
  private readonly permissions = new Map<string, Permission>();
  private readonly advisories = new Map<string, Advisory>();
  private readonly conflicts = new Set<string>();

  constructor(options: FakeGitHubOptions = {}) {
    this.owner = options.owner ?? "bytecodealliance";
    this.repo = options.repo ?? "wasmtime";
    this.botLogin = options.botLogin ?? DEFAULT_BOT_LOGIN;
    this.defaultBranch = options.defaultBranch ?? "main";
    this.retries = options.retries ?? RETRIES;
    this.clock = Date.parse(options.now ?? "2025-12-10T09:00:00Z");
    this.commit({ branch: this.defaultBranch, files: options.files ?? { "README.md": "A fake repository.\n" }, message: "Initial commit" });
  }

  // --- Test API: time, faults, the log ------------------------------------------------------------------

  /** The clock, then one second on. */
  private tick(): string {
    const now = new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, "Z");
    this.clock += 1000;
    return now;
  }

  get now(): string {
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Fails matching calls before or after GitHub applies them (fake-faults.ts). */
  failOn(spec: FailureSpec): FailureHook {
    return this.faults.add(spec);
  }

  /** The App dies right after (or, with `when: "before"`, right before) the matching call: it and every later call throw `FakeCrash`. */
  crashAfter(spec: Omit<FailureSpec, "error">): FailureHook {
    return this.faults.add({
      ...spec, when: spec.when ?? "after",
      error: (call: FakeCall) => {
        this.crashed = true;
        return new FakeCrash(call);
      },
    });
  }

  /** The App starts again: calls work again. Hooks stay (spent ones stay spent). */
  restart(): void {
    this.crashed = false;
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Logged attempts, optionally of some methods only. */
  calls(method?: PortMethod | PortMethod[]): LoggedCall[] {
    const methods = method === undefined ? null : new Set(typeof method === "string" ? [method] : method);
    return this.log.filter((c) => methods === null || methods.has(c.method));
  }

  /** Writes GitHub applied, optionally of some methods only. */
  writes(method?: PortMethod | PortMethod[]): LoggedCall[] {
    return this.calls(method).filter((c) => c.write && c.applied);
  }

  clearLog(): void {
    this.log.length = 0;
  }

  private async call<T>(method: PortMethod, args: unknown[], apply: () => T, keyed?: () => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.attempt(method, args, attempt, apply);
      } catch (error) {
        if (!(error instanceof GitHubError) || !error.transient || attempt >= this.retries) throw error;
        if (error.ambiguous && SENT_ONCE.has(method)) throw error;
        if (error.ambiguous && keyed?.()) return undefined as T;
      }
    }
  }

  private attempt<T>(method: PortMethod, args: unknown[], attempt: number, apply: () => T): T {
    const call: FakeCall = { seq: this.log.length + 1, method, args: clone(args), write: isWrite(method), attempt };
    const entry: LoggedCall = { ...call, applied: false, failed: null, error: null };
    this.log.push(entry);
    if (this.crashed) {
      entry.error = "crash";
      throw new FakeCrash(null);
    }
    const before = this.faults.trip("before", call);
    if (before !== null) {
      Object.assign(entry, { failed: "before", error: codeOf(before) });
      throw before;
    }
    let result: T;
    try {
      result = apply();
    } catch (error) {
      entry.error = codeOf(error);
      throw error;
    }
    entry.applied = true;
    const after = this.faults.trip("after", call);
    if (after !== null) {
      Object.assign(entry, { failed: "after", error: codeOf(after) });
      throw after;
    }
    return clone(result);
  }

  private fail(method: PortMethod, code: GitHubErrorCode, message: string): never {
    throw errorFor(code, method, message);
  }

  // --- Test API: planting what GitHub holds --------------------------------------------------------------

  /** A commit on top of `branch` (or of `parents`) with file changes; moves the branch onto it. Returns its sha. */
  commit(options: { branch?: string; parents?: string[]; files?: FileChanges; message?: string; author?: string; date?: string }): string {
    const parents = options.parents ?? (options.branch && this.git.branches.has(options.branch) ? [this.git.branches.get(options.branch) as string] : []);
    const base = parents[0] ? this.git.commit(parents[0]).tree : this.git.treeOf({});
    const date = options.date ?? this.tick();
    const login = options.author ?? "alex";
    const commit = this.git.addCommit({
      tree: this.git.applyChanges(base, options.files ?? {}), parents, message: options.message ?? "A change", author: userOf(login, date), login, date,
    });
    if (options.branch) this.git.branches.set(options.branch, commit.sha);
    return commit.sha;
  }

  /** Points a branch at a ref (a branch, tag or sha), creating it if needed. */
  setBranch(name: string, ref: string): string {
    const sha = this.git.resolve(ref);
    if (!sha) throw new Error(`fake GitHub: no ref ${ref}`);
    this.git.branches.set(name, sha);
    return sha;
  }

  /** Marks a draft PR ready for review, as its author does on GitHub (no REST call does it). */
  markReady(number: number): void {
    this.pullRecord(number, "getPull").pull.draft = false;
    this.tick();
  }

  /** Merges of this head sha answer 409, whatever the trees say. */
  conflictOn(sha: string): void {
    this.conflicts.add(sha);
  }

  setPermission(login: string, permission: Permission): void {
    this.permissions.set(lower(login), permission);
  }

  addRelease(options: { tag: string; publishedAt: string | null; draft?: boolean; prerelease?: boolean; target?: string }): Release {
    if (options.target) {
      const sha = this.git.resolve(options.target);
      if (!sha) throw new Error(`fake GitHub: no ref ${options.target}`);
      this.git.tags.set(options.tag, sha);
    }
    const release: Release = { tagName: options.tag, publishedAt: options.publishedAt, draft: options.draft ?? false, prerelease: options.prerelease ?? false };
    this.releases.push(release);
    return release;
  }

  addMilestone(options: { title: string; state?: "open" | "closed" }): Milestone {
    const milestone: Milestone = { number: this.milestones.length + 1, title: options.title, state: options.state ?? "open" };
    this.milestones.push(milestone);
    return milestone;
  }

  addAdvisory(advisory: Advisory): void {
    this.advisories.set(advisory.ghsaId, clone(advisory));
  }

  addWorkflow(file: string): void {
    this.workflows.add(file);
  }

  /** An issue by anyone (the App too, as if an earlier run wrote it). */
  plantIssue(input: PlantIssueInput): Issue {
    return this.toIssue(this.newIssue(input, null));
  }

  /** A comment by anyone; `authorIsBot` defaults to whether the login ends in `[bot]`. */
  plantComment(input: { number: number; body: string; author: string; authorIsBot?: boolean }): IssueComment {
    if (!this.issues.has(input.number)) throw new Error(`fake GitHub: no issue #${input.number}`);
    return this.toComment(this.newComment(input.number, input.body, input.author, input.authorIsBot));
  }

  /** Labels added by someone (recorded as `labeled` events by `actor`). */
  addLabels(number: number, labels: string[], actor: string): void {
    const issue = this.record(number);
    this.setLabels(issue, [...issue.labels, ...labels], actor);
  }

  /** An open pull request from `head` (an existing branch) into `base`. */
  plantPull(input: PlantPullInput): PullRequest {
    const base = input.base ?? this.defaultBranch;
    const headSha = this.git.branches.get(input.head);
    const baseSha = this.git.branches.get(base);
    if (!headSha || !baseSha) throw new Error(`fake GitHub: no branch ${headSha ? base : input.head}`);
    const pull: PullFields = {
      headRef: input.head, baseRef: base, headSha, baseSha, merged: false, mergedAt: null, mergeCommitSha: null, mergedBy: null, requestedReviewers: [], draft: input.draft ?? false,
    };
    return this.toPull(this.newIssue({ title: input.title, body: input.body ?? null, author: input.author, labels: input.labels ?? [] }, pull));
  }

  /** Merges an open PR the way GitHub's merge button does; the base branch moves on. */
  mergePull(number: number, options: { by: string; method?: MergeMethod }): PullRequest {
    const issue = this.record(number);
    const pull = issue.pull;
    if (!pull || issue.state !== "open") throw new Error(`fake GitHub: #${number} is not an open PR`);
    const baseSha = this.liveSha(pull.baseRef, pull.baseSha);
    const headSha = this.liveSha(pull.headRef, pull.headSha);
    const date = this.tick();
    const author = userOf(issue.author, date);
    const method = options.method ?? "squash";
    let merged: FakeCommit;
    if (method === "rebase") {
      let current = this.git.commit(baseSha);
      for (const sha of this.commitsBetween(baseSha, headSha)) {
        const original = this.git.commit(sha);
        const tree = this.mergedTree(this.git.commit(original.parents[0] ?? "").tree, current.tree, original.tree, number);
        current = this.git.addCommit({ tree, parents: [current.sha], message: original.message, author: original.author, login: original.login, date });
      }
      merged = current;
    } else {
      const outcome = this.git.mergeCommits(baseSha, headSha);
      if (outcome.status === "conflict") throw new Error(`fake GitHub: #${number} does not merge (${outcome.paths.join(", ")})`);
      const message = method === "squash" ? `${issue.title} (#${number})\n` : `Merge pull request #${number} from ${this.owner}/${pull.headRef}\n\n${issue.title}\n`;
      merged = this.git.addCommit({ tree: outcome.tree, parents: method === "squash" ? [baseSha] : [baseSha, headSha], message, author, login: issue.author, date });
    }
    this.git.branches.set(pull.baseRef, merged.sha);
    Object.assign(pull, { headSha, baseSha, merged: true, mergedAt: date, mergeCommitSha: merged.sha, mergedBy: options.by });
    Object.assign(issue, { state: "closed", closedAt: date, updatedAt: date });
    return this.toPull(issue);
  }

  /** A fix on its own branch, opened as a PR and merged: the usual source PR of a backport. */
  plantMergedPull(input: { title: string; author: string; mergedBy?: string; files: FileChanges; labels?: string[]; base?: string; method?: MergeMethod; branch?: string; body?: string }): PullRequest {
    const base = input.base ?? this.defaultBranch;
    const branch = input.branch ?? `topic/${this.nextNumber}`;
    this.setBranch(branch, base);
    this.commit({ branch, files: input.files, message: input.title, author: input.author });
    const pull = this.plantPull({ title: input.title, body: input.body ?? null, author: input.author, head: branch, base, labels: input.labels ?? [] });
    return this.mergePull(pull.number, { by: input.mergedBy ?? input.author, ...(input.method ? { method: input.method } : {}) });
  }

  // --- Test API: reading the results ---------------------------------------------------------------------

  allIssues(): Issue[] {
    return [...this.issues.values()].filter((i) => !i.pull).map((i) => this.toIssue(i));
  }

  allPulls(): PullRequest[] {
    return [...this.issues.values()].filter((i) => i.pull).map((i) => this.toPull(i));
  }

  commentsOn(number: number): IssueComment[] {
    return this.commentRecords(number).map((c) => this.toComment(c));
  }

  /** A PR's commits (those on its head and not on its base), oldest first, with their messages. */
  commitsOf(number: number): { sha: string; message: string }[] {
    const record = this.issues.get(number);
    if (!record?.pull) throw new Error(`fake GitHub: #${number} is not a pull request`);
    const { head, base } = this.headOf(record as IssueRecord & { pull: PullFields });
    return this.commitsBetween(base, head).map((sha) => ({ sha, message: this.git.commit(sha).message }));
  }

  branchNames(): string[] {
    return [...this.git.branches.keys()].sort();
  }

  /** A file's content on a ref, or undefined. */
  fileAt(ref: string, path: string): string | undefined {
    const sha = this.git.resolve(ref);
    return sha ? this.git.files(this.git.commit(sha).tree)[path] : undefined;
  }

  reactionsOn(commentId: number): { content: string; user: string }[] {
    return clone(this.reactions.get(commentId) ?? []);
  }

  // --- Records ---------------------------------------------------------------------------------------------

  private record(number: number, method?: PortMethod): IssueRecord {
    const issue = this.issues.get(number);
    if (issue) return issue;
    if (method) this.fail(method, "not-found", "Not Found");
    throw new Error(`fake GitHub: no issue #${number}`);
  }

  private pullRecord(number: number, method: PortMethod): IssueRecord & { pull: PullFields } {
    const issue = this.record(number, method);
    if (!issue.pull) this.fail(method, "not-found", "Not Found");
    return issue as IssueRecord & { pull: PullFields };
  }

  private newIssue(input: PlantIssueInput, pull: PullFields | null): IssueRecord {
    const now = this.tick();
    const issue: IssueRecord = {
      number: this.nextNumber++, title: input.title, body: input.body ?? null, author: input.author, state: input.state ?? "open", labels: [], assignees: [...(input.assignees ?? [])],
      milestone: input.milestone ?? null, createdAt: now, updatedAt: now, closedAt: input.state === "closed" ? now : null, pull,
    };
    this.issues.set(issue.number, issue);
    this.setLabels(issue, input.labels ?? [], input.author);
    return issue;
  }

  private newComment(number: number, body: string, author: string, authorIsBot = author.endsWith("[bot]")): CommentRecord {
    const comment: CommentRecord = { id: this.nextCommentId++, issue: number, body, author, authorIsBot, createdAt: this.tick() };
    this.comments.set(comment.id, comment);
    this.record(number).updatedAt = comment.createdAt;
    return comment;
  }

  private commentRecords(number: number): CommentRecord[] {
    return [...this.comments.values()].filter((c) => c.issue === number).sort((a, b) => a.id - b.id);
  }

  private setLabels(issue: IssueRecord, wanted: string[], actor: string): void {
    const next = wanted.filter((l, i) => wanted.findIndex((x) => lower(x) === lower(l)) === i);
    const events = this.labelEvents.get(issue.number) ?? [];
    const createdAt = this.now;
    for (const label of next) if (!issue.labels.some((l) => lower(l) === lower(label))) events.push({ action: "labeled", label, actor, createdAt });
    for (const label of issue.labels) if (!next.some((l) => lower(l) === lower(label))) events.push({ action: "unlabeled", label, actor, createdAt });
    this.labelEvents.set(issue.number, events);
    issue.labels = next;
  }

  /** A branch's head while it exists, else where it was. */
  private liveSha(branch: string, last: string): string {
    return this.git.branches.get(branch) ?? last;
  }

  /** Freezes a PR's branches where they are, as GitHub does when it closes. */
  private closeRecord(issue: IssueRecord, now: string): void {
    if (issue.pull) Object.assign(issue.pull, { headSha: this.liveSha(issue.pull.headRef, issue.pull.headSha), baseSha: this.liveSha(issue.pull.baseRef, issue.pull.baseSha) });
    Object.assign(issue, { state: "closed", closedAt: now, updatedAt: now });
  }

  private headOf(issue: IssueRecord & { pull: PullFields }): { head: string; base: string } {
    const open = issue.state === "open";
    return { head: open ? this.liveSha(issue.pull.headRef, issue.pull.headSha) : issue.pull.headSha, base: open ? this.liveSha(issue.pull.baseRef, issue.pull.baseSha) : issue.pull.baseSha };
  }

  /** Commits reachable from `head` and not from `base`, oldest first. */
  private commitsBetween(base: string, head: string): string[] {
    const inBase = this.git.ancestors(base);
    return this.git.log(head).filter((c) => !inBase.has(c.sha)).reverse().map((c) => c.sha);
  }

  private mergedTree(base: string, ours: string, theirs: string, number: number): string {
    const outcome = this.git.mergeTrees(base, ours, theirs);
    if (outcome.status === "conflict") throw new Error(`fake GitHub: #${number} does not rebase (${outcome.paths.join(", ")})`);
    return outcome.tree;
  }

  private checkBody(method: PortMethod, body: string | null | undefined): void {
    if (typeof body === "string" && body.length > MAX_BODY_CHARACTERS && characters(body) > MAX_BODY_CHARACTERS) {
      this.fail(method, "invalid", `Validation Failed: body is too long (maximum is ${MAX_BODY_CHARACTERS} characters)`);
    }
  }

  private url(kind: "issues" | "pull", number: number): string {
    return `https://github.com/${this.owner}/${this.repo}/${kind}/${number}`;
  }

  private toIssue(issue: IssueRecord): Issue {
    return {
      number: issue.number, title: issue.title, body: issue.body, author: issue.author, state: issue.state, labels: [...issue.labels], assignees: [...issue.assignees],
      htmlUrl: this.url(issue.pull ? "pull" : "issues", issue.number), isPullRequest: issue.pull !== null, createdAt: issue.createdAt, closedAt: issue.closedAt,
    };
  }

  private toPull(issue: IssueRecord): PullRequest {
    const record = issue as IssueRecord & { pull: PullFields };
    const { pull } = record;
    const { head, base } = this.headOf(record);
    return {
      number: issue.number, title: issue.title, body: issue.body, state: issue.state, merged: pull.merged, mergedAt: pull.mergedAt, mergeCommitSha: pull.mergeCommitSha,
      mergedBy: pull.mergedBy, author: issue.author, head: { ref: pull.headRef, sha: head }, base: { ref: pull.baseRef, sha: base }, labels: [...issue.labels], draft: pull.draft,
      requestedReviewers: [...pull.requestedReviewers], htmlUrl: this.url("pull", issue.number), milestone: issue.milestone, updatedAt: issue.updatedAt, createdAt: issue.createdAt,
    };
  }

  private toComment(comment: CommentRecord): IssueComment {
    const issue = this.issues.get(comment.issue);
    return {
      id: comment.id, body: comment.body, author: comment.author, authorIsBot: comment.authorIsBot, createdAt: comment.createdAt,
      htmlUrl: `${this.url(issue?.pull ? "pull" : "issues", comment.issue)}#issuecomment-${comment.id}`,
    };
  }

  private toGitCommit(commit: FakeCommit): GitCommit {
    return { sha: commit.sha, tree: commit.tree, parents: [...commit.parents], message: commit.message, author: { ...commit.author } };
  }

  private toSummary = (commit: FakeCommit): CommitSummary => ({ sha: commit.sha, message: commit.message, authorLogin: commit.login, date: commit.date });

  private resolveOr404(method: PortMethod, ref: string): string {
    return this.git.resolve(ref) ?? this.fail(method, "not-found", `No commit found for ${ref}`);
  }

  // --- GitHubPort: repository and git reads ----------------------------------------------------------------

  getDefaultBranch(): Promise<string> {
    return this.call("getDefaultBranch", [], () => this.defaultBranch);
  }

  getBranch(name: string): Promise<BranchHead | null> {
    return this.call("getBranch", [name], () => {
      const sha = this.git.branches.get(name);
      return sha ? { name, sha, tree: this.git.commit(sha).tree } : null;
    });
  }

  listBranches(prefix: string): Promise<string[]> {
    return this.call("listBranches", [prefix], () => this.branchNames().filter((b) => b.startsWith(prefix)));
  }

  getCommit(sha: string): Promise<GitCommit> {
    return this.call("getCommit", [sha], () => this.toGitCommit(this.git.commit(this.resolveOr404("getCommit", sha))));
  }

  getCommitFiles(sha: string): Promise<string[]> {
    return this.call("getCommitFiles", [sha], () => this.git.commitPaths(this.resolveOr404("getCommitFiles", sha)));
  }

  /** The fake's commits record no renames. */
  getCommitRenames(sha: string): Promise<Record<string, string>> {
    return this.call("getCommitRenames", [sha], () => {
      this.resolveOr404("getCommitRenames", sha);
      return {};
    });
  }

  compare(base: string, head: string): Promise<Comparison> {
    return this.call("compare", [base, head], () => {
      const from = this.resolveOr404("compare", base);
      const to = this.resolveOr404("compare", head);
      const mergeBase = this.git.mergeBase(from, to);
      if (!mergeBase) return this.fail("compare", "not-found", "No common ancestor");
      const status = from === to ? "identical" : mergeBase === from ? "ahead" : mergeBase === to ? "behind" : "diverged";
      return {
        status, mergeBase: { sha: mergeBase, date: this.git.commit(mergeBase).date },
        commits: this.commitsBetween(from, to).map((sha) => this.toSummary(this.git.commit(sha))),
        files: this.git.changedPaths(this.git.commit(mergeBase).tree, this.git.commit(to).tree),
      } satisfies Comparison;
    });
  }

  listCommits(options: { sha: string; path?: string; since?: string; max?: number }): Promise<CommitSummary[]> {
    return this.call("listCommits", [options], () => {
      const { path, since, max = 300 } = options;
      return this.git.log(this.resolveOr404("listCommits", options.sha))
        .filter((c) => (path === undefined || this.git.commitPaths(c.sha).includes(path)) && (since === undefined || c.date >= since))
        .slice(0, max)
        .map(this.toSummary);
    });
  }

  listPublishedAdvisories(): Promise<Advisory[]> {
    return this.call("listPublishedAdvisories", [], () =>
      [...this.advisories.values()].filter((a) => a.state === "published").sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? "")).slice(0, 100));
  }

  listReleases(): Promise<Release[]> {
    return this.call("listReleases", [], () => [...this.releases].sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? "")));
  }

  getFileText(options: { path: string; ref?: string }): Promise<string | null> {
    return this.call("getFileText", [options], () => this.fileAt(options.ref ?? this.defaultBranch, options.path) ?? null);
  }

  getPermission(login: string): Promise<Permission> {
    return this.call("getPermission", [login], () => this.permissions.get(lower(login)) ?? "none");
  }

  getRepositoryAdvisory(ghsaId: string): Promise<Advisory | null> {
    return this.call("getRepositoryAdvisory", [ghsaId], () => this.advisories.get(ghsaId) ?? null);
  }

  listDraftAdvisories(): Promise<Advisory[]> {
    return this.call("listDraftAdvisories", [], () => [...this.advisories.values()].filter((a) => a.state === "draft").slice(0, 100));
  }

  updateAdvisoryVulnerabilities(options: { ghsaId: string; vulnerabilities: Advisory["vulnerabilities"] }): Promise<void> {
    return this.call("updateAdvisoryVulnerabilities", [options], () => {
      const advisory = this.advisories.get(options.ghsaId);
      if (!advisory) return this.fail("updateAdvisoryVulnerabilities", "not-found", "Not Found");
      this.advisories.set(options.ghsaId, { ...advisory, vulnerabilities: options.vulnerabilities.map((v) => ({ ...v })) });
    });
  }

  getTree(sha: string): Promise<TreeEntry[]> {
    return this.call("getTree", [sha], () => {
      if (!this.git.hasTree(sha)) this.fail("getTree", "not-found", "Not Found");
      return this.git.treeEntries(sha);
    });
  }

  async getBlob(sha: string): Promise<Buffer> {
    // The content crosses the fake's answer cloning as text.
    return Buffer.from(await this.call("getBlob", [sha], () => this.git.blob(sha) ?? this.fail("getBlob", "not-found", "Not Found")), "utf8");
  }

  // --- GitHubPort: git writes -------------------------------------------------------------------------------

  createBlob(content: Buffer): Promise<string> {
    return this.call("createBlob", [content.toString("base64")], () => this.git.blobOf(content.toString("utf8")));
  }

  createTree(options: { base: string; edits: TreeEdit[] }): Promise<string> {
    return this.call("createTree", [options], () => {
      if (!this.git.hasTree(options.base)) this.fail("createTree", "invalid", "base_tree is not a valid tree");
      return this.git.treeWithEdits(options.base, options.edits) ?? this.fail("createTree", "invalid", "tree.sha is not a valid blob");
    });
  }

  createCommit(options: { message: string; tree: string; parents: string[] }): Promise<GitCommit> {
    return this.call("createCommit", [options], () => {
      if (!this.git.hasTree(options.tree)) this.fail("createCommit", "invalid", "Tree SHA does not exist");
      if (options.parents.some((p) => !this.git.get(p))) this.fail("createCommit", "invalid", "Parent SHA does not exist or is not a commit object");
      const date = this.tick();
      return this.toGitCommit(this.git.addCommit({ ...options, author: userOf(this.botLogin, date), login: this.botLogin, date }));
    });
  }

  createBranch(options: { branch: string; sha: string }): Promise<void> {
    return this.call("createBranch", [options], () => {
      if (this.git.branches.has(options.branch)) this.fail("createBranch", "already-exists", "Reference already exists");
      if (!this.git.get(options.sha)) this.fail("createBranch", "invalid", "Object does not exist");
      this.git.branches.set(options.branch, options.sha);
      this.tick();
    });
  }

  updateBranch(options: { branch: string; sha: string; force: boolean }): Promise<void> {
    return this.call("updateBranch", [options], () => {
      const current = this.git.branches.get(options.branch);
      if (!current) this.fail("updateBranch", "invalid", "Reference does not exist");
      if (!this.git.get(options.sha)) this.fail("updateBranch", "invalid", "Object does not exist");
      if (!options.force && !this.git.isAncestor(current, options.sha)) this.fail("updateBranch", "invalid", "Update is not a fast forward");
      this.git.branches.set(options.branch, options.sha);
      this.tick();
    });
  }

  deleteBranch(branch: string): Promise<void> {
    return this.call("deleteBranch", [branch], () => {
      // Already gone: done (the adapter treats GitHub's 422/404 so).
      if (!this.git.branches.has(branch)) return;
      const now = this.tick();
      // GitHub closes the open PRs from (and into) a deleted branch.
      for (const issue of this.issues.values()) {
        if (issue.pull && issue.state === "open" && (issue.pull.headRef === branch || issue.pull.baseRef === branch)) this.closeRecord(issue, now);
      }
      this.git.branches.delete(branch);
    });
  }

  merge(options: { base: string; head: string; message: string }): Promise<MergeResult> {
    return this.call("merge", [options], (): MergeResult => {
      const base = this.git.branches.get(options.base) ?? this.fail("merge", "not-found", "Base does not exist");
      const head = this.git.resolve(options.head) ?? this.fail("merge", "not-found", "Head does not exist");
      if (this.git.isAncestor(head, base)) return { status: "nothing-to-merge" };
      const outcome = this.conflicts.has(head) ? null : this.git.mergeCommits(base, head);
      if (outcome === null || outcome.status === "conflict") return this.fail("merge", "conflict", "Merge conflict");
      const date = this.tick();
      const commit = this.git.addCommit({ tree: outcome.tree, parents: [base, head], message: options.message, author: userOf(this.botLogin, date), login: this.botLogin, date });
      this.git.branches.set(options.base, commit.sha);
      return { status: "merged", commit: this.toGitCommit(commit) };
    });
  }

  // --- GitHubPort: pull requests ----------------------------------------------------------------------------

  getPull(number: number): Promise<PullRequest> {
    return this.call("getPull", [number], () => this.toPull(this.pullRecord(number, "getPull")));
  }

  private pullsWhere(test: (pull: PullRequest) => boolean): PullRequest[] {
    return this.allPulls().filter(test);
  }

  listPullsByHead(head: string): Promise<PullRequest[]> {
    return this.call("listPullsByHead", [head], () => this.pullsWhere((p) => p.head.ref === head).sort((a, b) => b.number - a.number));
  }

  listPullsForCommit(sha: string): Promise<PullRequest[]> {
    return this.call("listPullsForCommit", [sha], () => {
      const full = this.git.resolve(sha);
      if (!full) return [];
      return this.pullsWhere((p) => p.mergeCommitSha === full || this.commitsBetween(p.base.sha, p.head.sha).includes(full));
    });
  }

  listClosedPulls(options: { base: string; since: string; max?: number }): Promise<PullRequest[]> {
    return this.call("listClosedPulls", [options], () =>
      this.pullsWhere((p) => p.state === "closed" && p.base.ref === options.base && p.updatedAt >= options.since)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.number - a.number)
        .slice(0, options.max ?? 300));
  }

  listPullCommits(number: number): Promise<GitCommit[]> {
    return this.call("listPullCommits", [number], () => {
      const { head, base } = this.headOf(this.pullRecord(number, "listPullCommits"));
      return this.commitsBetween(base, head).slice(0, 250).map((sha) => this.toGitCommit(this.git.commit(sha)));
    });
  }

  createPull(options: { title: string; body: string; head: string; base: string; draft?: boolean }): Promise<PullRequest> {
    return this.call("createPull", [options], () => {
      this.checkBody("createPull", options.body);
      const headSha = this.git.branches.get(options.head) ?? this.fail("createPull", "invalid", "Validation Failed: head invalid");
      const baseSha = this.git.branches.get(options.base) ?? this.fail("createPull", "invalid", "Validation Failed: base invalid");
      const open = this.pullsWhere((p) => p.state === "open" && p.head.ref === options.head && p.base.ref === options.base);
      if (open.length > 0) this.fail("createPull", "already-exists", `Validation Failed: A pull request already exists for ${this.owner}:${options.head}.`);
      if (this.git.isAncestor(headSha, baseSha)) this.fail("createPull", "invalid", `Validation Failed: No commits between ${options.base} and ${options.head}`);
      const pull: PullFields = {
        headRef: options.head, baseRef: options.base, headSha, baseSha, merged: false, mergedAt: null, mergeCommitSha: null, mergedBy: null, requestedReviewers: [], draft: options.draft ?? false,
      };
      return this.toPull(this.newIssue({ title: options.title, body: options.body, author: this.botLogin }, pull));
    });
  }

  requestReviewers(options: { number: number; reviewers: string[] }): Promise<void> {
    return this.call("requestReviewers", [options], () => {
      const issue = this.pullRecord(options.number, "requestReviewers");
      for (const login of options.reviewers) {
        if (sameLogin(login, issue.author)) this.fail("requestReviewers", "invalid", "Validation Failed: Review cannot be requested from pull request author.");
        if (RANK[this.permissions.get(lower(login)) ?? "none"] < RANK.read) {
          this.fail("requestReviewers", "invalid", "Validation Failed: Reviews may only be requested from collaborators.");
        }
      }
      for (const login of options.reviewers) if (!issue.pull.requestedReviewers.some((r) => sameLogin(r, login))) issue.pull.requestedReviewers.push(login);
      issue.updatedAt = this.tick();
    });
  }

  listPullsCreatedSince(since: string): Promise<PullRequest[]> {
    return this.call("listPullsCreatedSince", [since], () => this.pullsWhere((p) => p.createdAt >= since).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.number - a.number));
  }

  listOpenPulls(options: { base?: string }): Promise<PullRequest[]> {
    return this.call("listOpenPulls", [options], () => this.pullsWhere((p) => p.state === "open" && (!options.base || p.base.ref === options.base)).sort((a, b) => b.number - a.number));
  }

  listLabelEvents(number: number): Promise<LabelEvent[]> {
    return this.call("listLabelEvents", [number], () => {
      this.record(number, "listLabelEvents");
      return this.labelEvents.get(number) ?? [];
    });
  }

  listPullFiles(number: number): Promise<string[]> {
    return this.call("listPullFiles", [number], () => {
      const { head, base } = this.headOf(this.pullRecord(number, "listPullFiles"));
      const mergeBase = this.git.mergeBase(base, head);
      return this.git.changedPaths(mergeBase ? this.git.commit(mergeBase).tree : this.git.treeOf({}), this.git.commit(head).tree);
    });
  }

  // --- GitHubPort: checks and Actions -----------------------------------------------------------------------

  createCheckRun(options: { name: string; headSha: string; conclusion: CheckConclusion; title: string; summary: string; text?: string }): Promise<void> {
    const found = () => this.checkRuns.some((r) => r.name === options.name && r.headSha === options.headSha);
    return this.call("createCheckRun", [options], () => {
      if (!this.git.get(options.headSha)) this.fail("createCheckRun", "invalid", `No commit found for SHA: ${options.headSha}`);
      const { name, headSha, conclusion, title, summary } = options;
      this.checkRuns.push({ name, headSha, conclusion, title, summary, text: options.text ?? null });
      this.tick();
    }, found);
  }

  hasDispatchedRun(options: { workflow: string; ref: string; since: string }): Promise<boolean> {
    return this.call("hasDispatchedRun", [options], () => this.workflowRuns.some((r) => r.workflow === options.workflow && r.ref === options.ref && r.createdAt >= options.since));
  }

  dispatchWorkflow(options: { workflow: string; ref: string; inputs?: Record<string, string> }): Promise<void> {
    const before = this.workflowRuns.length;
    const found = () => this.workflowRuns.slice(before).some((r) => r.workflow === options.workflow && r.ref === options.ref);
    return this.call("dispatchWorkflow", [options], () => {
      if (!this.workflows.has(options.workflow)) this.fail("dispatchWorkflow", "not-found", "Not Found");
      if (!this.git.branches.has(options.ref) && !this.git.tags.has(options.ref)) this.fail("dispatchWorkflow", "invalid", `No ref found for: ${options.ref}`);
      this.workflowRuns.push({ id: this.workflowRuns.length + 1, workflow: options.workflow, ref: options.ref, inputs: { ...(options.inputs ?? {}) }, createdAt: this.tick() });
    }, found);
  }

  // --- GitHubPort: issues, comments, labels, reactions ------------------------------------------------------

  getIssue(number: number): Promise<Issue> {
    return this.call("getIssue", [number], () => this.toIssue(this.record(number, "getIssue")));
  }

  listIssues(options: { labels: string[]; state: "open" | "closed" | "all" }): Promise<Issue[]> {
    return this.call("listIssues", [options], () =>
      [...this.issues.values()]
        .filter((i) => !i.pull && (options.state === "all" || i.state === options.state))
        .filter((i) => options.labels.every((wanted) => i.labels.some((l) => lower(l) === lower(wanted))))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.number - a.number)
        .map((i) => this.toIssue(i)));
  }

  createIssue(options: { title: string; body: string; labels?: string[]; assignees?: string[] }): Promise<Issue> {
    return this.call("createIssue", [options], () => {
      this.checkBody("createIssue", options.body);
      return this.toIssue(this.newIssue({ title: options.title, body: options.body, author: this.botLogin, labels: options.labels ?? [], assignees: options.assignees ?? [] }, null));
    });
  }

  updateIssue(options: { number: number; title?: string; body?: string; state?: "open" | "closed"; labels?: string[]; milestone?: number | null; assignees?: string[] }): Promise<Issue> {
    return this.call("updateIssue", [options], () => {
      const issue = this.record(options.number, "updateIssue");
      this.checkBody("updateIssue", options.body);
      if (options.milestone !== undefined && options.milestone !== null && !this.milestones.some((m) => m.number === options.milestone)) {
        this.fail("updateIssue", "invalid", "Validation Failed: milestone invalid");
      }
      if (options.state === "open" && issue.state === "closed" && issue.pull && (issue.pull.merged || !this.git.branches.has(issue.pull.headRef))) {
        this.fail("updateIssue", "invalid", "Validation Failed: state cannot be changed");
      }
      const now = this.tick();
      if (options.title !== undefined) issue.title = options.title;
      if (options.body !== undefined) issue.body = options.body;
      if (options.labels !== undefined) this.setLabels(issue, options.labels, this.botLogin);
      if (options.milestone !== undefined) issue.milestone = options.milestone;
      if (options.assignees !== undefined) issue.assignees = [...options.assignees];
      if (options.state === "closed" && issue.state === "open") this.closeRecord(issue, now);
      if (options.state === "open" && issue.state === "closed") Object.assign(issue, { state: "open", closedAt: null });
      issue.updatedAt = now;
      return this.toIssue(issue);
    });
  }

  listComments(number: number): Promise<IssueComment[]> {
    return this.call("listComments", [number], () => {
      this.record(number, "listComments");
      return this.commentsOn(number);
    });
  }

  createComment(options: { number: number; body: string }): Promise<IssueComment> {
    return this.call("createComment", [options], () => {
      this.record(options.number, "createComment");
      this.checkBody("createComment", options.body);
      return this.toComment(this.newComment(options.number, options.body, this.botLogin, true));
    });
  }

  updateComment(options: { id: number; body: string }): Promise<IssueComment> {
    return this.call("updateComment", [options], () => {
      const comment = this.comments.get(options.id) ?? this.fail("updateComment", "not-found", "Not Found");
      this.checkBody("updateComment", options.body);
      comment.body = options.body;
      this.tick();
      return this.toComment(comment);
    });
  }

  deleteComment(id: number): Promise<void> {
    return this.call("deleteComment", [id], () => {
      // Already gone: done (the adapter treats GitHub's 404 so).
      this.comments.delete(id);
      this.tick();
    });
  }

  addReaction(options: { commentId: number; content: "+1" | "eyes" | "confused" | "rocket" }): Promise<void> {
    return this.call("addReaction", [options], () => {
      if (!this.comments.has(options.commentId)) this.fail("addReaction", "not-found", "Not Found");
      const reactions = this.reactions.get(options.commentId) ?? [];
      // GitHub answers 200 with the existing reaction: one per person and content.
      if (!reactions.some((r) => r.content === options.content && r.user === this.botLogin)) reactions.push({ content: options.content, user: this.botLogin });
      this.reactions.set(options.commentId, reactions);
    });
  }

  listMilestones(): Promise<Milestone[]> {
    return this.call("listMilestones", [], () => this.milestones);
  }
}

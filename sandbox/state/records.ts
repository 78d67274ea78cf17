/**
 * The changes to collaboration state that both the REST routes and the scenario (what people do) make:
 * one place each for labels (and the events that record who changed them), comments, new pull requests,
 * merges, an open PR's live branch heads, and PRs closed because their head branch was deleted.
 */
import type { BareRepo } from "../git/bare-repo.js";
import type { Store } from "./store.js";
import type { CommentRecord, IssueEventRecord, IssueRecord, LabelRecord, PullRecord, RepoRecord, UserRecord } from "./types.js";

/** The colour GitHub gives labels it creates implicitly (added to an issue before they existed). */
export const DEFAULT_LABEL_COLOR = "ededed";

/** Labels are keyed by name; GitHub matches names case-insensitively. */
export function findLabel(repo: RepoRecord, name: string): LabelRecord | undefined {
  const direct = repo.labels.get(name);
  if (direct) return direct;
  const key = name.toLowerCase();
  for (const label of repo.labels.values()) if (label.name.toLowerCase() === key) return label;
  return undefined;
}

export function ensureLabel(store: Store, { repo, name }: { repo: RepoRecord; name: string }): LabelRecord {
  const existing = findLabel(repo, name);
  if (existing) return existing;
  const label: LabelRecord = { id: store.nextId(), name, color: DEFAULT_LABEL_COLOR, description: null };
  repo.labels.set(label.name, label);
  return label;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function labelEvent(store: Store, input: { repo: RepoRecord; issue: IssueRecord; event: IssueEventRecord["event"]; name: string; actor: UserRecord; at: string }): void {
  const label = ensureLabel(store, { repo: input.repo, name: input.name });
  input.repo.issueEvents.push({
    id: store.nextId(), issueNumber: input.issue.number, event: input.event, actor: input.actor,
    label: { name: label.name, color: label.color }, createdAt: input.at,
  });
}

/**
 * Adds labels (by name, created as needed) that the issue does not have yet; each one added is a `labeled` event
 * by `actor`. Returns the names it added.
 */
export function addLabels(store: Store, input: { repo: RepoRecord; issue: IssueRecord; names: string[]; actor: UserRecord }): string[] {
  const { repo, issue, actor } = input;
  const at = store.timestamp();
  const added: string[] = [];
  for (const name of input.names) {
    const label = ensureLabel(store, { repo, name });
    if (issue.labels.some((l) => sameName(l, label.name))) continue;
    issue.labels.push(label.name);
    added.push(label.name);
    labelEvent(store, { repo, issue, event: "labeled", name: label.name, actor, at });
  }
  issue.updatedAt = at;
  return added;
}

/** Removes a label the issue has (matched case-insensitively), as an `unlabeled` event by `actor`; false when it had none. */
export function removeLabel(store: Store, input: { repo: RepoRecord; issue: IssueRecord; name: string; actor: UserRecord }): boolean {
  const { repo, issue, actor } = input;
  const present = issue.labels.find((l) => sameName(l, input.name));
  if (present === undefined) return false;
  const at = store.timestamp();
  issue.labels = issue.labels.filter((l) => l !== present);
  labelEvent(store, { repo, issue, event: "unlabeled", name: present, actor, at });
  issue.updatedAt = at;
  return true;
}

/** Replaces the issue's labels: `unlabeled` for each one dropped, `labeled` for each one new. Returns both lists of names. */
export function setLabels(store: Store, input: { repo: RepoRecord; issue: IssueRecord; names: string[]; actor: UserRecord }): { added: string[]; removed: string[] } {
  const { repo, issue, actor } = input;
  const at = store.timestamp();
  const wanted = input.names.map((name) => ensureLabel(store, { repo, name }).name);
  const removed = issue.labels.filter((name) => !wanted.some((w) => sameName(w, name)));
  const added = wanted.filter((name) => !issue.labels.some((l) => sameName(l, name)));
  for (const name of removed) labelEvent(store, { repo, issue, event: "unlabeled", name, actor, at });
  for (const name of added) labelEvent(store, { repo, issue, event: "labeled", name, actor, at });
  issue.labels = wanted;
  return { added, removed };
}

export function addComment(store: Store, { repo, issue, body, user }: { repo: RepoRecord; issue: IssueRecord; body: string; user: UserRecord }): CommentRecord {
  const now = store.timestamp();
  const comment: CommentRecord = { id: store.nextId(), issueNumber: issue.number, body, user, createdAt: now, updatedAt: now };
  repo.comments.set(comment.id, comment);
  issue.updatedAt = now;
  return comment;
}

export interface NewPull {
  repo: RepoRecord;
  title: string;
  body: string | null;
  author: UserRecord;
  head: string;
  headSha: string;
  base: string;
  baseSha: string;
  draft?: boolean;
  maintainerCanModify?: boolean;
}

/** An open pull request: its issue half and its pull half, under the repository's next number. */
export function addPull(store: Store, input: NewPull): { issue: IssueRecord; pull: PullRecord } {
  const now = store.timestamp();
  const number = input.repo.nextNumber++;
  const issue: IssueRecord = {
    id: store.nextId(), number, title: input.title, body: input.body, user: input.author, state: "open", stateReason: null,
    labels: [], assignees: [], milestone: null, locked: false, createdAt: now, updatedAt: now, closedAt: null, closedBy: null, isPull: true,
  };
  const pull: PullRecord = {
    id: store.nextId(), number, headRef: input.head, headSha: input.headSha, baseRef: input.base, baseSha: input.baseSha,
    draft: input.draft ?? false, maintainerCanModify: input.maintainerCanModify ?? true, merged: false, mergedAt: null,
    mergedBy: null, mergeCommitSha: null, requestedReviewers: [], commits: null,
  };
  input.repo.issues.set(number, issue);
  input.repo.pulls.set(number, pull);
  return { issue, pull };
}

/** Where an open PR's branches are now; a closed one keeps the heads it had when it closed. */
export async function liveShas(git: BareRepo, { issue, pull }: { issue: IssueRecord; pull: PullRecord }): Promise<{ headSha: string; baseSha: string }> {
  if (issue.state === "closed") return { headSha: pull.headSha, baseSha: pull.baseSha };
  const headSha = (await git.readRef(`refs/heads/${pull.headRef}`)) ?? pull.headSha;
  const baseSha = (await git.readRef(`refs/heads/${pull.baseRef}`)) ?? pull.baseSha;
  return { headSha, baseSha };
}

/** Records a merge: the PR keeps its commits and heads, its issue half closes. */
export function recordMerge(input: {
  issue: IssueRecord;
  pull: PullRecord;
  sha: string;
  commits: string[];
  headSha: string;
  baseSha: string;
  merger: UserRecord;
  now: string;
}): void {
  const { issue, pull, now, merger } = input;
  Object.assign(pull, { merged: true, mergedAt: now, mergedBy: merger, mergeCommitSha: input.sha, commits: input.commits, headSha: input.headSha, baseSha: input.baseSha });
  Object.assign(issue, { state: "closed", closedAt: now, closedBy: merger, updatedAt: now });
}

/** Closes one open PR whose head branch is gone: it keeps `headSha` and the base as it is now (see PullRecord.headSha). */
async function closeForDeletedHead(store: Store, input: { repo: RepoRecord; issue: IssueRecord; pull: PullRecord; headSha: string; by: UserRecord | null }): Promise<void> {
  const { repo, issue, pull } = input;
  pull.headSha = input.headSha;
  pull.baseSha = (await store.git(repo).readRef(`refs/heads/${pull.baseRef}`)) ?? pull.baseSha;
  const now = store.timestamp();
  Object.assign(issue, { state: "closed", closedAt: now, closedBy: input.by, updatedAt: now });
}

function openPulls(repo: RepoRecord): { issue: IssueRecord; pull: PullRecord }[] {
  const found: { issue: IssueRecord; pull: PullRecord }[] = [];
  for (const pull of repo.pulls.values()) {
    const issue = repo.issues.get(pull.number);
    if (issue && issue.state === "open" && !pull.merged) found.push({ issue, pull });
  }
  return found;
}

/**
 * GitHub closes an open pull request (closed, not merged) when its head branch is deleted. Call after `branch`
 * was deleted at `sha`; `by` is who deleted it (null when unknown). Returns the PRs it closed.
 */
export async function closePullsWithDeletedHead(
  store: Store,
  input: { repo: RepoRecord; branch: string; sha: string; by: UserRecord | null },
): Promise<PullRecord[]> {
  const { repo, branch } = input;
  const closing = openPulls(repo).filter(({ pull }) => pull.headRef === branch);
  for (const { issue, pull } of closing) await closeForDeletedHead(store, { repo, issue, pull, headSha: input.sha, by: input.by });
  return closing.map(({ pull }) => pull);
}

/**
 * Closes open PRs whose head branch is gone though nobody deleted it through the sandbox (a test removed the
 * ref with git itself). Each keeps the head it last recorded; who deleted the branch is unknown. Reads the
 * branches (unless the caller has them: `branches`, names without `refs/heads/`) only when there is an open PR.
 */
export async function settleDeletedHeads(store: Store, repo: RepoRecord, branches?: ReadonlySet<string>): Promise<void> {
  const open = openPulls(repo);
  if (open.length === 0) return;
  const heads = branches ?? new Set((await store.git(repo).listRefs("refs/heads/")).map((r) => r.ref.slice("refs/heads/".length)));
  for (const { issue, pull } of open) {
    if (!heads.has(pull.headRef)) await closeForDeletedHead(store, { repo, issue, pull, headSha: pull.headSha, by: null });
  }
}

/**
 * The changes to collaboration state that both the REST routes and the scenario (what people do) make:
 * one place each for labels, comments, new pull requests, merges and an open PR's live branch heads.
 */
import type { BareRepo } from "../git/bare-repo.js";
import type { Store } from "./store.js";
import type { CommentRecord, IssueRecord, LabelRecord, PullRecord, RepoRecord, UserRecord } from "./types.js";

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

/**
 * GitHub's REST JSON, as far as we read it, and its mapping into our shapes (types.ts). The raw
 * interfaces name only the fields we use; fields GitHub may leave null are typed so.
 */
import type { CommitSummary, Comparison, GitCommit, GitUser, Issue, IssueComment, Milestone, Permission, PullRequest, Release } from "./types.js";

interface RawUser {
  login: string;
  type?: string;
}

interface RawGitUser {
  name?: string;
  email?: string;
  date?: string;
}

/** `git/get-commit`, `git/create-commit`. */
export interface RawGitCommit {
  sha: string;
  tree: { sha: string };
  parents: { sha: string }[];
  message: string;
  author: RawGitUser | null;
}

/** `repos/get-commit`, `repos/list-commits`, `compare`, `pulls/list-commits`, `repos/merge`. */
export interface RawRepoCommit {
  sha: string;
  commit: { message: string; tree: { sha: string }; author: RawGitUser | null; committer: RawGitUser | null };
  author: RawUser | null;
  parents: { sha: string }[];
  files?: RawFile[];
}

export interface RawFile {
  filename: string;
  previous_filename?: string;
}

export interface RawComparison {
  status: Comparison["status"];
  merge_base_commit: RawRepoCommit;
  commits: RawRepoCommit[];
  files?: RawFile[];
}

interface RawLabel {
  name?: string;
}

export interface RawPull {
  number: number;
  title: string;
  body: string | null;
  state: string;
  merged_at: string | null;
  merge_commit_sha: string | null;
  merged_by?: RawUser | null;
  user: RawUser | null;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  labels: (RawLabel | string)[];
  draft?: boolean | null;
  requested_reviewers?: (RawUser | null)[] | null;
  html_url: string;
  milestone: { number: number } | null;
  updated_at: string;
  created_at: string;
}

export interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: (RawLabel | string)[];
  user?: RawUser | null;
  assignees?: RawUser[] | null;
  html_url: string;
  pull_request?: unknown;
  created_at: string;
  closed_at?: string | null;
}

export interface RawComment {
  id: number;
  body?: string;
  user: RawUser | null;
  created_at: string;
  html_url: string;
}

export interface RawRelease {
  tag_name: string;
  published_at: string | null;
  created_at: string;
  draft: boolean;
  prerelease: boolean;
}

export interface RawMilestone {
  number: number;
  title: string;
  state: string;
}

export interface RawPermission {
  permission: string;
  role_name?: string;
}

export interface RawContent {
  type?: string;
  encoding?: string;
  content?: string;
}

const gitUser = (user: RawGitUser | null): GitUser => ({ name: user?.name ?? "", email: user?.email ?? "", date: user?.date ?? "" });

export const fromGitCommit = (raw: RawGitCommit): GitCommit => ({
  sha: raw.sha,
  tree: raw.tree.sha,
  parents: raw.parents.map((p) => p.sha),
  message: raw.message,
  author: gitUser(raw.author),
});

/** A repository commit (with its `commit` object) as a git commit. */
export const fromRepoCommit = (raw: RawRepoCommit): GitCommit => ({
  sha: raw.sha,
  tree: raw.commit.tree.sha,
  parents: raw.parents.map((p) => p.sha),
  message: raw.commit.message,
  author: gitUser(raw.commit.author),
});

export const toSummary = (raw: RawRepoCommit): CommitSummary => ({
  sha: raw.sha,
  message: raw.commit.message,
  authorLogin: raw.author?.login ?? null,
  date: raw.commit.committer?.date ?? raw.commit.author?.date ?? "",
});

/** Paths a diff touches: both sides of a rename. */
export const filePaths = (files: RawFile[] | undefined): string[] =>
  [...new Set((files ?? []).flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename])))];

export const fromComparison = (raw: RawComparison): Comparison => ({
  status: raw.status,
  mergeBase: { sha: raw.merge_base_commit.sha, date: toSummary(raw.merge_base_commit).date },
  commits: raw.commits.map(toSummary),
  files: filePaths(raw.files),
  renames: Object.fromEntries((raw.files ?? []).flatMap((f) => (f.previous_filename ? [[f.filename, f.previous_filename]] : []))),
});

const labelNames = (labels: (RawLabel | string)[]): string[] =>
  labels.flatMap((label) => (typeof label === "string" ? [label] : label.name ? [label.name] : []));

const openOrClosed = (state: string): "open" | "closed" => (state === "closed" ? "closed" : "open");

export const fromPull = (raw: RawPull): PullRequest => ({
  number: raw.number,
  title: raw.title,
  body: raw.body,
  state: openOrClosed(raw.state),
  merged: raw.merged_at !== null,
  mergedAt: raw.merged_at,
  mergeCommitSha: raw.merge_commit_sha,
  mergedBy: raw.merged_by?.login ?? null,
  author: raw.user?.login ?? "",
  head: { ref: raw.head.ref, sha: raw.head.sha },
  base: { ref: raw.base.ref, sha: raw.base.sha },
  labels: labelNames(raw.labels),
  draft: raw.draft === true,
  requestedReviewers: (raw.requested_reviewers ?? []).flatMap((u) => (u?.login ? [u.login] : [])),
  htmlUrl: raw.html_url,
  milestone: raw.milestone?.number ?? null,
  updatedAt: raw.updated_at,
  createdAt: raw.created_at,
});

export const fromIssue = (raw: RawIssue): Issue => ({
  number: raw.number,
  title: raw.title,
  body: raw.body ?? null,
  author: raw.user?.login ?? "",
  state: openOrClosed(raw.state),
  labels: labelNames(raw.labels),
  assignees: (raw.assignees ?? []).map((a) => a.login),
  htmlUrl: raw.html_url,
  isPullRequest: raw.pull_request !== undefined && raw.pull_request !== null,
  createdAt: raw.created_at,
  closedAt: raw.closed_at ?? null,
});

export const fromComment = (raw: RawComment): IssueComment => ({
  id: raw.id,
  body: raw.body ?? "",
  author: raw.user?.login ?? "",
  authorIsBot: raw.user?.type === "Bot",
  createdAt: raw.created_at,
  htmlUrl: raw.html_url,
});

export const fromRelease = (raw: RawRelease): Release => ({
  tagName: raw.tag_name,
  publishedAt: raw.published_at ?? raw.created_at ?? null,
  draft: raw.draft,
  prerelease: raw.prerelease,
});

export const fromMilestone = (raw: RawMilestone): Milestone => ({ number: raw.number, title: raw.title, state: openOrClosed(raw.state) });

const ROLES: readonly Permission[] = ["admin", "maintain", "write", "triage", "read"];
const isRole = (value: string | undefined): value is Permission => value !== undefined && (ROLES as readonly string[]).includes(value);

/** The fine-grained role when GitHub names one of the built-in roles, else the legacy permission (admin/write/read/none). */
export function fromPermission(raw: RawPermission): Permission {
  if (isRole(raw.role_name)) return raw.role_name;
  return isRole(raw.permission) ? raw.permission : "none";
}

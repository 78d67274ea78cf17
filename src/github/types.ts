/**
 * Our own shapes for what the App reads from GitHub. The Octokit adapter maps REST responses into these;
 * workflows and renderers never see Octokit types.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface GitUser {
  name: string;
  email: string;
  /** ISO 8601 timestamp. */
  date: string;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitUser;
}

/** One entry of a git tree (one level): a file (`blob`), a directory (`tree`) or a submodule (`commit`). */
export interface TreeEntry {
  name: string;
  /** `100644`, `100755` (executable), `120000` (symlink), `040000` (directory), `160000` (submodule). */
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Bytes, for blobs. */
  size: number | null;
}

/** A change to a tree by path: the entry to put there, or `sha: null` to remove the file. */
export interface TreeEdit {
  path: string;
  mode: string;
  sha: string | null;
}

export interface BranchHead {
  name: string;
  sha: string;
  tree: string;
}

/** A commit as `repos/list-commits` and `repos/compare-commits` list it. */
export interface CommitSummary {
  sha: string;
  message: string;
  authorLogin: string | null;
  /** Committer date, ISO 8601. */
  date: string;
}

export interface Comparison {
  status: "identical" | "ahead" | "behind" | "diverged";
  mergeBase: { sha: string; date: string };
  /** Commits in head and not in base, oldest first (GitHub lists at most 250). */
  commits: CommitSummary[];
  /** Paths changed on head since the merge base (GitHub lists at most 300 files; renamed files under both names). */
  files: string[];
  /** Files renamed on head since the merge base, among the files listed: new path → path at the merge base. */
  renames?: Record<string, string>;
}

export type PullState = "open" | "closed";

export interface PullRequest {
  number: number;
  title: string;
  body: string | null;
  state: PullState;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  author: string;
  /** Head branch name and sha. */
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  labels: string[];
  /** A draft PR: not ready for review, cannot be merged. */
  draft: boolean;
  /** People asked to review and not yet reviewing. */
  requestedReviewers: string[];
  htmlUrl: string;
  milestone: number | null;
  /** ISO 8601. */
  updatedAt: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface IssueComment {
  id: number;
  body: string;
  author: string;
  /** True when GitHub says the author is a bot (an App). */
  authorIsBot: boolean;
  createdAt: string;
  htmlUrl: string;
}

export interface Issue {
  number: number;
  title: string;
  body: string | null;
  /** Who opened it (`<slug>[bot]` for an App). */
  author: string;
  state: "open" | "closed";
  labels: string[];
  assignees: string[];
  htmlUrl: string;
  isPullRequest: boolean;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, when closed. */
  closedAt: string | null;
}

export interface Release {
  tagName: string;
  /** Publication day (or creation, for releases never published), ISO 8601. */
  publishedAt: string | null;
  draft: boolean;
  prerelease: boolean;
}

/** A label added to or removed from an issue or PR, and by whom. */
export interface LabelEvent {
  action: "labeled" | "unlabeled";
  label: string;
  actor: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface Milestone {
  number: number;
  title: string;
  state: "open" | "closed";
}

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/** Result of `POST /merges`: the merge commit, or nothing when the head was already merged. */
export type MergeResult = { status: "merged"; commit: GitCommit } | { status: "nothing-to-merge" };

export type CheckConclusion = "success" | "failure" | "neutral";

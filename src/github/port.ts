/**
 * The one narrow port through which the App talks to GitHub: only the calls we make, in our own shapes.
 * Errors come out as `GitHubError` (see errors.ts), never as Octokit's. Implemented by the Octokit adapter
 * (octokit-port.ts), which also paces writes per installation and retries transient failures.
 */
import type { Advisory, AdvisoryVulnerability } from "../advisory/types.js";
import type {
  BranchHead, CheckConclusion, TreeEdit, TreeEntry, CommitSummary, Comparison, GitCommit, Issue, IssueComment, LabelEvent, MergeResult, Milestone, Permission, PullRequest, Release,
} from "./types.js";

export interface GitHubPort {
  readonly owner: string;
  readonly repo: string;
  /** The App's own login (`<slug>[bot]`): only records it authored are the App's state (src/state/records.ts). */
  readonly botLogin: string;

  // Repository and git reads
  getDefaultBranch(): Promise<string>;
  /** The branch head, or null when the branch does not exist. */
  getBranch(name: string): Promise<BranchHead | null>;
  /** Branch names starting with `prefix` (through `git/list-matching-refs`). */
  listBranches(prefix: string): Promise<string[]>;
  getCommit(sha: string): Promise<GitCommit>;
  /** Paths the commit changes against its first parent. */
  getCommitFiles(sha: string): Promise<string[]>;
  /** Three-dot comparison `base...head`. */
  /** Files a commit renamed (against its first parent): new path → old path. */
  getCommitRenames(sha: string): Promise<Record<string, string>>;
  compare(base: string, head: string): Promise<Comparison>;
  /** Commits reachable from `sha`, newest first, optionally only those touching `path` and committed since `since`. */
  listCommits(options: { sha: string; path?: string; since?: string; max?: number }): Promise<CommitSummary[]>;
  listReleases(): Promise<Release[]>;
  /** A file's text on a ref, or null when it does not exist. */
  getFileText(options: { path: string; ref?: string }): Promise<string | null>;
  getPermission(login: string): Promise<Permission>;
  /** A repository security advisory, or null when it does not exist or the App cannot see it. */
  getRepositoryAdvisory(ghsaId: string): Promise<Advisory | null>;
  /** This repository's published advisories, newest publication first; one page (at most 100): a bounded read for recovery. */
  listPublishedAdvisories(): Promise<Advisory[]>;
  /**
   * This repository's draft advisories, newest first; one page (at most 100). Private: nothing read from
   * them may reach a public write or a log line.
   */
  listDraftAdvisories(): Promise<Advisory[]>;
  /** Replaces a repository advisory's vulnerabilities (needs the advisories write permission). */
  updateAdvisoryVulnerabilities(options: { ghsaId: string; vulnerabilities: AdvisoryVulnerability[] }): Promise<void>;

  /** A tree's entries, one level (not recursive). */
  getTree(sha: string): Promise<TreeEntry[]>;
  /** A blob's bytes (GitHub serves blobs up to 100 MB). */
  getBlob(sha: string): Promise<Buffer>;

  // Git writes
  /** Stores bytes as a blob; its sha. Content-addressed, so sending it twice is harmless. */
  createBlob(content: Buffer): Promise<string>;
  /** The tree `base` with files put or removed by path; its sha. Content-addressed like a blob. */
  createTree(options: { base: string; edits: TreeEdit[] }): Promise<string>;
  createCommit(options: { message: string; tree: string; parents: string[] }): Promise<GitCommit>;
  /** Creates `refs/heads/<branch>`; a `GitHubError` with code `already-exists` when it exists. */
  createBranch(options: { branch: string; sha: string }): Promise<void>;
  updateBranch(options: { branch: string; sha: string; force: boolean }): Promise<void>;
  deleteBranch(branch: string): Promise<void>;
  /** Server-side merge of `head` into `base` (a branch); a `GitHubError` with code `conflict` on 409. */
  merge(options: { base: string; head: string; message: string }): Promise<MergeResult>;

  // Pull requests
  getPull(number: number): Promise<PullRequest>;
  /** Pull requests from `head` (a branch in this repository), any state. */
  listPullsByHead(head: string): Promise<PullRequest[]>;
  /** Pull requests whose commits include `sha` (merged PRs for a commit on the default branch). */
  listPullsForCommit(sha: string): Promise<PullRequest[]>;
  /** Closed PRs into `base`, most recently updated first, down to those updated before `since` (ISO 8601). */
  listClosedPulls(options: { base: string; since: string; max?: number }): Promise<PullRequest[]>;
  /** The PR's commits, oldest first (GitHub lists at most 250). */
  listPullCommits(number: number): Promise<GitCommit[]>;
  createPull(options: { title: string; body: string; head: string; base: string; draft?: boolean }): Promise<PullRequest>;
  requestReviewers(options: { number: number; reviewers: string[] }): Promise<void>;

  /** PRs of any state created since `since` (ISO 8601), newest first. */
  listPullsCreatedSince(since: string): Promise<PullRequest[]>;
  /** Open PRs, optionally only those into `base`. */
  listOpenPulls(options: { base?: string }): Promise<PullRequest[]>;
  /** Who added each label to an issue or PR, oldest first (from its `labeled` events). */
  listLabelEvents(number: number): Promise<LabelEvent[]>;
  /** Paths a PR changes. */
  listPullFiles(number: number): Promise<string[]>;

  // Checks and Actions
  createCheckRun(options: { name: string; headSha: string; conclusion: CheckConclusion; title: string; summary: string; text?: string }): Promise<void>;
  /** Whether a `workflow_dispatch` run of the workflow on `ref` was created at or after `since` (ISO 8601). */
  hasDispatchedRun(options: { workflow: string; ref: string; since: string }): Promise<boolean>;
  /** Starts a `workflow_dispatch` run of a workflow file (e.g. `main.yml`) on a branch. */
  dispatchWorkflow(options: { workflow: string; ref: string; inputs?: Record<string, string> }): Promise<void>;

  // Issues, comments, labels, reactions
  getIssue(number: number): Promise<Issue>;
  /** Issues (not PRs) with all of `labels`, in the given state, newest first. */
  listIssues(options: { labels: string[]; state: "open" | "closed" | "all" }): Promise<Issue[]>;
  createIssue(options: { title: string; body: string; labels?: string[]; assignees?: string[] }): Promise<Issue>;
  updateIssue(options: { number: number; title?: string; body?: string; state?: "open" | "closed"; labels?: string[]; milestone?: number | null; assignees?: string[] }): Promise<Issue>;
  listComments(number: number): Promise<IssueComment[]>;
  createComment(options: { number: number; body: string }): Promise<IssueComment>;
  updateComment(options: { id: number; body: string }): Promise<IssueComment>;
  /** Removes one of the App's comments (a twin left by two replicas racing); a comment already gone is not an error. */
  deleteComment(id: number): Promise<void>;
  addReaction(options: { commentId: number; content: "+1" | "eyes" | "confused" | "rocket" }): Promise<void>;
  listMilestones(): Promise<Milestone[]>;
}

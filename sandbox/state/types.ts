/**
 * The sandbox's collaboration state: plain records kept in memory. Git objects are not here; they live in
 * each repository's bare git directory. Route handlers turn these records into GitHub-shaped JSON with
 * `sandbox/shapes/`, and the webhook driver builds payloads from the same shapes.
 */

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface UserRecord {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface MilestoneRecord {
  id: number;
  number: number;
  title: string;
  state: "open" | "closed";
}

/** An issue or the issue half of a pull request (they share numbers, labels and comments, as on GitHub). */
export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: UserRecord;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: UserRecord | null;
  /** Set when this number is a pull request. */
  isPull: boolean;
}

export interface PullRecord {
  id: number;
  number: number;
  headRef: string;
  /** The head commit when the PR was merged or closed; an open PR follows its branch. */
  headSha: string;
  baseRef: string;
  baseSha: string;
  draft: boolean;
  maintainerCanModify: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: UserRecord | null;
  mergeCommitSha: string | null;
  requestedReviewers: string[];
  /** Commits of the PR in order (oldest first), fixed at merge time. */
  commits: string[] | null;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: UserRecord;
  createdAt: string;
  updatedAt: string;
}

export interface ReactionRecord {
  id: number;
  subject: { kind: "issue" | "comment"; id: number };
  content: "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";
  user: UserRecord;
  createdAt: string;
}

export interface ReleaseRecord {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: UserRecord;
  createdAt: string;
  publishedAt: string | null;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  app: { id: number; slug: string };
}

export interface WorkflowDispatchRecord {
  workflowId: string;
  ref: string;
  inputs: Record<string, unknown>;
  at: string;
  by: UserRecord;
}

/**
 * A run that a `workflow_dispatch` queued. Nothing runs in the sandbox: the run stays `queued`, and exists so
 * the App can find a dispatch GitHub accepted before the answer was lost (`actions/list-workflow-runs`).
 */
export interface WorkflowRunRecord {
  id: number;
  /** Per workflow, from 1, as GitHub numbers runs. */
  runNumber: number;
  /** The workflow file's path, e.g. `.github/workflows/ci.yml`. */
  path: string;
  /** The branch or tag the run is for, without `refs/heads/` or `refs/tags/`. */
  headBranch: string;
  headSha: string;
  headCommit: { treeId: string; message: string; timestamp: string; author: { name: string; email: string }; committer: { name: string; email: string } };
  /** `workflow_dispatch` for the App's dispatches; `push` for CI runs a test completes (scenario.completeRun). */
  event: "workflow_dispatch" | "push";
  status: "queued" | "completed";
  /** Set once completed: success, failure, timed_out, cancelled… */
  conclusion: string | null;
  createdAt: string;
  actor: UserRecord;
}

/** An entry of an issue's (or PR's) event list; the sandbox records label changes, with who made them. */
export interface IssueEventRecord {
  id: number;
  issueNumber: number;
  event: "labeled" | "unlabeled";
  actor: UserRecord;
  label: { name: string; color: string };
  createdAt: string;
}

export interface AdvisoryVulnerability {
  package: { ecosystem: string; name: string | null };
  vulnerableVersionRange: string | null;
  patchedVersions: string | null;
  vulnerableFunctions: string[];
}

export interface AdvisoryRecord {
  ghsaId: string;
  cveId: string | null;
  summary: string;
  description: string;
  severity: "critical" | "high" | "medium" | "low" | null;
  state: "published" | "closed" | "withdrawn" | "draft" | "triage";
  vulnerabilities: AdvisoryVulnerability[];
  author: UserRecord;
  publisher: UserRecord | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  closedAt: string | null;
  withdrawnAt: string | null;
}

export interface RepoRecord {
  id: number;
  owner: UserRecord;
  name: string;
  private: boolean;
  defaultBranch: string;
  description: string | null;
  createdAt: string;
  /** The bare git repository holding this repository's objects and refs. */
  gitDir: string;
  installationId: number;
  collaborators: Map<string, Permission>;
  labels: Map<string, LabelRecord>;
  milestones: MilestoneRecord[];
  issues: Map<number, IssueRecord>;
  pulls: Map<number, PullRecord>;
  comments: Map<number, CommentRecord>;
  reactions: ReactionRecord[];
  releases: ReleaseRecord[];
  checkRuns: Map<number, CheckRunRecord>;
  dispatches: WorkflowDispatchRecord[];
  /** One per dispatch, newest last. */
  workflowRuns: WorkflowRunRecord[];
  workflows: string[];
  /** Label changes on issues and PRs, oldest first. */
  issueEvents: IssueEventRecord[];
  advisories: Map<string, AdvisoryRecord>;
  /** Next issue/PR number. */
  nextNumber: number;
}

export interface InstallationRecord {
  id: number;
  account: UserRecord;
  repositorySelection: "all" | "selected";
  createdAt: string;
}

export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  owner: UserRecord;
  /** PEM public key that app JWTs are verified with. */
  publicKey: string;
  /** The matching private key, handed to the App under test. */
  privateKey: string;
  webhookSecret: string;
  bot: UserRecord;
}

export interface TokenRecord {
  token: string;
  installationId: number;
  expiresAt: number;
  /**
   * Revoked by a simulated kill of the App process (`apply-then-kill`, `Sandbox.revokeInstallationTokens`):
   * requests carrying it get their connection dropped, unanswered and unapplied, as if their process had died.
   */
  revoked?: boolean;
}

/**
 * Failure hooks and the call log of the fake GitHub (fake-github.ts). A hook fails matching calls either
 * BEFORE GitHub applies them (nothing changed: a rate limit, a 5xx from the load balancer) or AFTER
 * (the write is applied, then the answer is lost: 5xx or a dropped connection, so `GitHubError.ambiguous`
 * is true for a write). Calls are matched by method, by kind (write or read), by count (`after` n, `times` k)
 * and by predicate; `chance(p, seed)` gives a seeded predicate for "30% of writes".
 */
import type { GitHubPort } from "../../src/github/port.js";
import { GitHubError, type GitHubErrorCode } from "../../src/github/errors.js";

/** The port's methods (everything but its identity). */
export type PortMethod = Exclude<keyof GitHubPort, "owner" | "repo" | "botLogin">;

/** Each method's REST operation, as the Octokit adapter names it in its errors. */
export const OPERATIONS: Record<PortMethod, string> = {
  getDefaultBranch: "GET /repos/{owner}/{repo}",
  getBranch: "GET /repos/{owner}/{repo}/branches/{branch}",
  listBranches: "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
  getCommit: "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
  getCommitFiles: "GET /repos/{owner}/{repo}/commits/{ref}",
  compare: "GET /repos/{owner}/{repo}/compare/{basehead}",
  listCommits: "GET /repos/{owner}/{repo}/commits",
  listReleases: "GET /repos/{owner}/{repo}/releases",
  getFileText: "GET /repos/{owner}/{repo}/contents/{path}",
  getPermission: "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
  getRepositoryAdvisory: "GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}",
  getTree: "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
  getBlob: "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
  createBlob: "POST /repos/{owner}/{repo}/git/blobs",
  createTree: "POST /repos/{owner}/{repo}/git/trees",
  createCommit: "POST /repos/{owner}/{repo}/git/commits",
  createBranch: "POST /repos/{owner}/{repo}/git/refs",
  updateBranch: "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
  deleteBranch: "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
  merge: "POST /repos/{owner}/{repo}/merges",
  getPull: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
  listPullsByHead: "GET /repos/{owner}/{repo}/pulls",
  listPullsForCommit: "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
  listClosedPulls: "GET /repos/{owner}/{repo}/pulls",
  listPullCommits: "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits",
  createPull: "POST /repos/{owner}/{repo}/pulls",
  requestReviewers: "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  listPullsCreatedSince: "GET /repos/{owner}/{repo}/pulls",
  listOpenPulls: "GET /repos/{owner}/{repo}/pulls",
  listLabelEvents: "GET /repos/{owner}/{repo}/issues/{issue_number}/events",
  listPullFiles: "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
  createCheckRun: "POST /repos/{owner}/{repo}/check-runs",
  dispatchWorkflow: "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
  getCommitRenames: "GET /repos/{owner}/{repo}/commits/{ref}",
  hasDispatchedRun: "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
  getIssue: "GET /repos/{owner}/{repo}/issues/{issue_number}",
  listIssues: "GET /repos/{owner}/{repo}/issues",
  createIssue: "POST /repos/{owner}/{repo}/issues",
  updateIssue: "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
  listComments: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
  createComment: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  listPublishedAdvisories: "GET /repos/{owner}/{repo}/security-advisories",
  listDraftAdvisories: "GET /repos/{owner}/{repo}/security-advisories",
  updateAdvisoryVulnerabilities: "PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}",
  updateComment: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
  deleteComment: "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
  addReaction: "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
  listMilestones: "GET /repos/{owner}/{repo}/milestones",
};

export const PORT_METHODS = Object.keys(OPERATIONS) as PortMethod[];
export const isWrite = (method: PortMethod): boolean => !OPERATIONS[method].startsWith("GET ");
export const WRITE_METHODS = PORT_METHODS.filter(isWrite);

/** One attempt at a call, as the hooks and the log see it. */
export interface FakeCall {
  /** Position in the log, from 1. */
  seq: number;
  method: PortMethod;
  /** The arguments the port method was called with. */
  args: unknown[];
  write: boolean;
  /** 0 for the first attempt; the port's own retries count up (see the header of fake-github.ts). */
  attempt: number;
}

export interface LoggedCall extends FakeCall {
  /** Whether GitHub applied it (for reads: answered). */
  applied: boolean;
  /** Where a hook failed it, if one did. */
  failed: "before" | "after" | null;
  /** The error code the caller saw for this attempt (`crash` for a simulated process death), or null. */
  error: string | null;
}

/** What a hook throws: a code (made into the `GitHubError` GitHub's answer would map to), an error, or a factory. */
export type FailureError = GitHubErrorCode | Error | ((call: FakeCall) => unknown);

export interface FailureSpec {
  /** Only these methods (all by default). */
  method?: PortMethod | readonly PortMethod[];
  /** Only writes (true) or only reads (false). */
  write?: boolean;
  /** Fail before GitHub applies the call (default) or after (applied, answer lost). */
  when?: "before" | "after";
  /** Default `server-error`. */
  error?: FailureError;
  /** Let the first `after` matching calls through. */
  after?: number;
  /** Then fail this many matching calls (default 1; `Infinity` for all). */
  times?: number;
  match?: (call: FakeCall) => boolean;
}

export interface FailureHook {
  readonly when: "before" | "after";
  /** Matching calls seen so far. */
  readonly seen: number;
  /** Calls it failed so far. */
  readonly fired: number;
  remove(): void;
}

const STATUS: Partial<Record<GitHubErrorCode, number>> = {
  "server-error": 502, "rate-limited": 429, conflict: 409, "already-exists": 422, invalid: 422, "not-found": 404, forbidden: 403,
};

/** The `GitHubError` the Octokit adapter would raise for this code on this method. */
export function errorFor(code: GitHubErrorCode, method: PortMethod, message = `fake GitHub: injected ${code}`): GitHubError {
  return new GitHubError({ code, status: STATUS[code] ?? null, operation: OPERATIONS[method], message, retryAfterMs: code === "rate-limited" ? 0 : null });
}

/** A simulated process death: thrown from the call it hit and from every call after it, until `restart()`. */
export class FakeCrash extends Error {
  constructor(readonly at: FakeCall | null) {
    super(at ? `fake GitHub: the App died after ${at.method} (call ${at.seq})` : "fake GitHub: the App is dead");
    this.name = "FakeCrash";
  }
}

class Hook implements FailureHook {
  seen = 0;
  fired = 0;
  readonly when: "before" | "after";
  constructor(private readonly spec: FailureSpec, private readonly hooks: Hook[]) {
    this.when = spec.when ?? "before";
  }

  private matches(call: FakeCall): boolean {
    const { method, write, match } = this.spec;
    if (method !== undefined && !(typeof method === "string" ? [method] : method).includes(call.method)) return false;
    if (write !== undefined && write !== call.write) return false;
    return match ? match(call) : true;
  }

  /** The error to throw for this call, or null when this hook lets it through (or `armed` is false: counted only). */
  trip(call: FakeCall, armed: boolean): unknown | null {
    if (!this.matches(call)) return null;
    this.seen++;
    if (!armed || this.seen <= (this.spec.after ?? 0) || this.fired >= (this.spec.times ?? 1)) return null;
    this.fired++;
    const error = this.spec.error ?? "server-error";
    if (typeof error === "string") return errorFor(error, call.method);
    return typeof error === "function" ? error(call) : error;
  }

  remove(): void {
    const index = this.hooks.indexOf(this);
    if (index >= 0) this.hooks.splice(index, 1);
  }
}

/** The hooks and the log of one fake. */
export class Faults {
  private readonly hooks: Hook[] = [];
  readonly log: LoggedCall[] = [];

  add(spec: FailureSpec): FailureHook {
    const hook = new Hook(spec, this.hooks);
    this.hooks.push(hook);
    return hook;
  }

  clear(): void {
    this.hooks.length = 0;
  }

  /**
   * The error the first firing hook of this phase throws for the call, or null. Every matching hook counts the
   * call (so `after: n` means "the n-th matching call", whatever other hooks do), but only one fires.
   */
  trip(phase: "before" | "after", call: FakeCall): unknown | null {
    let thrown: unknown | null = null;
    for (const hook of [...this.hooks]) {
      if (hook.when !== phase) continue;
      const error = hook.trip(call, thrown === null);
      if (error !== null) thrown = error;
    }
    return thrown;
  }
}

/** mulberry32: a small seeded generator, so a "30% of writes" run is the same run every time. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A predicate true for about `p` of the calls it is asked about, the same ones for the same seed. */
export function chance(p: number, seed: number): (call: FakeCall) => boolean {
  const next = seeded(seed);
  return () => next() < p;
}

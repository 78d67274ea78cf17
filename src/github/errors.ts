/**
 * Typed errors at the GitHub boundary. The Octokit adapter converts every failed request into a
 * `GitHubError` with a code; workflows branch on the code and render the message from `describeGitHubError`.
 */

export type GitHubErrorCode =
  /** 409 on a merge: the three-way merge has conflicts. Never retried. */
  | "conflict"
  /** 422 "Reference already exists", or a PR for the same head and base already exists. */
  | "already-exists"
  | "not-found"
  /** 403 without a rate limit: the App lacks a permission (e.g. `workflows` for a workflow file). */
  | "forbidden"
  /** 422 other than the above: GitHub refused the request as invalid. */
  | "invalid"
  /** Primary or secondary rate limit (403/429); retried after the advised wait. */
  | "rate-limited"
  /** 5xx; retried. */
  | "server-error"
  /** The connection failed or dropped; retried. */
  | "network";

export class GitHubError extends Error {
  readonly code: GitHubErrorCode;
  readonly status: number | null;
  /** The operation, e.g. `POST /repos/{owner}/{repo}/merges`. */
  readonly operation: string;
  /** For rate limits: how long GitHub asked us to wait, in milliseconds. */
  readonly retryAfterMs: number | null;

  constructor(options: { code: GitHubErrorCode; status: number | null; operation: string; message: string; retryAfterMs?: number | null }) {
    super(options.message);
    this.name = "GitHubError";
    this.code = options.code;
    this.status = options.status;
    this.operation = options.operation;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  get transient(): boolean {
    return this.code === "rate-limited" || this.code === "server-error" || this.code === "network";
  }

  /**
   * A write whose fate is unknown: GitHub may have applied it and lost the answer (5xx, a dropped connection,
   * a timeout). Creating again blindly could create twice; look the record up by its key first (docs/STATE.md).
   */
  get ambiguous(): boolean {
    return (this.code === "server-error" || this.code === "network") && !/^(GET|HEAD)\s/i.test(this.operation);
  }
}

export const isGitHubError = (error: unknown, code?: GitHubErrorCode): error is GitHubError =>
  error instanceof GitHubError && (code === undefined || error.code === code);

/** A write GitHub may or may not have applied (see `GitHubError.ambiguous`). */
export const isAmbiguous = (error: unknown): error is GitHubError => error instanceof GitHubError && error.ambiguous;

/** One sentence for people (comments, check runs): what failed and what it means. */
export function describeGitHubError(error: GitHubError): string {
  switch (error.code) {
    case "conflict":
      return "the changes do not apply cleanly (merge conflict)";
    case "already-exists":
      return `it already exists (${error.message})`;
    case "not-found":
      return `GitHub answered 404 Not Found for ${error.operation}`;
    case "forbidden":
      return `the App is not allowed to do this (${error.message}); check its permissions`;
    case "invalid":
      return `GitHub refused the request (${error.status ?? 422}: ${error.message})`;
    case "rate-limited":
      return "GitHub's rate limit was still exceeded after retrying";
    case "server-error":
      return `GitHub kept failing (${error.status ?? "5xx"}) after retrying`;
    case "network":
      return `the connection to GitHub kept failing after retrying (${error.message})`;
  }
}

/**
 * Octokit's failures as `GitHubError`s. Octokit throws a `RequestError` with `status` and, when GitHub
 * answered, `response` (headers and the JSON body with `message` and `errors`). When the connection
 * failed, `@octokit/request` throws a `RequestError` with status 500 and no `response`: that is a network
 * failure, not a GitHub 5xx. Errors without any status (fetch failed, socket hang up) are network failures too.
 */
import { GitHubError, type GitHubErrorCode } from "./errors.js";

/** GitHub's advice when a rate limit answer says nothing about when to come back: wait a minute. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

interface ErrorShape {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

export function toGitHubError(error: unknown, operation: string, now: () => number = Date.now): GitHubError {
  if (error instanceof GitHubError) return error;
  const shape: ErrorShape = typeof error === "object" && error !== null ? (error as ErrorShape) : {};
  const status = typeof shape.status === "number" && shape.status > 0 ? shape.status : null;
  const message = messageOf(error);
  const make = (code: GitHubErrorCode, retryAfterMs: number | null = null) =>
    new GitHubError({ code, status: code === "network" ? null : status, operation, message, retryAfterMs });

  // No answer from GitHub: no status at all, or Octokit's stand-in 500 without a response.
  if (status === null || (status === 500 && shape.response === undefined)) return make("network");

  const headers = lowerCaseKeys(shape.response?.headers ?? {});
  if (status === 409) return make("conflict");
  if (status === 422) {
    return /Reference already exists|A pull request already exists/i.test(message) ? make("already-exists") : make("invalid");
  }
  if (status === 404) return make("not-found");
  // 401: the installation token was refused (expired or revoked); retrying with it will not help.
  if (status === 401) return make("forbidden");
  if (status === 403 || status === 429) {
    const wait = rateLimitWait({ headers, message, status, now: now() });
    if (wait !== null) return make("rate-limited", wait);
    return make("forbidden");
  }
  if (status >= 500) return make("server-error");
  // Anything else (400, 410, …) is a refusal that retrying will not change.
  return make("invalid");
}

/** How long GitHub asks us to wait, or null when the answer is not a rate limit. */
function rateLimitWait({ headers, message, status, now }: { headers: Record<string, string>; message: string; status: number; now: number }): number | null {
  const retryAfter = headers["retry-after"];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (headers["x-ratelimit-remaining"] === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : DEFAULT_RATE_LIMIT_WAIT_MS;
  }
  if (status === 429 || /rate limit/i.test(message)) return DEFAULT_RATE_LIMIT_WAIT_MS;
  return null;
}

/** GitHub's own message plus its validation details ("Validation Failed: A pull request already exists for …"). */
function messageOf(error: unknown): string {
  const data = (error as ErrorShape | null)?.response?.data;
  if (typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string") {
    const details = detailMessages(data).filter((text) => text !== "");
    const main = (data as { message: string }).message;
    return details.length > 0 ? `${main}: ${details.join("; ")}` : main;
  }
  if (typeof data === "string" && data.trim() !== "") return data;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** GitHub's validation details: `errors[].message` ("A pull request already exists for …") and the error message. */
function detailMessages(data: unknown): string[] {
  if (typeof data !== "object" || data === null) return [];
  const errors = (data as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((entry) =>
    typeof entry === "string" ? entry : typeof entry === "object" && entry !== null ? String((entry as { message?: unknown }).message ?? "") : "",
  );
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) if (value !== undefined && value !== null) out[key.toLowerCase()] = String(value);
  return out;
}

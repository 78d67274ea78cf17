/**
 * Retrying transient GitHub failures (5xx, dropped connections, rate limits) with exponential back-off:
 * attempt n (0-based) waits `baseDelayMs · 2^n`, capped at `maxDelayMs`; a rate limit waits what GitHub
 * asked for (`retry-after`, or until `x-ratelimit-reset`), capped the same way. Conflicts, refusals and
 * missing resources are not retried: they fail the same way every time.
 */
import type { GitHubError } from "./errors.js";
import { toGitHubError } from "./octokit-errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt (so at most `retries + 1` calls). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How to wait (tests pass a fake); `setTimeout` by default. */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

export interface RetryInfo {
  /** The retry about to be made: 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: GitHubError;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `attempt + 1`, after `error` failed attempt `attempt` (0-based). */
export function retryDelay(policy: RetryPolicy, { attempt, error }: { attempt: number; error: GitHubError }): number {
  const backoff = policy.baseDelayMs * 2 ** attempt;
  const wanted = error.code === "rate-limited" && error.retryAfterMs !== null ? error.retryAfterMs : backoff;
  return Math.max(0, Math.min(policy.maxDelayMs, wanted));
}

export async function withRetry<T>(
  fn: () => Promise<T>,
  options: {
    policy: RetryPolicy;
    operation: string;
    onRetry?: (info: RetryInfo) => void;
    /** Which transient failures to retry here (all by default); the rest are thrown to the caller. */
    retryable?: (error: GitHubError) => boolean;
  },
): Promise<T> {
  const { policy, operation, onRetry } = options;
  const retryable = options.retryable ?? (() => true);
  const sleep = policy.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (caught) {
      const error = toGitHubError(caught, operation);
      if (!error.transient || !retryable(error) || attempt >= policy.retries) throw error;
      const delayMs = retryDelay(policy, { attempt, error });
      onRetry?.({ attempt: attempt + 1, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/**
 * Probot's Octokit without its throttling and retry plugins: the GitHub port paces writes per installation
 * and retries transient failures itself (pacer.ts, retry.ts), for every job of the process. Passing
 * `{ throttle: { enabled: false } }` as plain defaults is not enough: Probot shallow-merges its own
 * throttle options over them, so the switch is forced in a defaults function.
 */
import { ProbotOctokit } from "probot";

export const AppOctokit: typeof ProbotOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object | undefined), enabled: false },
  retry: { ...(options.retry as object | undefined), enabled: false },
}));

/**
 * Probot's Octokit without its throttling and retry plugins: the GitHub port paces writes per installation
 * and retries transient failures itself (pacer.ts, retry.ts), for every job of the process. Passing
 * `{ throttle: { enabled: false } }` as plain defaults is not enough: Probot shallow-merges its own
 * throttle options over them, so the switch is forced in a defaults function.
 *
 * Probot logs every request at debug level with its full URL and its body. For repository security
 * advisories that would put a draft's GHSA id and content in the log: those lines keep the route and lose
 * the body (redactAdvisoryRequests).
 */
import { ProbotOctokit } from "probot";

const ADVISORY_PATH = /\/security-advisories\/[^\s?#]+/g;

type LogLike = Record<string, unknown> & { debug: (...args: unknown[]) => unknown };

/** The logger, with Probot's request lines about advisories stripped of the advisory's id and the body. */
export function redactingLog<L extends object>(log: L): L {
  return new Proxy(log, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== "debug" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const message = args.find((a): a is string => typeof a === "string");
        if (message === undefined || !message.includes("/security-advisories")) return (value as LogLike["debug"]).apply(target, args);
        return (value as LogLike["debug"]).call(target, {}, message.replace(ADVISORY_PATH, "/security-advisories/{ghsa_id}"));
      };
    },
  });
}

function redactAdvisoryRequests(octokit: { log: object }): void {
  octokit.log = redactingLog(octokit.log);
}

export const AppOctokit: typeof ProbotOctokit = ProbotOctokit.plugin(redactAdvisoryRequests).defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object | undefined), enabled: false },
  retry: { ...(options.retry as object | undefined), enabled: false },
})) as typeof ProbotOctokit;

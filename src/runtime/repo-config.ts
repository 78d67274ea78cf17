/**
 * The repository's config, read through Probot's `context.config` so `_extends` and an organisation's
 * `.github` repository work, then validated by the schema. Loaded once per job, at the boundary.
 */
import { parseConfig, type ConfigProblem } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { isGitHubError } from "../github/errors.js";
import { withRetry, type RetryPolicy } from "../github/retry.js";

export const CONFIG_FILE = "lts-steward.yml";

export type RepoConfig =
  | { status: "ok"; config: Config }
  | { status: "missing" }
  | { status: "invalid"; problems: ConfigProblem[] };

const isHttpError = (error: unknown) => typeof (error as { status?: unknown } | null)?.status === "number";

/** Transient GitHub failures are retried; a file that cannot be parsed or followed is a config problem. */
/** Reads the config file the way Probot does (`context.config` or the Octokit config plugin), `_extends` included. */
export type ConfigReader = (file: string) => Promise<unknown>;

export async function loadRepoConfig(readConfig: ConfigReader, retry: RetryPolicy): Promise<RepoConfig> {
  let raw: unknown;
  try {
    const read = await withRetry(
      async () => {
        try {
          return { ok: true as const, value: await readConfig(CONFIG_FILE) };
        } catch (error) {
          // Probot throws plain errors on YAML it cannot parse and on an `_extends` it cannot follow.
          if (isHttpError(error)) throw error;
          return { ok: false as const, error: error as Error };
        }
      },
      { policy: retry, operation: `read .github/${CONFIG_FILE}` },
    );
    if (!read.ok) throw read.error;
    raw = read.value;
  } catch (error) {
    if (isGitHubError(error) && error.transient) throw error;
    return { status: "invalid", problems: [{ path: "", message: `.github/${CONFIG_FILE} could not be read: ${(error as Error).message.split("\n")[0]}` }] };
  }
  if (raw === null || raw === undefined) return { status: "missing" };
  const result = parseConfig(raw);
  return result.ok ? { status: "ok", config: result.config } : { status: "invalid", problems: result.problems };
}

/** For replies: a missing config is a problem too. */
export function configOrProblems(config: RepoConfig): { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] } {
  switch (config.status) {
    case "ok":
      return { ok: true, config: config.config };
    case "missing":
      return { ok: false, problems: [{ path: "", message: `this repository has no .github/${CONFIG_FILE}, so lts-steward does not manage its release lines` }] };
    case "invalid":
      return { ok: false, problems: config.problems };
  }
}

/**
 * A job's settings, derived once: the repository's config (loaded at the boundary) and the engine's policy
 * from it. A config the schema accepts but the engine cannot apply is a config problem like any other, shown
 * where people see config problems (a reply, a check run), never a crash.
 */
import type { ConfigProblem } from "../config/load.js";
import { toPolicy } from "../config/policy.js";
import type { Config } from "../config/schema.js";
import { EngineError } from "../engine/errors.js";
import type { Policy } from "../engine/types.js";
import type { RepoConfig } from "../runtime/repo-config.js";

export type JobConfig =
  | { status: "ok"; config: Config; policy: Policy }
  | { status: "missing" }
  | { status: "invalid"; problems: ConfigProblem[] };

export function withPolicy(loaded: RepoConfig): JobConfig {
  if (loaded.status !== "ok") return loaded;
  try {
    return { status: "ok", config: loaded.config, policy: toPolicy(loaded.config) };
  } catch (error) {
    if (error instanceof EngineError) return { status: "invalid", problems: [{ path: "", message: error.message }] };
    throw error;
  }
}

/** For replies: a missing config is a problem too. */
export function settingsOrProblems(config: JobConfig): { ok: true; config: Config; policy: Policy } | { ok: false; problems: ConfigProblem[] } {
  switch (config.status) {
    case "ok":
      return { ok: true, config: config.config, policy: config.policy };
    case "missing":
      return { ok: false, problems: [{ path: "", message: "this repository has no .github/lts-steward.yml, so lts-steward does not manage its release lines" }] };
    case "invalid":
      return { ok: false, problems: config.problems };
  }
}

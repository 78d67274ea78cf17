/**
 * The repository's config: `.github/lts-steward.yml` on the default branch, `_extends` followed, read with
 * our own bounded reader and validated by the schema. Loaded once per job, at the boundary.
 *
 * Why not Probot's `context.config`: it reads through @probot/octokit-plugin-config (4.1), which downloads
 * each file whole, whatever its size, and parses it with `yaml.parse` with neither a size limit nor an alias
 * limit of ours, and no option to set one (its only options are owner, repo, path, branch and defaults). A
 * config is written by anyone who can get a PR merged, and `_extends` can point anywhere the App can read.
 * So the App reads the file itself, asking GitHub for its size before decoding, within the limits of
 * src/config/load.ts (32 KB, 100 alias uses, …), each limit a config problem that names it.
 *
 * `_extends` works as in the plugin:
 * - the repository's own file, or, when it has none (and it is not the `.github` repository itself), the
 *   file at the same path in the owner's `.github` repository;
 * - `_extends: repo`, `owner/repo` or `owner/repo:path/to/file.yml` (owner defaults to the repository's
 *   owner, path to `.github/lts-steward.yml`), followed from file to file; a file read twice is an error.
 * Differences, on purpose: at most 5 files are read; an `_extends` whose file does not exist (or that the
 * App cannot read) is a problem rather than silently nothing; and files merge as presets do (mappings key
 * by key, lists and values from the nearer file replacing the inherited ones), where `context.config`
 * concatenated lists. Precedence, lowest first: defaults < preset < the farthest `_extends` … < this file.
 */
import { MAX_CONFIG_BYTES, parseConfig, readYaml, type ConfigProblem } from "../config/load.js";
import { mergeUnder } from "../config/presets.js";
import { EXTENDS_PATTERN, type Config } from "../config/schema.js";
import { isGitHubError } from "../github/errors.js";
import type { OctokitLike } from "../github/octokit-port.js";
import { withRetry, type RetryPolicy } from "../github/retry.js";

export const CONFIG_FILE = "lts-steward.yml";
/** The most files one config is read from: the repository's own (or its owner's `.github`) and its `_extends`. */
export const MAX_CONFIG_FILES = 5;

export type RepoConfig =
  | { status: "ok"; config: Config }
  | { status: "missing" }
  | { status: "invalid"; problems: ConfigProblem[] };

/** Reads the config file (`lts-steward.yml`, under `.github/`), `_extends` followed; null when there is none. */
export type ConfigReader = (file: string) => Promise<unknown>;

/** The file (or one it extends) cannot be used as it is: its problems, to show where people see them. */
export class ConfigFileProblem extends Error {
  override name = "ConfigFileProblem";
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.path || "(file)"}: ${p.message}`).join("; "));
  }
}

interface FileRef {
  owner: string;
  repo: string;
  path: string;
}

const where = (ref: FileRef) => `${ref.owner}/${ref.repo}:${ref.path}`;
const isHttpError = (error: unknown) => typeof (error as { status?: unknown } | null)?.status === "number";

interface RawContent {
  type?: string;
  size?: number;
  encoding?: string;
  content?: string;
}

/** The file's text, or null when it does not exist. Its size is checked before its content is decoded. */
async function readText(octokit: OctokitLike, ref: FileRef, inherited: boolean): Promise<string | null> {
  let data: unknown;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner: ref.owner, repo: ref.repo, path: ref.path }));
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
  const content = data as RawContent | unknown[];
  const name = inherited ? where(ref) : ref.path;
  if (Array.isArray(content) || content.type !== "file") throw new ConfigFileProblem([{ path: "", message: `${name} is not a file` }]);
  if ((content.size ?? 0) > MAX_CONFIG_BYTES || content.encoding !== "base64") {
    const size = content.size ?? 0;
    throw new ConfigFileProblem([{ path: "", message: `${name} is ${Math.ceil(size / 1024)} KB; configs are limited to ${MAX_CONFIG_BYTES / 1024} KB (a real one is under 5 KB)` }]);
  }
  return Buffer.from(content.content ?? "", "base64").toString("utf8");
}

/** One file parsed (within the YAML limits) into a mapping, or null when it does not exist. */
async function readMapping(octokit: OctokitLike, ref: FileRef, inherited: boolean): Promise<Record<string, unknown> | null> {
  const text = await readText(octokit, ref, inherited);
  if (text === null) return null;
  const yaml = readYaml(text);
  const prefix = inherited ? `in ${where(ref)}: ` : "";
  if (!yaml.ok) throw new ConfigFileProblem(yaml.problems.map((p) => ({ path: p.path, message: `${prefix}${p.message}` })));
  // An empty file is an empty config, as for Probot.
  if (yaml.value === null || yaml.value === undefined) return {};
  if (typeof yaml.value !== "object" || Array.isArray(yaml.value)) {
    throw new ConfigFileProblem([{ path: "", message: `${prefix}the config must be a mapping of keys to values` }]);
  }
  return yaml.value as Record<string, unknown>;
}

/** Where an `_extends` value points, from the file that has it. */
function extendsTarget(value: unknown, from: FileRef, home: FileRef): FileRef {
  const match = typeof value === "string" ? new RegExp(EXTENDS_PATTERN).exec(value) : null;
  if (!match) {
    throw new ConfigFileProblem([{
      path: "_extends",
      message: `${from === home ? "" : `in ${where(from)}: `}expected a repository (\`.github\`, \`org/repo\`), optionally with a path (\`org/repo:configs/lts.yml\`), not ${JSON.stringify(value)?.slice(0, 100)}`,
    }]);
  }
  return { owner: match[1] ?? home.owner, repo: match[2]!, path: match[3] ?? home.path };
}

const sameFile = (a: FileRef, b: FileRef) => a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase() && a.path === b.path;

/**
 * The config reader for one repository: its file (or its owner's `.github` one), `_extends` followed, the
 * files merged. Problems are thrown as `ConfigFileProblem`; GitHub's errors (other than 404) as they come.
 */
export function createConfigReader({ octokit, owner, repo }: { octokit: OctokitLike; owner: string; repo: string }): ConfigReader {
  return async (file) => {
    const home: FileRef = { owner, repo, path: `.github/${file}` };
    let ref = home;
    let config = await readMapping(octokit, home, false);
    if (config === null) {
      if (repo === ".github") return null;
      ref = { owner, repo: ".github", path: home.path };
      config = await readMapping(octokit, ref, true);
      if (config === null) return null;
    }
    const chain = [{ ref, config }];
    while (config._extends !== undefined) {
      const target = extendsTarget(config._extends, ref, home);
      if (chain.some((c) => sameFile(c.ref, target))) {
        throw new ConfigFileProblem([{ path: "_extends", message: `${where(target)} is extended twice (a loop of _extends)` }]);
      }
      if (chain.length >= MAX_CONFIG_FILES) {
        throw new ConfigFileProblem([{ path: "_extends", message: `more than ${MAX_CONFIG_FILES} files in a chain of _extends (the last read: ${where(ref)})` }]);
      }
      const base = await readMapping(octokit, target, true);
      if (base === null) {
        throw new ConfigFileProblem([{ path: "_extends", message: `${where(target)}, named by _extends in ${where(ref)}, does not exist or the App cannot read it` }]);
      }
      ref = target;
      config = base;
      chain.push({ ref, config });
    }
    // The farthest file first, each nearer one over it.
    return chain.reduceRight<Record<string, unknown>>((merged, { config: layer }) => {
      const { _extends: _followed, ...rest } = layer;
      return mergeUnder(merged, rest);
    }, {});
  };
}

/** Transient GitHub failures are retried; a file that cannot be parsed or followed is a config problem. */
export async function loadRepoConfig(readConfig: ConfigReader, retry: RetryPolicy): Promise<RepoConfig> {
  let raw: unknown;
  try {
    const read = await withRetry(
      async () => {
        try {
          return { ok: true as const, value: await readConfig(CONFIG_FILE) };
        } catch (error) {
          // Our reader's problems, and plain errors from other readers, are not retried.
          if (isHttpError(error)) throw error;
          return { ok: false as const, error: error as Error };
        }
      },
      { policy: retry, operation: `read .github/${CONFIG_FILE}` },
    );
    if (!read.ok) throw read.error;
    raw = read.value;
  } catch (error) {
    if (error instanceof ConfigFileProblem) return { status: "invalid", problems: error.problems };
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

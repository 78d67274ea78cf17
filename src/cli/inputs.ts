/** Where the CLI's policy and history come from: files, presets, a git repository. */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { formatProblems, parseConfig, readYaml, type ConfigResult } from "../config/load.js";
import { toPolicy } from "../config/policy.js";
import { PRESETS } from "../config/presets.js";
import type { Config } from "../config/schema.js";
import type { LineId, Naming } from "../engine/naming.js";
import type { IsoDate, Policy, ReleaseHistory } from "../engine/types.js";
import { CliError } from "./errors.js";
import { GitHistoryError, readGitHistory } from "./git-history.js";
import { readJsonHistory } from "./json-history.js";

export interface LoadedConfig {
  source: string;
  result: ConfigResult;
}

/** Reads the config: `file` (check-config's argument) or --config or the repository's default path, under --preset. */
export async function loadCliConfig(options: { config?: string; preset?: string; repo?: string; file?: string; cwd: string }): Promise<LoadedConfig> {
  const { preset, cwd } = options;
  if (preset !== undefined && !(preset in PRESETS)) {
    throw new CliError(`unknown preset "${preset}"; presets: ${Object.keys(PRESETS).join(", ")}`);
  }
  const explicit = options.file ?? options.config;
  const path = explicit ? resolve(cwd, explicit) : join(resolve(cwd, options.repo ?? "."), ".github", "lts-steward.yml");
  let text: string | null = null;
  try {
    text = await readFile(path, "utf8");
  } catch {
    if (explicit) throw new CliError(`cannot read config file ${path}`);
  }
  if (text === null) {
    if (preset !== undefined) return { source: `preset ${preset}`, result: parseConfig({ preset }) };
    throw new CliError(`no config: ${path} does not exist; pass --config <file> or --preset ${Object.keys(PRESETS)[0]}`);
  }
  const yaml = readYaml(text);
  if (!yaml.ok) return { source: path, result: yaml };
  const raw = yaml.value ?? {};
  const withPreset = preset !== undefined && typeof raw === "object" && !Array.isArray(raw) ? { ...raw, preset } : raw;
  return { source: preset !== undefined ? `${path} over preset ${preset}` : path, result: parseConfig(withPreset) };
}

/** The validated config and policy, or a CliError listing every problem by path. */
export function requirePolicy(loaded: LoadedConfig): { config: Config; policy: Policy } {
  if (!loaded.result.ok) throw new CliError(`invalid config (${loaded.source}):\n${formatProblems(loaded.result.problems)}`);
  return { config: loaded.result.config, policy: toPolicy(loaded.result.config) };
}

export async function loadCliHistory(options: { repo?: string; releases?: string; cwd: string; naming: Naming; nominalCut?: (line: LineId) => IsoDate | null }): Promise<ReleaseHistory> {
  if (options.releases !== undefined) return readJsonHistory(resolve(options.cwd, options.releases));
  try {
    return await readGitHistory({ repo: resolve(options.cwd, options.repo ?? "."), naming: options.naming, ...(options.nominalCut ? { nominalCut: options.nominalCut } : {}) });
  } catch (error) {
    if (error instanceof GitHistoryError) throw new CliError(error.message);
    throw error;
  }
}

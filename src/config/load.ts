/** Config parsing at the boundary: raw YAML/object → validated config, or errors addressed by path. */
import { parseDocument } from "yaml";
import type { z } from "zod";
import { mergeUnder, PRESETS } from "./presets.js";
import { configSchema, type Config } from "./schema.js";

export interface ConfigProblem {
  /** Dotted path of the offending key, e.g. `support.lts.every`; empty for the whole file. */
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

const formatPath = (path: PropertyKey[]) => path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");

function toProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "unknown key" }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/** Validates a config object (as parsed from YAML, or as Probot's context.config returns it). */
export function parseConfig(raw: unknown): ConfigResult {
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: "", message: "the config must be a mapping of keys to values" }] };
  }
  const object = raw as Record<string, unknown>;
  const presetName = object.preset;
  let merged = object;
  if (typeof presetName === "string" && presetName in PRESETS) {
    merged = mergeUnder(PRESETS[presetName] as Record<string, unknown>, object);
  }
  const result = configSchema.safeParse(merged);
  return result.success ? { ok: true, config: result.data } : { ok: false, problems: toProblems(result.error) };
}

/** Parses YAML text into a plain value; syntax errors come back as problems with their line. */
export function readYaml(text: string): { ok: true; value: unknown } | { ok: false; problems: ConfigProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length === 0) return { ok: true, value: doc.toJS() };
  return {
    ok: false,
    problems: doc.errors.map((e) => ({ path: "", message: `YAML: ${e.message.split("\n")[0]}${e.linePos ? ` (line ${e.linePos[0].line})` : ""}` })),
  };
}

/** Parses YAML text, then validates it. */
export function parseConfigText(text: string): ConfigResult {
  const yaml = readYaml(text);
  return yaml.ok ? parseConfig(yaml.value) : yaml;
}

export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `${p.path || "(file)"}: ${p.message}`).join("\n");
}

/**
 * Config parsing at the boundary: raw YAML/object → validated config, or problems addressed by path.
 *
 * The file comes from anyone who can open a pull request, so it is read with limits, each a problem that
 * names it rather than a crash or a long stall of the event loop (parsing is synchronous):
 * - at most 32 KB (a real config is under 5 KB), checked before parsing;
 * - at most 100 alias uses (yaml's `maxAliasCount`), so an alias bomb ("billion laughs") is refused;
 * - at most 20,000 values once aliases are expanded, and collections nested at most 64 deep;
 * - duplicate keys are found in one pass (yaml's own check is quadratic in the number of keys);
 * - at most 100 problems are listed, then how many more there are.
 * yaml's parser costs a few microseconds per token: at the size limit, the slowest shapes (thousands of keys,
 * long flow lists) take about 100 ms of CPU (bench/intake.bench.ts); twice the limit would take twice that.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { mergeUnder, PRESETS } from "./presets.js";
import { configSchema, type Config } from "./schema.js";

export interface ConfigProblem {
  /** Dotted path of the offending key, e.g. `support.lts.every`; empty for the whole file. */
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

export const MAX_CONFIG_BYTES = 32 * 1024;
export const MAX_YAML_ALIASES = 100;
export const MAX_CONFIG_VALUES = 20_000;
export const MAX_CONFIG_DEPTH = 64;
export const MAX_LISTED_PROBLEMS = 100;

/** A key as long as the file can hold is shown by its start. */
const clip = (text: string, max = 100) => (text.length > max ? `${text.slice(0, max)}…` : text);
const formatPath = (path: PropertyKey[]) => path.map((p) => (typeof p === "number" ? `[${p}]` : clip(String(p)))).join(".").replace(/\.\[/g, "[");

/** At most MAX_LISTED_PROBLEMS problems, then one saying how many more there are. */
function capped(problems: ConfigProblem[]): ConfigProblem[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), { path: "", message: `… and ${problems.length - MAX_LISTED_PROBLEMS} more problems` }];
}

function toProblems(error: z.ZodError): ConfigProblem[] {
  return capped(
    error.issues.flatMap((issue) => {
      if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "unknown key" }));
      }
      return [{ path: formatPath(issue.path), message: issue.message }];
    }),
  );
}

/** Validates a config object (as parsed from YAML by `readYaml`, or merged from `_extends` files). */
export function parseConfig(raw: unknown): ConfigResult {
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw) || raw instanceof Date) {
    return { ok: false, problems: [{ path: "", message: "the config must be a mapping of keys to values" }] };
  }
  const object = raw as Record<string, unknown>;
  const presetName = object.preset;
  let merged = object;
  if (typeof presetName === "string" && Object.hasOwn(PRESETS, presetName)) {
    merged = mergeUnder(PRESETS[presetName] as Record<string, unknown>, object);
  }
  const result = configSchema.safeParse(merged);
  return result.success ? { ok: true, config: result.data } : { ok: false, problems: toProblems(result.error) };
}

const kilobytes = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;
const tooLarge = (bytes: number): ConfigProblem => ({
  path: "",
  message: `the file is ${kilobytes(bytes)}; configs are limited to ${kilobytes(MAX_CONFIG_BYTES)} (a real one is under 5 KB)`,
});

/** Whether text of this many bytes is over the size limit; for readers that know the size before fetching. */
export function configSizeProblem(bytes: number): ConfigProblem | null {
  return bytes > MAX_CONFIG_BYTES ? tooLarge(bytes) : null;
}

const tooDeep = (where: string): ConfigProblem => ({ path: "", message: `YAML: nested more than ${MAX_CONFIG_DEPTH} levels deep${where}` });

/** Duplicate keys and nesting depth, in one pass over the parsed document (before aliases are expanded). */
function structureProblems(contents: YamlNode | null, lines: LineCounter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const lineOf = (node: { range?: [number, number, number] | null | undefined }) => (node.range ? ` (line ${lines.linePos(node.range[0]).line})` : "");
  const stack: { node: unknown; depth: number }[] = [{ node: contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_CONFIG_DEPTH) {
      problems.push(tooDeep(lineOf(node)));
      break;
    }
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          if (seen.has(key)) problems.push({ path: "", message: `YAML: the key "${key.slice(0, 100)}" appears twice in one mapping${lineOf(pair.key)}` });
          seen.add(key);
        }
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
    if (problems.length > MAX_LISTED_PROBLEMS) break;
  }
  return problems;
}

/** Whether a value has more than MAX_CONFIG_VALUES values in it, counting each alias use in full. */
function exceedsValueBudget(value: unknown): boolean {
  let budget = MAX_CONFIG_VALUES;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    if (--budget < 0) return true;
    const next = stack.pop();
    if (typeof next !== "object" || next === null || next instanceof Date) continue;
    for (const child of Array.isArray(next) ? next : Object.values(next)) stack.push(child);
  }
  return false;
}

/** Parses YAML text into a plain value, within the limits above; problems carry their line where known. */
export function readYaml(text: string): { ok: true; value: unknown } | { ok: false; problems: ConfigProblem[] } {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) return { ok: false, problems: [tooLarge(bytes)] };
  const lines = new LineCounter();
  let doc;
  try {
    // uniqueKeys: false, because yaml's check compares every key with every other; structureProblems does it in one pass.
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines });
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, problems: [/call stack/i.test(message) ? tooDeep("") : { path: "", message: `YAML: ${message.split("\n")[0]}` }] };
  }
  if (doc.errors.length > 0) {
    // yaml's parser recurses into flow collections; thousands of `[` overflow the stack, which it reports as an error.
    if (doc.errors.some((e) => /call stack/i.test(e.message))) return { ok: false, problems: [tooDeep("")] };
    return {
      ok: false,
      problems: capped(doc.errors.map((e) => ({ path: "", message: `YAML: ${e.message.split("\n")[0]}${e.linePos ? ` (line ${e.linePos[0].line})` : ""}` }))),
    };
  }
  const structure = structureProblems(doc.contents as YamlNode | null, lines);
  if (structure.length > 0) return { ok: false, problems: capped(structure) };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    const message = (error as Error).message;
    return {
      ok: false,
      problems: [{
        path: "",
        message: /alias count/i.test(message)
          ? `YAML: too many aliases: expanding them goes past the limit of ${MAX_YAML_ALIASES} alias uses (an alias bomb?)`
          : `YAML: ${message.split("\n")[0]}`,
      }],
    };
  }
  if (exceedsValueBudget(value)) {
    return { ok: false, problems: [{ path: "", message: `the config has more than ${MAX_CONFIG_VALUES.toLocaleString("en-US")} values once its aliases are expanded` }] };
  }
  return { ok: true, value };
}

/** Parses YAML text, then validates it. */
export function parseConfigText(text: string): ConfigResult {
  const yaml = readYaml(text);
  return yaml.ok ? parseConfig(yaml.value) : yaml;
}

export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `${p.path || "(file)"}: ${p.message}`).join("\n");
}

/**
 * docs/configuration.md, generated from the same JSON Schema editors use (itself generated from the zod
 * schema): every key with its type, default and description. `npm run schema` writes it; a test keeps it current.
 */
import { configJsonSchema } from "./json-schema.js";
import { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, MAX_CONFIG_VALUES, MAX_YAML_ALIASES } from "./load.js";

interface Node {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Node[];
  additionalProperties?: Node | boolean;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
  maxProperties?: number;
}

function typeOf(node: Node): string {
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(" or ");
  if (node.anyOf) return node.anyOf.map(typeOf).join(" or ");
  if (node.type === "array") return `list${node.maxItems !== undefined ? ` (at most ${node.maxItems})` : ""} of ${node.items ? typeOf(node.items) : "values"}`;
  if (node.type === "object" && node.additionalProperties && typeof node.additionalProperties === "object") {
    return `map${node.maxProperties !== undefined ? ` (at most ${node.maxProperties} keys)` : ""} of ${typeOf(node.additionalProperties)}`;
  }
  const type = Array.isArray(node.type) ? node.type.join(" or ") : (node.type ?? "any");
  const max = node.maximum !== undefined && node.maximum < 1e9 ? node.maximum : undefined;
  const range = max !== undefined ? ` (${node.minimum ?? ""}–${max})` : node.minimum !== undefined ? ` (≥ ${node.minimum})` : "";
  const length = node.type === "string" && node.maxLength !== undefined && node.format !== "date" ? ` (≤ ${node.maxLength} characters)` : "";
  return `${node.format === "date" ? "date (YYYY-MM-DD)" : type}${range}${length}`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function rows(node: Node, path: string[]): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const here = [...path, key];
    const fallback = child.default === undefined || (typeof child.default === "object" && child.default !== null && Object.keys(child.default).length === 0 && child.properties)
      ? ""
      : `\`${JSON.stringify(child.default)}\``;
    out.push(`| \`${here.join(".")}\` | ${cell(typeOf(child))} | ${fallback} | ${cell(child.description ?? "")} |`);
    if (child.properties) out.push(...rows(child, here));
    if (child.type === "array" && child.items?.properties) out.push(...rows(child.items, [...here, "[]"]));
  }
  return out;
}

export function configurationReference(): string {
  const schema = JSON.parse(configJsonSchema()) as Node;
  return [
    "# Configuration reference",
    "",
    "<!-- Generated from the config schema by `npm run schema`; a test fails when it is out of date. -->",
    "",
    "Every key of `.github/lts-steward.yml`. An unknown key is an error with its path. Editors can",
    "validate the file against `schema/lts-steward.schema.json`. Precedence, lowest first: defaults < `preset` <",
    "an organisation's `.github` repository (`_extends`) < this file. The README shows the Wasmtime preset and a",
    "count-based policy.",
    "",
    "A repository without the file uses its owner's `.github` repository's `.github/lts-steward.yml`, if any. `_extends:",
    "repo`, `owner/repo` or `owner/repo:path/to/file.yml` inherits another file (at most 5 files in a chain; a file",
    "that does not exist or cannot be read is a problem): mappings merge key by key, and lists and values from the",
    "nearer file replace inherited ones.",
    "",
    `The file is read with limits, each reported as a problem with the config: at most ${MAX_CONFIG_BYTES / 1024} KB (a real one is`,
    `under 5 KB), at most ${MAX_YAML_ALIASES} YAML alias uses, at most ${MAX_CONFIG_VALUES.toLocaleString("en-US")} values once aliases are expanded, nesting at most ${MAX_CONFIG_DEPTH} deep, no key`,
    "twice in one mapping. Every number, duration, count, date, list and string below has a bound far beyond what a real",
    "project writes; nothing the schema accepts can make the App fail.",
    "",
    "| Key | Type | Default | Meaning |",
    "|---|---|---|---|",
    ...rows(schema, []),
    "",
  ].join("\n");
}

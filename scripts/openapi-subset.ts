/**
 * Trims GitHub's OpenAPI description (from `@octokit/openapi`) to the operations the sandbox serves.
 * Pure: `scripts/generate-openapi-subset.ts` writes the result, and a test checks the committed file is current.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Json, JsonObject, OpenApiSubset, SubsetOperation, SubsetParameter } from "../sandbox/openapi/subset-types.js";

export const SOURCE_PACKAGE = "@octokit/openapi";
export const SOURCE_FILE = "generated/api.github.com.json";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const SCHEMA_REF = "#/components/schemas/";
/** Documentation-only keywords; dropping them keeps the committed file small. */
const DROPPED_KEYWORDS = new Set(["description", "example", "examples", "title", "externalDocs", "summary"]);

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Follows a local `$ref` (`#/components/...`) in the spec; throws on anything else so surprises surface. */
function resolveRef(spec: JsonObject, value: Json): JsonObject {
  if (!isObject(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  const ref = value["$ref"];
  if (typeof ref !== "string") return value;
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
  let target: Json | undefined = spec;
  for (const part of ref.slice(2).split("/")) {
    target = isObject(target) ? target[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  if (target === undefined) throw new Error(`dangling $ref ${ref}`);
  return resolveRef(spec, target);
}

/** Copies a JSON schema without documentation keywords, recursing only into positions that hold schemas. */
export function stripSchema(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith("x-")) continue;
    if ((key === "properties" || key === "patternProperties") && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, stripSchema(sub)]));
    } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      out[key] = value.map(stripSchema);
    } else if (key === "items" || key === "not" || key === "additionalProperties") {
      out[key] = stripSchema(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Recursively sorts object keys so the committed file is byte-stable. */
export function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key] as Json);
  return out;
}

function collectSchemaRefs(value: Json, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectSchemaRefs(item, into);
  } else if (isObject(value)) {
    for (const [key, sub] of Object.entries(value)) {
      if (key === "$ref" && typeof sub === "string") {
        if (!sub.startsWith(SCHEMA_REF)) throw new Error(`unexpected $ref ${sub} in a schema`);
        into.add(sub.slice(SCHEMA_REF.length));
      } else {
        collectSchemaRefs(sub, into);
      }
    }
  }
}

function findOperations(spec: JsonObject): Map<string, { method: string; path: string; pathItem: JsonObject; op: JsonObject }> {
  const found = new Map<string, { method: string; path: string; pathItem: JsonObject; op: JsonObject }>();
  const paths = spec["paths"];
  if (!isObject(paths)) throw new Error("spec has no paths");
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (isObject(op) && typeof op["operationId"] === "string") found.set(op["operationId"], { method, path, pathItem, op });
    }
  }
  return found;
}

function subsetParameters(spec: JsonObject, pathItem: JsonObject, op: JsonObject): SubsetParameter[] {
  const byKey = new Map<string, SubsetParameter>();
  // Operation-level parameters override path-level ones with the same name and location.
  for (const raw of [...asArray(pathItem["parameters"]), ...asArray(op["parameters"])]) {
    const param = resolveRef(spec, raw);
    const where = param["in"];
    if (where !== "path" && where !== "query") continue;
    const name = String(param["name"]);
    const schema = param["schema"] === undefined ? {} : stripSchema(param["schema"]);
    byKey.set(`${where}:${name}`, { name, in: where, required: param["required"] === true, schema });
  }
  return [...byKey.values()];
}

const asArray = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);

function jsonSchemaOf(holder: JsonObject): Json | undefined {
  const content = holder["content"];
  if (!isObject(content)) return undefined;
  const media = content["application/json"];
  return isObject(media) && media["schema"] !== undefined ? stripSchema(media["schema"]) : undefined;
}

function subsetOperation(spec: JsonObject, found: { method: string; path: string; pathItem: JsonObject; op: JsonObject }): SubsetOperation {
  const { method, path, pathItem, op } = found;
  const result: SubsetOperation = {
    operationId: String(op["operationId"]),
    method: method.toUpperCase(),
    path,
    parameters: subsetParameters(spec, pathItem, op),
    responses: {},
  };
  if (op["requestBody"] !== undefined) {
    const body = resolveRef(spec, op["requestBody"]);
    const schema = jsonSchemaOf(body);
    if (schema !== undefined) result.requestBody = { required: body["required"] === true, schema };
  }
  const responses = op["responses"];
  for (const [status, raw] of Object.entries(isObject(responses) ? responses : {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const schema = jsonSchemaOf(resolveRef(spec, raw));
    result.responses[status] = schema === undefined ? {} : { schema };
  }
  return result;
}

/** Keeps the operations named by `operationIds` and the component schemas they reach. */
export function buildSubset(spec: unknown, operationIds: readonly string[]): OpenApiSubset {
  if (!isObject(spec)) throw new Error("spec is not an object");
  const info = spec["info"];
  const all = findOperations(spec);
  const operations: Record<string, SubsetOperation> = {};
  for (const id of [...operationIds].sort()) {
    const found = all.get(id);
    if (!found) throw new Error(`operationId ${id} is not in the spec`);
    operations[id] = subsetOperation(spec, found);
  }

  const pending = new Set<string>();
  collectSchemaRefs(operations as unknown as Json, pending);
  const schemas: Record<string, Json> = {};
  const specSchemas = isObject(spec["components"]) ? spec["components"]["schemas"] : undefined;
  for (const name of pending) {
    // A Set iterates entries added during iteration, so this walks the transitive closure.
    const raw = isObject(specSchemas) ? specSchemas[name] : undefined;
    if (raw === undefined) throw new Error(`dangling schema ref ${name}`);
    schemas[name] = stripSchema(raw);
    collectSchemaRefs(schemas[name] as Json, pending);
  }

  const subset = {
    source: {
      package: SOURCE_PACKAGE,
      version: isObject(info) ? String(info["version"]) : "unknown",
      file: SOURCE_FILE,
      openapi: String(spec["openapi"]),
    },
    operations,
    components: { schemas },
  };
  return sortKeys(subset as unknown as Json) as unknown as OpenApiSubset;
}

/** The committed file's exact text: stable keys, one-space indent (diffable, yet ~half the size of pretty JSON). */
export const serializeSubset = (subset: OpenApiSubset): string => `${JSON.stringify(subset, null, 1)}\n`;

/** Reads the installed description and its package version (the one file read; it is ~13 MB). */
export function readSourceSpec(): { spec: unknown; packageVersion: string } {
  const packageJson = createRequire(import.meta.url).resolve(`${SOURCE_PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(packageJson, "utf8")) as { version: string };
  const spec: unknown = JSON.parse(readFileSync(join(dirname(packageJson), SOURCE_FILE), "utf8"));
  return { spec, packageVersion: version };
}

/**
 * Validates values against component schemas of GitHub's OpenAPI description (`@octokit/openapi`). The file is
 * 13 MB, so a test file loads it once (`loadOpenApiValidator` in `beforeAll`) and compiles schemas on demand.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject } from "ajv";
import addFormats from "ajv-formats";

type Node = { [key: string]: unknown };

/**
 * OpenAPI 3.0 `nullable`, in JSON Schema terms. Ajv understands `nullable` only beside `type`, and the description
 * also puts it beside `allOf`/`$ref`, so every use is rewritten: `type: [t, "null"]`, or `anyOf: [schema, null]`.
 */
function rewriteNullable(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) rewriteNullable(item);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const node = value as Node;
  for (const child of Object.values(node)) rewriteNullable(child);
  if (!("nullable" in node)) return;
  const nullable = node["nullable"] === true;
  delete node["nullable"];
  if (!nullable) return;
  if (typeof node["type"] === "string") {
    node["type"] = [node["type"], "null"];
    if (Array.isArray(node["enum"]) && !node["enum"].includes(null)) node["enum"].push(null);
    return;
  }
  const inner: Node = { ...node };
  for (const key of Object.keys(node)) delete node[key];
  node["anyOf"] = [inner, { type: "null" }];
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const extra = params["additionalProperty"] ?? params["allowedValues"];
  return `${error.instancePath || "/"}: ${error.message ?? error.keyword}${extra === undefined ? "" : ` ${JSON.stringify(extra)}`}`;
}

export interface OpenApiValidator {
  /** Problems with `value` as `#/components/schemas/<name>`; empty when it conforms. */
  problems(name: string, value: unknown): string[];
  /** The raw component schema, after the nullable rewrite. */
  schema(name: string): Node;
}

export function loadOpenApiValidator(): OpenApiValidator {
  const require = createRequire(import.meta.url);
  const path = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const doc = JSON.parse(readFileSync(path, "utf8")) as { components: { schemas: Record<string, Node> } };
  rewriteNullable(doc.components.schemas);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "openapi", components: { schemas: doc.components.schemas } });
  return {
    problems(name, value) {
      const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
      if (validate === undefined) throw new Error(`no OpenAPI component schema "${name}"`);
      return validate(value) ? [] : [...new Set((validate.errors ?? []).map(describe))];
    },
    schema(name) {
      const schema = doc.components.schemas[name];
      if (schema === undefined) throw new Error(`no OpenAPI component schema "${name}"`);
      return schema;
    },
  };
}

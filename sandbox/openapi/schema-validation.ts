/** Ajv set-up for GitHub's OpenAPI 3.0 schemas, and translation of Ajv errors into contract violations. */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { Json, JsonObject } from "./subset-types.js";
import { formatField, violationMessage, type ContractViolation, type ViolationLocation, type ViolationRule } from "./violations.js";

// ajv-formats is CommonJS; under NodeNext its default import is typed as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Where the component schemas live inside Ajv; operation schemas' refs are rewritten to point here. */
const COMPONENTS_ID = "https://lts-steward.sandbox/github-rest-subset.json";
const LOCAL_SCHEMA_REF = "#/components/schemas/";

/**
 * `params`: query and path values arrive as strings, so Ajv coerces them ("30" -> 30, "true" -> true).
 * `body`: requests are checked as sent. `response`: our fake GitHub objects.
 * Params and responses read `oneOf` as `anyOf`: coercion makes "123" fit both branches of
 * `workflow_id: oneOf [integer, string]`, and some of GitHub's response alternatives overlap
 * (`commit.author: oneOf [simple-user, empty-object]` matches every user twice).
 */
export type Flavour = "params" | "body" | "response";

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** Rewrites OpenAPI 3.0 idioms that Ajv reads differently; recurses only where schemas sit. */
export function normalizeSchema(schema: Json, oneOfAsAnyOf: boolean): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "discriminator") continue; // Ajv would demand `const` tags GitHub's schemas lack; plain oneOf suffices.
    if ((key === "properties" || key === "patternProperties") && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, normalizeSchema(sub, oneOfAsAnyOf)]));
    } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      out[key] = value.map((sub) => normalizeSchema(sub, oneOfAsAnyOf));
    } else if (key === "items" || key === "not" || key === "additionalProperties") {
      out[key] = normalizeSchema(value, oneOfAsAnyOf);
    } else if (key === "$ref" && typeof value === "string" && value.startsWith(LOCAL_SCHEMA_REF)) {
      out[key] = `${COMPONENTS_ID}${value}`;
    } else {
      out[key] = value;
    }
  }
  if (oneOfAsAnyOf && out["oneOf"] !== undefined) {
    if (out["anyOf"] === undefined) out["anyOf"] = out["oneOf"];
    else out["allOf"] = [...(Array.isArray(out["allOf"]) ? out["allOf"] : []), { anyOf: out["oneOf"] }];
    delete out["oneOf"];
  }
  if (out["nullable"] === true) {
    if (out["type"] === undefined) {
      // Ajv refuses `nullable` without `type` (GitHub writes it beside allOf/anyOf/oneOf/$ref).
      delete out["nullable"];
      return { anyOf: [{ type: "null" }, wrapRef(out)] };
    }
    // OpenAPI 3.0.3: nullable adds null to the allowed values, enum included.
    if (Array.isArray(out["enum"]) && !out["enum"].includes(null)) out["enum"] = [...out["enum"], null];
  }
  return wrapRef(out);
}

/** Keeps keywords written beside `$ref` in force whichever draft rules Ajv applies to them. */
function wrapRef(schema: JsonObject): JsonObject {
  const { $ref: ref, ...rest } = schema;
  if (ref === undefined || Object.keys(rest).length === 0) return schema;
  return { ...rest, allOf: [...(Array.isArray(rest["allOf"]) ? rest["allOf"] : []), { $ref: ref }] };
}

export class SchemaValidators {
  private readonly instances = new Map<Flavour, Ajv>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly componentSchemas: Record<string, Json>) {}

  /** Compiles on first use; `key` names the schema (e.g. `pulls/create body`) for the cache. */
  get(input: { flavour: Flavour; key: string; schema: () => Json }): ValidateFunction {
    const { flavour, key, schema } = input;
    const cacheKey = `${flavour} ${key}`;
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = this.ajv(flavour).compile(normalizeSchema(schema(), flavour !== "body") as object);
      this.compiled.set(cacheKey, validate);
    }
    return validate;
  }

  private ajv(flavour: Flavour): Ajv {
    let ajv = this.instances.get(flavour);
    if (!ajv) {
      // strict: false because GitHub's schemas carry OpenAPI-only keywords (readOnly, deprecated, discriminator).
      ajv = new Ajv({ strict: false, allErrors: true, verbose: true, coerceTypes: flavour === "params", logger: false });
      addFormats(ajv);
      ajv.addFormat("repo.nwo", /^[^/\s]+\/[^/\s]+$/);
      const schemas = Object.fromEntries(
        Object.entries(this.componentSchemas).map(([name, sub]) => [name, normalizeSchema(sub, flavour !== "body")]),
      );
      ajv.addSchema({ $id: COMPONENTS_ID, components: { schemas } });
      this.instances.set(flavour, ajv);
    }
    return ajv;
  }
}

/** Splits a JSON pointer, using the data to tell array indexes from object keys. */
function pathOf(pointer: string, root: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer === "" ? [] : pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const part = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(part);
    node = isObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[part] : undefined;
  }
  return path;
}

function ruleOf(error: ErrorObject, root: unknown): ViolationRule {
  const path = pathOf(error.instancePath, root);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { keyword: "required", path: [...path, String(params["missingProperty"])] };
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      return { keyword: "additionalProperties", path: [...path, key], value: (error.data as Record<string, unknown>)[key] };
    }
    case "type": {
      const types = Array.isArray(params["type"]) ? params["type"].map(String) : String(params["type"]).split(",");
      return { keyword: "type", path, value: error.data, types };
    }
    case "enum":
      return { keyword: "enum", path, value: error.data, allowed: params["allowedValues"] as unknown[] };
    case "format":
      return { keyword: "format", path, value: error.data, format: String(params["format"]) };
    default:
      return { keyword: error.keyword, path, value: error.data, detail: error.message ?? "is invalid" };
  }
}

const within = (pointer: string, ancestor: string): boolean => pointer === ancestor || pointer.startsWith(`${ancestor}/`);

/**
 * Ajv reports each failed anyOf/oneOf alternative's errors before the anyOf/oneOf error itself, all at or below
 * its data path; those become the `causes` of one violation instead of contradictory separate ones.
 */
export function violationsFromAjv(input: {
  errors: readonly ErrorObject[];
  data: unknown;
  operationId: string;
  location: ViolationLocation;
}): ContractViolation[] {
  let pending: { pointer: string; violation: ContractViolation }[] = [];
  const make = (rule: ViolationRule): ContractViolation => ({
    operationId: input.operationId,
    location: input.location,
    field: formatField(rule.path),
    message: violationMessage(input.location, rule),
    rule,
  });
  for (const error of input.errors) {
    if (error.keyword === "anyOf" || error.keyword === "oneOf") {
      const causes = pending.filter((item) => within(item.pointer, error.instancePath)).map((item) => item.violation);
      pending = pending.filter((item) => !within(item.pointer, error.instancePath));
      const rule: ViolationRule = { keyword: error.keyword, path: pathOf(error.instancePath, input.data), value: error.data, causes };
      const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
      if (Array.isArray(passing)) rule.detail = "matches more than one of the allowed shapes";
      pending.push({ pointer: error.instancePath, violation: make(rule) });
    } else {
      pending.push({ pointer: error.instancePath, violation: make(ruleOf(error, input.data)) });
    }
  }
  // allErrors can report one problem twice (e.g. through two alternatives that share a $ref).
  const unique = new Map<string, ContractViolation>();
  for (const { violation } of pending) if (!unique.has(violation.message)) unique.set(violation.message, violation);
  return [...unique.values()];
}

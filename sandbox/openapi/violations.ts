/** Contract violations: what a request or response got wrong, worded for test output and for GitHub-style 422s. */

export type ViolationLocation = "path" | "query" | "body" | "response";

/** Machine-readable cause of a violation; `value` is absent when the field is missing. */
export interface ViolationRule {
  /** The failing JSON-schema keyword (`type`, `required`, `enum`, `anyOf`, ...), or `status` for an undocumented status. */
  keyword: string;
  /** Data path of the offending field; for `required` and `additionalProperties` it ends with the key. */
  path: (string | number)[];
  value?: unknown;
  types?: string[];
  allowed?: unknown[];
  format?: string;
  /** For `anyOf`/`oneOf`: why each alternative failed. */
  causes?: ContractViolation[];
  /** Extra wording: Ajv's message for other keywords, or the condition of a conditional requirement. */
  detail?: string;
}

export interface ContractViolation {
  operationId: string;
  location: ViolationLocation;
  /** Readable path such as `head`, `labels[0]` or `output.title`; empty for the whole body. */
  field: string;
  /** E.g. `"head" must be string, got number 42`. */
  message: string;
  rule?: ViolationRule;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

export function formatField(path: readonly (string | number)[]): string {
  return path
    .map((part, index) => {
      if (typeof part === "number") return `[${part}]`;
      if (!IDENTIFIER.test(part)) return `[${JSON.stringify(part)}]`;
      return index === 0 ? part : `.${part}`;
    })
    .join("");
}

const PREVIEW_LIMIT = 60;

function preview(value: unknown): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT - 1)}…` : text;
}

const kindOf = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);

const hasValue = (rule: ViolationRule): boolean => "value" in rule;

/** All causes are type mismatches on the same value (nested alternatives included), so "must be A or B" says it all. */
function unionOfTypes(rule: ViolationRule): string[] | null {
  const causes = rule.causes ?? [];
  if (causes.length === 0) return null;
  const types: string[] = [];
  for (const cause of causes) {
    const inner = cause.rule;
    if (!inner || formatField(inner.path) !== formatField(rule.path)) return null;
    const found = inner.keyword === "type" ? (inner.types ?? []) : inner.causes ? unionOfTypes(inner) : null;
    if (!found) return null;
    for (const type of found) if (!types.includes(type)) types.push(type);
  }
  // "string or integer or null" reads better than leading with the null that `nullable` adds.
  return [...types.filter((type) => type !== "null"), ...types.filter((type) => type === "null")];
}

/** "must be string", "is required", ...: the part after the field name. */
export function expectation(rule: ViolationRule): string {
  switch (rule.keyword) {
    case "type":
      return `must be ${(rule.types ?? []).join(" or ")}`;
    case "required":
      return rule.detail ? `is required ${rule.detail}` : "is required";
    case "enum":
      return `must be one of ${(rule.allowed ?? []).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}`;
    case "additionalProperties":
      return "is not a permitted key";
    case "format":
      return `must be a valid ${rule.format ?? "value"}`;
    case "anyOf":
    case "oneOf": {
      if (rule.detail) return rule.detail;
      const types = unionOfTypes(rule);
      if (types) return `must be ${types.join(" or ")}`;
      // "must be null" only restates `nullable`; the other alternatives say what was wrong.
      const reasons = (rule.causes ?? [])
        .filter((cause) => !(cause.rule?.keyword === "type" && cause.rule.types?.join() === "null"))
        .map((cause) => `${cause.field || cause.location} ${cause.rule ? expectation(cause.rule) : cause.message}`);
      return `must match one of the allowed shapes (${reasons.join("; ")})`;
    }
    default:
      return rule.detail ?? `violates "${rule.keyword}"`;
  }
}

export function violationMessage(location: ViolationLocation, rule: ViolationRule): string {
  const field = formatField(rule.path);
  const label = field === "" ? location : `"${field}"`;
  const got = hasValue(rule) ? `, got ${rule.value === null ? "null" : `${kindOf(rule.value)} ${preview(rule.value)}`}` : "";
  return `${label} ${expectation(rule)}${got}`;
}

/** One line for test failures, e.g. `pulls/create: body.head must be string (got 42)`. */
export function describeViolation(violation: ContractViolation): string {
  const where = violation.field === "" ? violation.location : `${violation.location}${violation.field.startsWith("[") ? "" : "."}${violation.field}`;
  if (!violation.rule) return `${violation.operationId}: ${where}: ${violation.message}`;
  const got = hasValue(violation.rule) ? ` (got ${preview(violation.rule.value)})` : "";
  return `${violation.operationId}: ${where} ${expectation(violation.rule)}${got}`;
}

// GitHub validates request bodies with a Ruby JSON-schema library; its messages print values the Ruby way.
function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}=>${rubyInspect(item)}`).join(", ")}}`;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** GitHub names the schema location, e.g. `properties/labels/items`; for the body itself it says `links/0/schema`. */
function schemaLocation(path: readonly (string | number)[]): string {
  if (path.length === 0) return "links/0/schema";
  return path.map((part) => (typeof part === "number" ? "items" : `properties/${part}`)).join("/");
}

const withArticle = (types: readonly string[]): string => {
  const [first = "value", ...rest] = types;
  const article = first === "null" ? "" : /^[aeiou]/.test(first) ? "an " : "a ";
  return [`${article}${first}`, ...rest].join(" or ");
};

/** The line(s) GitHub would print for one violation inside an "Invalid request." message. */
export function gitHubWording(violation: ContractViolation): string[] {
  const rule = violation.rule;
  if (!rule) return [`${violation.message}.`];
  const last = rule.path[rule.path.length - 1];
  const at = `For '${schemaLocation(rule.path)}', ${rubyInspect(rule.value)}`;
  switch (rule.keyword) {
    case "required":
      return [`"${String(last)}" wasn't supplied.`];
    case "additionalProperties":
      return [`"${String(last)}" is not a permitted key.`];
    case "type":
      return [`${at} is not ${withArticle(rule.types ?? [])}.`];
    case "enum":
      return [`${rule.value === null ? "" : String(rule.value)} is not a member of ${rubyInspect(rule.allowed ?? [])}.`];
    case "format":
      return [`${at} is not a valid ${rule.format ?? "value"}.`];
    case "anyOf":
    case "oneOf": {
      const types = unionOfTypes(rule);
      if (types) return [`${at} is not ${withArticle(types)}.`];
      const head = rule.detail ? `More than one subschema in "${rule.keyword}" matched.` : `No subschema in "${rule.keyword}" matched.`;
      return [head, ...(rule.causes ?? []).flatMap(gitHubWording)];
    }
    default:
      return [`${at} ${rule.detail ?? `violates "${rule.keyword}"`}.`];
  }
}

export interface GitHubValidationErrorBody {
  message: string;
  documentation_url: string;
  status: "422";
}

/** The body GitHub sends with `422 Unprocessable Entity` when a request does not match the endpoint's schema. */
export function gitHubValidationError(violations: readonly ContractViolation[]): GitHubValidationErrorBody {
  const lines = [...new Set(violations.flatMap(gitHubWording))];
  return { message: `Invalid request.\n\n${lines.join("\n")}`, documentation_url: "https://docs.github.com/rest", status: "422" };
}

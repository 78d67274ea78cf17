/**
 * The sandbox's request contract: which GitHub REST operation a request is, and whether its params, query and
 * body (and our responses) have the shape GitHub's OpenAPI description gives them. Backed by the committed
 * `github-rest-subset.json` (`npm run sandbox:openapi`), read on first use.
 */
import { readFileSync } from "node:fs";
import { RouteMatcher, type RouteDefinition, type RouteMatch } from "./route-matcher.js";
import { SchemaValidators, violationsFromAjv } from "./schema-validation.js";
import type { Json, OpenApiSubset, SubsetOperation, SubsetParameter } from "./subset-types.js";
import { formatField, violationMessage, type ContractViolation, type ViolationLocation, type ViolationRule } from "./violations.js";

export type { RouteDefinition, RouteMatch } from "./route-matcher.js";
export type { OpenApiSubset, SubsetOperation, SubsetParameter } from "./subset-types.js";
export {
  describeViolation,
  gitHubValidationError,
  type ContractViolation,
  type GitHubValidationErrorBody,
  type ViolationLocation,
  type ViolationRule,
} from "./violations.js";

interface Contract {
  subset: OpenApiSubset;
  matcher: RouteMatcher;
  validators: SchemaValidators;
}

let loaded: Contract | undefined;

function contract(): Contract {
  if (!loaded) {
    const subset = JSON.parse(readFileSync(new URL("./github-rest-subset.json", import.meta.url), "utf8")) as OpenApiSubset;
    const routes = Object.values(subset.operations).map((op) => ({ operationId: op.operationId, method: op.method, template: op.path }));
    loaded = { subset, matcher: new RouteMatcher(routes), validators: new SchemaValidators(subset.components.schemas) };
  }
  return loaded;
}

/** The description the subset was cut from, e.g. `@octokit/openapi@23.0.2 (generated/api.github.com.json)`. */
export function openApiSource(): string {
  const { source } = contract().subset;
  return `${source.package}@${source.version} (${source.file})`;
}

/** Every served operation with its method and path template, sorted by operationId (for docs). */
export function servedRoutes(): RouteDefinition[] {
  return Object.values(contract().subset.operations).map((op) => ({ operationId: op.operationId, method: op.method, template: op.path }));
}

/** The subset's description of one operation; throws for operations the sandbox does not serve. */
export function operationOf(operationId: string): SubsetOperation {
  const op = contract().subset.operations[operationId];
  if (!op) throw new Error(`${operationId} is not a served operation (see sandbox/openapi/operations.ts)`);
  return op;
}

/**
 * Finds the operation for a request. `pathname` has no query string and no `/api/v3` prefix, and is still
 * percent-encoded: params are decoded after matching, so `heads%2Ffeature` and `heads/feature` both work.
 * Compare matches carry `base`, `head` and `basehead` (`a...b`).
 */
export function matchOperation(method: string, pathname: string): RouteMatch | null {
  const found = contract().matcher.match(method, pathname);
  // GitHub's own description names this segment `{basehead}`; Octokit's splits it. Offer both spellings.
  if (found?.template.endsWith("/{base}...{head}")) found.params["basehead"] = `${found.params["base"]}...${found.params["head"]}`;
  return found;
}

export interface RequestParts {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/** Requirements GitHub states only in prose, which its schemas cannot express. */
const REQUIRED_UNLESS: Record<string, { field: string; unless: string }[]> = {
  "pulls/create": [{ field: "title", unless: "issue" }],
};

/**
 * Query parameters GitHub's description types as `date-time` though GitHub takes its search syntax for dates
 * there (`>=2025-01-01T00:00:00Z`, `2025-01-01..2025-01-31`); their format is not checked.
 */
const SEARCH_SYNTAX_PARAMS: Record<string, readonly string[]> = {
  "actions/list-workflow-runs": ["created"],
};

function paramSchema(operationId: string, param: SubsetParameter): Json {
  const schema = param.schema;
  if (!SEARCH_SYNTAX_PARAMS[operationId]?.includes(param.name) || typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const { format: _format, ...rest } = schema;
  return rest;
}

function violation(input: { operationId: string; location: ViolationLocation; rule: ViolationRule }): ContractViolation {
  const { operationId, location, rule } = input;
  return { operationId, location, field: formatField(rule.path), message: violationMessage(location, rule), rule };
}

function validateParams(input: { op: SubsetOperation; where: "path" | "query"; values: Record<string, string> }): ContractViolation[] {
  const { op, where, values } = input;
  const declared = op.parameters.filter((param) => param.in === where);
  if (declared.length === 0) return [];
  // Unknown query params are ignored, as GitHub does; a copy keeps Ajv's coercion away from the caller's object.
  const data: Record<string, string> = {};
  for (const { name } of declared) if (values[name] !== undefined) data[name] = values[name];
  const schema = () => ({
    type: "object",
    properties: Object.fromEntries(declared.map((param) => [param.name, paramSchema(op.operationId, param)])),
    required: declared.filter((param) => param.required).map((param) => param.name),
  });
  const validate = contract().validators.get({ flavour: "params", key: `${op.operationId} ${where}`, schema });
  if (validate(data)) return [];
  return violationsFromAjv({ errors: validate.errors ?? [], data, operationId: op.operationId, location: where });
}

function validateBody(op: SubsetOperation, received: unknown): ContractViolation[] {
  const requestBody = op.requestBody;
  if (!requestBody) return []; // GitHub ignores bodies sent to operations that take none.
  // Clients send nothing when every body field is optional (Octokit sends an empty PUT/PATCH body), which GitHub reads as {}.
  const body = received === undefined ? {} : received;
  const validate = contract().validators.get({ flavour: "body", key: `${op.operationId} body`, schema: () => requestBody.schema });
  const found = validate(body) ? [] : violationsFromAjv({ errors: validate.errors ?? [], data: body, operationId: op.operationId, location: "body" });
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    for (const { field, unless } of REQUIRED_UNLESS[op.operationId] ?? []) {
      if (field in body || unless in body) continue;
      found.push(violation({ operationId: op.operationId, location: "body", rule: { keyword: "required", path: [field], detail: `unless "${unless}" is given` } }));
    }
  }
  return found;
}

/** Checks a request against the operation's parameter and body schemas; [] when it is valid. */
export function validateRequest(operationId: string, request: RequestParts): ContractViolation[] {
  const op = operationOf(operationId);
  return [
    ...validateParams({ op, where: "path", values: request.params ?? {} }),
    ...validateParams({ op, where: "query", values: request.query ?? {} }),
    ...validateBody(op, request.body),
  ];
}

/** Checks one of our responses against GitHub's documented 2xx schema for that status; other statuses pass. */
export function validateResponse(operationId: string, status: number, body: unknown): ContractViolation[] {
  const op = operationOf(operationId);
  const documented = op.responses[String(status)];
  const location = "response";
  if (!documented) {
    if (status < 200 || status > 299) return [];
    // Answering 200 where GitHub answers 201 (or 204) is a shape difference clients can notice.
    const detail = `is not a documented success status (GitHub answers ${Object.keys(op.responses).join(" or ")})`;
    return [violation({ operationId, location, rule: { keyword: "status", path: [], value: status, detail } })];
  }
  const schema: Json | undefined = documented.schema;
  if (schema === undefined) {
    if (body === undefined || body === null || body === "") return [];
    return [violation({ operationId, location, rule: { keyword: "empty", path: [], value: body, detail: `must be empty for status ${status}` } })];
  }
  const validate = contract().validators.get({ flavour: "response", key: `${operationId} ${status}`, schema: () => schema });
  if (validate(body)) return [];
  return violationsFromAjv({ errors: validate.errors ?? [], data: body, operationId, location });
}

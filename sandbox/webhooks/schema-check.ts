/**
 * Checks webhook payloads against `@octokit/webhooks-schemas`, whose definitions are keyed `<event>$<action>`
 * (`push$event` for events without actions). The schema is large, so it is read and compiled on first use only.
 */
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

interface WebhookSchemaFile {
  definitions: Record<string, unknown>;
}

const SCHEMA_ID = "octokit-webhooks";
let ajv: Ajv | undefined;
let definitionKeys: ReadonlySet<string> | undefined;
const validators = new Map<string, ValidateFunction>();

function load(): { ajv: Ajv; keys: ReadonlySet<string> } {
  if (ajv === undefined || definitionKeys === undefined) {
    const require = createRequire(import.meta.url);
    const file = require("@octokit/webhooks-schemas") as WebhookSchemaFile;
    const instance = new Ajv({ strict: false, allErrors: true });
    addFormats.default(instance);
    // Only the definitions are needed; the root's oneOf over every event would just slow the first compile.
    instance.addSchema({ $id: SCHEMA_ID, definitions: file.definitions });
    ajv = instance;
    definitionKeys = new Set(Object.keys(file.definitions));
  }
  return { ajv, keys: definitionKeys };
}

function definitionKey(name: string, action: string | undefined): string {
  return action === undefined ? `${name}$event` : `${name}$${action}`;
}

export function hasWebhookSchema(name: string, action?: string): boolean {
  return load().keys.has(definitionKey(name, action));
}

function describe(error: ErrorObject): string {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail =
    params["additionalProperty"] !== undefined
      ? ` "${String(params["additionalProperty"])}"`
      : params["allowedValues"] !== undefined
        ? ` ${JSON.stringify(params["allowedValues"])}`
        : "";
  return `${path}: ${error.message ?? error.keyword}${detail}`;
}

/** Problems with the payload, each naming its JSON path; empty when valid or when the package has no schema for it. */
export function checkWebhookPayload(name: string, payload: unknown): string[] {
  const rawAction = (payload as { action?: unknown } | null)?.action;
  const action = typeof rawAction === "string" ? rawAction : undefined;
  const key = definitionKey(name, action);
  const { ajv: instance, keys } = load();
  if (!keys.has(key)) return [];
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = instance.getSchema(`${SCHEMA_ID}#/definitions/${key}`);
    if (validate === undefined) return [];
    validators.set(key, validate);
  }
  if (validate(payload)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}

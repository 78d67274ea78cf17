/** POSTs one webhook to the App the way GitHub's hookshot does. */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { checkWebhookPayload } from "./schema-check.js";
import { signPayload } from "./sign.js";

export interface DeliverOptions {
  url: string;
  secret: string;
  /** The `X-GitHub-Event` name. */
  name: string;
  payload: unknown;
  deliveryId?: string;
  /** Replaces the computed `X-Hub-Signature-256`, to test how the App treats a bad one. */
  signature?: string;
  /** Sends a payload that fails the schema check anyway, for tests of malformed input. */
  skipSchemaCheck?: boolean;
  /** GitHub gives up on a hook after 10 s; so does the sandbox unless told otherwise. */
  timeoutMs?: number;
}

export interface DeliveryResult {
  status: number;
  body: string;
  deliveryId: string;
  elapsedMs: number;
}

/** No answer from the App: it could not be reached (`connection`), or it did not answer in time (`timeout`). */
export class DeliveryFailed extends Error {
  override name = "DeliveryFailed";
  constructor(
    message: string,
    readonly reason: "connection" | "timeout",
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

export async function deliverWebhook(options: DeliverOptions): Promise<DeliveryResult> {
  const action = (options.payload as { action?: unknown } | null)?.action;
  const event = typeof action === "string" ? `${options.name}.${action}` : options.name;
  if (options.skipSchemaCheck !== true) {
    const problems = checkWebhookPayload(options.name, options.payload);
    if (problems.length > 0) {
      throw new Error(`Refusing to deliver ${event}: the payload does not match @octokit/webhooks-schemas:\n  ${problems.join("\n  ")}`);
    }
  }
  const body = JSON.stringify(options.payload);
  const deliveryId = options.deliveryId ?? randomUUID();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const started = performance.now();
  const response = await fetch(options.url, {
    signal: AbortSignal.timeout(timeoutMs),
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "GitHub-Hookshot/sandbox",
      "X-GitHub-Event": options.name,
      "X-GitHub-Delivery": deliveryId,
      "X-Hub-Signature-256": options.signature ?? signPayload(options.secret, body),
    },
    body,
  }).catch((error: unknown) => {
    // Checked by name: the DOMException fetch throws may come from another realm (e.g. under jest's VM modules).
    const timedOut = (error as { name?: unknown } | null)?.name === "TimeoutError";
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : `${String(error)}${causeCode(error)}`;
    throw new DeliveryFailed(`Delivering ${event} to ${options.url} failed: ${reason}`, timedOut ? "timeout" : "connection", { cause: error });
  });
  const text = await response.text();
  return { status: response.status, body: text, deliveryId, elapsedMs: performance.now() - started };
}

/** fetch says only "fetch failed"; the socket's error code (ECONNREFUSED, ECONNRESET…) is in its cause. */
function causeCode(error: unknown): string {
  const code = ((error as { cause?: { code?: unknown } } | null)?.cause?.code);
  return typeof code === "string" ? ` (${code})` : "";
}

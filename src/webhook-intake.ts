/**
 * Webhook intake: what the server does with a POST to the webhook path before Probot's middleware sees it.
 * The URL is public, so a request is bounded before anyone knows whether GitHub sent it:
 *
 * - GitHub never sends more than 25 MB ("payloads are capped at 25 MB"), so a `Content-Length` above that is
 *   answered 413 at once, without reading the body, and a body without one (chunked) is read only up to
 *   that: past it the request is answered 413 and its connection closed.
 * - All requests being read hold at most 32 MB of body between them. One whose next chunk would not fit is
 *   answered 503 (Retry-After) and its connection closed, so parallel oversized requests cannot add up
 *   (bench/intake.bench.ts measures what four of them cost); GitHub's deliveries are almost always under
 *   1 MB, so this only bites when someone floods the endpoint.
 * - A refused connection is closed without reading the rest of its body, after its answer (see `refuse`).
 * - The signature is checked here, on the exact bytes (an HMAC as GitHub computes it): a bad one is 400,
 *   and the body is dropped without ever being decoded. A validly signed body that is not a JSON object
 *   (`null`, a string, truncated JSON) is 400 too; Probot would answer it 500.
 *
 * What passes is handed to Probot's middleware as `request.body` (a string, which its payload reader takes
 * as is), which checks the headers and the signature again and runs the handlers.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** GitHub's cap on a webhook payload. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** What all requests being read may hold at once. */
export const MAX_BUFFERED_WEBHOOK_BYTES = 32 * 1024 * 1024;

export interface IntakeLimits {
  /** Per request (default 25 MB). */
  bodyBytes: number;
  /** All requests being read together (default 32 MB). */
  bufferedBytes: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = { bodyBytes: MAX_WEBHOOK_BYTES, bufferedBytes: MAX_BUFFERED_WEBHOOK_BYTES };

/** The bytes held by requests being read, across the server. */
export class BodyBudget {
  private used = 0;
  constructor(readonly limit: number) {}
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }
  give(bytes: number): void {
    this.used -= bytes;
  }
  get inUse(): number {
    return this.used;
  }
}

export type BodyRead =
  | { status: "read"; body: Buffer }
  | { status: "too-large"; bytes: number }
  | { status: "busy"; bytes: number }
  /** The client went away (or the server timed the request out) before the end. */
  | { status: "aborted" };

/**
 * Reads a request's body, stopping as soon as it passes `limits.bodyBytes` or the budget is spent. The
 * bytes taken from the budget are given back once the read ends; the caller owns the body from then on.
 */
export function readBoundedBody(req: IncomingMessage, limits: IntakeLimits, budget: BodyBudget): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      req.off("data", onData).off("end", onEnd).off("error", onAbort).off("close", onAbort);
      budget.give(received);
      if (result.status !== "read") {
        // Stop reading: the socket is closed after the answer.
        req.pause();
        chunks.length = 0;
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (received + chunk.length > limits.bodyBytes) return finish({ status: "too-large", bytes: received + chunk.length });
      if (!budget.take(chunk.length)) return finish({ status: "busy", bytes: received + chunk.length });
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish({ status: "read", body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received) });
    const onAbort = () => finish({ status: "aborted" });
    req.on("data", onData).on("end", onEnd).on("error", onAbort).on("close", onAbort);
  });
}

/** Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`, compared in constant time. */
export function signatureMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, "hex"));
}

/** The body as text if it is a JSON object (what every GitHub event is), else null. */
export function jsonObjectText(body: Buffer): string | null {
  const text = body.toString("utf8");
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? text : null;
  } catch {
    return null;
  }
}

const reasonOf: Record<number, string> = { 400: "Bad Request", 413: "Payload Too Large", 500: "Internal Server Error", 503: "Service Unavailable" };

/** How long a refused connection may stay open for its client to read the answer. */
const LINGER_MS = 5_000;

/**
 * Answers a request with a JSON error. With `close`, the rest of the body is never read: the answer is
 * written on the socket itself and the socket half-closed, so Node's server neither reads the body to its end
 * (as it would to reuse the connection) nor resets the connection while the client still sends, which would
 * lose the answer. The paused request stops the socket's reading once its small buffer is full; the client
 * reads the answer and goes away, or the connection is destroyed after a few seconds.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string, options: { close?: boolean; retryAfter?: number } = {}): void {
  const json = JSON.stringify({ error });
  const headers: Record<string, string | number> = { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json) };
  if (options.retryAfter !== undefined) headers["retry-after"] = options.retryAfter;
  if (!options.close) {
    res.writeHead(status, reasonOf[status], headers).end(json);
    return;
  }
  const socket = req.socket;
  req.pause();
  const head = Object.entries({ ...headers, connection: "close" }).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  socket.end(`HTTP/1.1 ${status} ${reasonOf[status] ?? "Error"}\r\n${head}\r\n${json}`);
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once("close", () => clearTimeout(linger));
}

export type IntakeVerdict =
  | { ok: true; payload: string }
  | { ok: false; status: number; error: string; close: boolean; retryAfter?: number };

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Reads and checks one webhook request. A request refused before its body is read (Content-Length too
 * large) or while reading it is closed after the answer.
 */
export async function takeWebhook(input: { req: IncomingMessage; secret: string; limits: IntakeLimits; budget: BodyBudget }): Promise<IntakeVerdict | null> {
  const { req, secret, limits, budget } = input;
  const tooLarge = `the body is larger than ${megabytes(limits.bodyBytes)}, GitHub's limit for a webhook`;
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limits.bodyBytes) return { ok: false, status: 413, error: tooLarge, close: true };
  const read = await readBoundedBody(req, limits, budget);
  switch (read.status) {
    case "aborted":
      return null;
    case "too-large":
      return { ok: false, status: 413, error: tooLarge, close: true };
    case "busy":
      return { ok: false, status: 503, error: "too many webhook bytes are being received at once; try again", close: true, retryAfter: 5 };
    case "read":
      break;
  }
  const signature = req.headers["x-hub-signature-256"];
  // Without a signature header, Probot's middleware answers (400, naming the missing header).
  if (signature === undefined) return { ok: true, payload: read.body.toString("utf8") };
  if (!signatureMatches(secret, read.body, Array.isArray(signature) ? signature[0] : signature)) {
    return { ok: false, status: 400, error: "signature does not match the payload", close: false };
  }
  const payload = jsonObjectText(read.body);
  if (payload === null) return { ok: false, status: 400, error: "the payload is not a JSON object", close: false };
  return { ok: true, payload };
}

/**
 * The sandbox's HTTP front: match the route against GitHub's OpenAPI description, check the request
 * against it, authenticate, inject faults, call the handler, log the call. Serves both `/` (api.github.com
 * style) and `/api/v3` (GitHub Enterprise style, what Probot's GHE_HOST points at).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  describeViolation,
  gitHubValidationError,
  matchOperation,
  validateRequest,
  validateResponse,
  type ContractViolation,
  type RouteMatch,
} from "../openapi/contract.js";
import type { OperationHandler } from "../routes/context.js";
import type { StateChange } from "../state/changes.js";
import { shapeContextOf } from "../state/shape-context.js";
import type { Store } from "../state/store.js";
import { authenticate } from "./auth.js";
import { CallLog, isWrite } from "./call-log.js";
import { Faults } from "./faults.js";
import { HttpError, type Actor, type OperationResult } from "./types.js";

export interface ServerDeps {
  store: Store;
  handlers: Record<string, OperationHandler>;
  /** Check our own 2xx answers against GitHub's response schemas too (on in tests). */
  checkResponses?: boolean;
}

/**
 * Told what each successful call changed, before its answer is sent (so that webhook payloads are built from
 * the state the call left); it must not throw, and should not take long.
 */
export type ChangeListener = (changes: StateChange[]) => Promise<void>;

export class SandboxServer {
  readonly log = new CallLog();
  readonly faults = new Faults();
  readonly violations: ContractViolation[] = [];
  /** Set by `Sandbox.deliverTo`: the webhook outbox. */
  onChanges: ChangeListener | null = null;
  private server: Server | null = null;
  private origin = "";

  constructor(private readonly deps: ServerDeps) {}

  get url(): string {
    return this.origin;
  }

  get apiUrl(): string {
    return `${this.origin}/api/v3`;
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.origin = `http://${host}:${address.port}`;
    return this.origin;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Throws with every contract violation since the last check (named by operation and field), and forgets them. */
  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.splice(0).map(describeViolation);
    throw new Error(`GitHub API contract violations:\n  ${lines.join("\n  ")}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", this.origin);
    const pathname = url.pathname.replace(/^\/api\/v3(?=\/|$)/, "") || "/";
    const match = matchOperation(method, pathname);
    const operationId = match?.operationId ?? null;
    const route = match?.template ?? pathname;
    let actorName = "anonymous";
    let fault: string | null = null;
    let applied: number | undefined;
    const logCall = (status: number): void => this.log.record({
      method, operationId, route, path: pathname, status, write: isWrite(method),
      latencyMs: performance.now() - started, actor: actorName, fault, ...(applied !== undefined ? { applied } : {}), at: Date.now(),
    });
    const finish = (result: OperationResult): void => {
      this.respond(res, result);
      logCall(result.status);
    };
    /** No answer at all: the client sees its connection reset. */
    const drop = (): void => {
      logCall(0);
      req.socket.destroy();
    };
    try {
      const raw = await readBody(req);
      if (this.faults.latencyMs > 0) await delay(this.faults.latencyMs);
      // A killed App instance's requests never reach GitHub: nothing is applied and nothing answers.
      if (this.deps.store.carriesRevokedToken(req.headers.authorization)) {
        fault = "revoked-token";
        return drop();
      }
      if (!match) {
        this.violations.push({ operationId: `${method} ${pathname}`, location: "path", field: "", message: "no such GitHub REST route" });
        throw new HttpError(404, "Not Found");
      }
      const actor = authenticate({ store: this.deps.store, header: req.headers.authorization, operationId: match.operationId });
      actorName = nameOf(actor);
      const injected = this.faults.pick({ operationId, method, route });
      if (injected?.kind === "drop") {
        fault = "drop";
        return drop();
      }
      if (injected?.kind === "hang") {
        // Never answered: the socket stays open until the client gives up or the sandbox closes it.
        fault = "hang";
        logCall(0);
        return;
      }
      if (injected?.kind === "respond") {
        fault = String(injected.status);
        return finish({ status: injected.status, body: injected.body, headers: injected.headers });
      }
      const changes: StateChange[] = [];
      const result = await this.execute({ req, url, raw, match, actor, changes });
      // Applied is applied, whether or not the answer gets back (the apply-then faults below): GitHub sends its webhooks.
      if (result.status >= 200 && result.status < 300 && changes.length > 0) await this.onChanges?.(changes).catch(() => undefined);
      if (injected?.kind === "apply-then") {
        // GitHub did the work; the answer is lost on the way back.
        fault = injected.fault;
        applied = result.status;
        if (injected.then.kind === "respond") return finish({ status: injected.then.status, body: injected.then.body, headers: injected.then.headers });
        if (injected.then.kind === "kill") this.deps.store.revokeInstallationTokens();
        return drop();
      }
      finish(result);
    } catch (error) {
      if (error instanceof HttpError) return finish({ status: error.status, body: error.toBody() });
      const message = error instanceof Error ? error.message : String(error);
      finish({ status: 500, body: { message: `sandbox error: ${message}` } });
    }
  }

  /** Checks the request against the contract and runs its handler; GitHub's error answers come back as results. */
  private async execute(input: { req: IncomingMessage; url: URL; raw: string; match: RouteMatch; actor: Actor; changes: StateChange[] }): Promise<OperationResult> {
    const { req, url, raw, match, actor, changes } = input;
    try {
      const body = parseJson(raw);
      const query = Object.fromEntries(url.searchParams.entries());
      const violations = validateRequest(match.operationId, { params: match.params, query, body });
      if (violations.length > 0) {
        this.violations.push(...violations);
        // GitHub answers a malformed path (say, a non-numeric issue number) with 404, a bad query or body with 422.
        if (violations.every((v) => v.location === "path")) throw new HttpError(404, "Not Found");
        return { status: 422, body: gitHubValidationError(violations) };
      }
      const handler = this.deps.handlers[match.operationId];
      if (!handler) throw new HttpError(501, `The sandbox does not serve ${match.operationId}`);
      const accept = String(req.headers.accept ?? "application/json");
      const request = { operationId: match.operationId, params: match.params, query, body, actor, accept };
      const store = this.deps.store;
      const result = await handler({ store, shape: shapeContextOf(store, this.origin), request, url, changes });
      if (this.deps.checkResponses && result.status >= 200 && result.status < 300 && result.body !== undefined && !Buffer.isBuffer(result.body)) {
        this.violations.push(...validateResponse(match.operationId, result.status, result.body));
      }
      return result;
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: error.toBody() };
      throw error;
    }
  }

  private respond(res: ServerResponse, result: OperationResult): void {
    const headers: Record<string, string> = {
      "x-github-request-id": Math.random().toString(16).slice(2, 10).toUpperCase(),
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-used": "1",
      "x-ratelimit-resource": "core",
      ...result.headers,
    };
    if (result.body === undefined || result.status === 204) {
      res.writeHead(result.status, headers).end();
      return;
    }
    if (Buffer.isBuffer(result.body)) {
      res.writeHead(result.status, { "content-type": "application/octet-stream", ...headers }).end(result.body);
      return;
    }
    headers["content-type"] = "application/json; charset=utf-8";
    res.writeHead(result.status, headers).end(JSON.stringify(result.body));
  }
}

function nameOf(actor: Actor): string {
  if (actor.kind === "app") return `app:${actor.appId}`;
  if (actor.kind === "installation") return `installation:${actor.installationId}`;
  return `user:${actor.user.login}`;
}

function parseJson(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The status page's HTTP answers (GET and HEAD; the server sends every POST to the webhook intake):
 *
 *   /status                      every repository the App knows, its last job, the queue
 *   /status/{owner}/{repo}       one repository: schedule (chart and table), queue, last jobs, failures, shadow plans
 *
 * JSON at the same paths, with `.json` appended (`/status.json`, `/status/{owner}/{repo}.json`) or with
 * `Accept: application/json`; HTML otherwise. Off (404, as any unknown path) unless STATUS_TOKEN is set;
 * without the token, 401 (src/status/auth.ts). Answers are never cached, never framed, and send no referrer.
 * Nothing here logs a request's address or headers: the token can be in them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Log } from "../log.js";
import { StatusGate } from "./auth.js";
import { contentSecurityPolicy, renderIndex, renderNotFound, renderRefused, renderRepository } from "./render.js";
import { repositoryPath, repositoryStatus, statusIndex, type StatusDeps } from "./view.js";

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Whether the request asks for JSON: a `.json` path, or an Accept header that prefers it to HTML. */
export function wantsJson(path: string, accept: string | undefined): boolean {
  if (path.endsWith(".json")) return true;
  let json = -1;
  let htmlQ = -1;
  for (const part of (accept ?? "").split(",")) {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith("q="))?.slice(2) ?? "1");
    const weight = Number.isFinite(q) ? q : 0;
    if (type === "application/json") json = Math.max(json, weight);
    if (type === "text/html") htmlQ = Math.max(htmlQ, weight);
  }
  return json > 0 && json > htmlQ;
}

export type StatusRoute = { page: "index" } | { page: "repository"; repository: string } | { page: "unknown" };

/** The page a path names (already known to be /status or under it); `.json` taken off. */
export function routeOf(path: string): StatusRoute {
  const bare = path.endsWith(".json") ? path.slice(0, -5) : path;
  if (bare === "/status" || bare === "/status/") return { page: "index" };
  const parts = bare.slice("/status/".length).split("/");
  if (parts.length !== 2) return { page: "unknown" };
  let owner: string;
  let repo: string;
  try {
    [owner, repo] = parts.map(decodeURIComponent) as [string, string];
  } catch {
    return { page: "unknown" };
  }
  return NAME.test(owner) && NAME.test(repo) && repo !== "." && repo !== ".." ? { page: "repository", repository: `${owner}/${repo}` } : { page: "unknown" };
}

/** Whether a path is the status page's (the server sends these here, and nothing else). */
export const isStatusPath = (path: string): boolean => path === "/status" || path === "/status.json" || path.startsWith("/status/");

const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  vary: "Accept, Authorization, Cookie",
};

export interface StatusHandlerOptions {
  token: string;
  deps: StatusDeps;
  log: Pick<Log, "debug" | "error">;
  now?: () => number;
}

export type StatusHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createStatusHandler(options: StatusHandlerOptions): StatusHandler {
  const gate = new StatusGate(options.token, options.now);

  const send = (req: IncomingMessage, res: ServerResponse, status: number, json: boolean, body: unknown, headers: Record<string, string> = {}) => {
    const text = json ? JSON.stringify(body) : String(body);
    res.writeHead(status, {
      ...COMMON_HEADERS,
      "content-type": json ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
      ...(json ? {} : { "content-security-policy": contentSecurityPolicy() }),
      "content-length": String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(req.method === "HEAD" ? undefined : text);
  };

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://status.invalid");
    const path = url.pathname;
    const json = wantsJson(path, req.headers.accept);
    const verdict = gate.verdict(req, url.searchParams);
    if (!verdict.ok) {
      options.log.debug({ page: path, presented: verdict.presented }, "status page: refused a request without a valid token");
      const challenge = { "www-authenticate": `Bearer realm="lts-steward status"${verdict.presented ? ', error="invalid_token"' : ""}` };
      send(req, res, 401, json, json ? { error: "a valid STATUS_TOKEN is needed: Authorization: Bearer <token>" } : renderRefused(), challenge);
      return;
    }
    const route = routeOf(path);
    if (verdict.via === "query" && !json) {
      // The token leaves the address at once: a cookie carries the session, and the page (by its own
      // canonical path, never one taken from the request) is asked for again without it.
      const location = route.page === "repository" ? repositoryPath(route.repository) : "/status";
      res.writeHead(303, { ...COMMON_HEADERS, location, "set-cookie": gate.cookie(req), "content-length": "0" });
      res.end();
      return;
    }
    try {
      if (route.page === "index") {
        const view = await statusIndex(options.deps);
        send(req, res, 200, json, json ? view : renderIndex(view));
        return;
      }
      const view = route.page === "repository" ? await repositoryStatus(options.deps, route.repository) : null;
      if (!view) {
        send(req, res, 404, json, json ? { error: "not found" } : renderNotFound());
        return;
      }
      send(req, res, 200, json, json ? view : renderRepository(view));
    } catch (error) {
      options.log.error({ err: error, page: path }, "status page failed");
      if (!res.headersSent) send(req, res, 500, json, json ? { error: "internal error" } : "internal error");
    }
  };
}

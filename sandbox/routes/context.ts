/** What every route handler works with: the request, the state, and helpers that answer as GitHub does. */
import type { BareRepo } from "../git/bare-repo.js";
import { canSee } from "../http/auth.js";
import { HttpError, notFound, type OperationRequest, type OperationResult } from "../http/types.js";
import type { ShapeContext } from "../shapes/index.js";
import type { StateChange } from "../state/changes.js";
import type { Store } from "../state/store.js";
import type { Permission, RepoRecord, UserRecord } from "../state/types.js";

export interface RouteContext {
  store: Store;
  shape: ShapeContext;
  request: OperationRequest;
  /** The URL the client called (with its `/api/v3` prefix, if any), for pagination links. */
  url: URL;
  /** What the call changed, for webhooks; read only when it succeeds. */
  changes: StateChange[];
}

export type OperationHandler = (ctx: RouteContext) => Promise<OperationResult> | OperationResult;

const RANK: Record<Permission, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** The account GitHub records as the author of a write: the App's bot for installation tokens. */
export function actorUser(ctx: RouteContext): UserRecord {
  const actor = ctx.request.actor;
  if (actor.kind === "app") throw new HttpError(403, "A JSON web token could not be decoded");
  return actor.user;
}

/** Does the caller hold at least `min` on the repository? Installation tokens hold what the App was granted: all of it here. */
export function hasRole(ctx: RouteContext, { repo, min }: { repo: RepoRecord; min: Permission }): boolean {
  const actor = ctx.request.actor;
  if (actor.kind === "installation") return actor.installationId === repo.installationId;
  if (actor.kind === "app") return false;
  return RANK[ctx.store.permission(repo, actor.user.login)] >= RANK[min];
}

export const roleRank = (permission: Permission): number => RANK[permission];

/** The repository (404 when hidden) when the caller holds `min` on it; 403 as GitHub answers otherwise. */
export function repoWithRole(ctx: RouteContext, min: Permission): RepoRecord {
  const repo = repoOf(ctx);
  if (!hasRole(ctx, { repo, min })) throw new HttpError(403, "Resource not accessible by personal access token");
  return repo;
}

/** The repository named by `{owner}/{repo}`; 404 when the caller cannot see it, as GitHub hides it. */
export function repoOf(ctx: RouteContext, { write = false }: { write?: boolean } = {}): RepoRecord {
  if (write) return repoWithRole(ctx, "write");
  const { owner, repo: name } = ctx.request.params;
  const repo = owner && name ? ctx.store.findRepo(owner, name) : undefined;
  if (!repo || !canSee({ store: ctx.store, actor: ctx.request.actor, repo })) throw notFound();
  return repo;
}

export function gitOf(ctx: RouteContext, repo: RepoRecord): BareRepo {
  return ctx.store.git(repo);
}

/** The body as an object (the contract check has already validated its fields). */
export function bodyOf<T>(ctx: RouteContext): T {
  return (ctx.request.body ?? {}) as T;
}

export function intParam(ctx: RouteContext, name: string): number {
  const value = Number(ctx.request.params[name]);
  if (!Number.isInteger(value)) throw notFound();
  return value;
}

export const ok = (body: unknown, status = 200): OperationResult => ({ status, body });

/** A page of `items` per GitHub's `per_page`/`page`, with a `Link` header when there are more. */
export function paginate(ctx: RouteContext, items: unknown[]): OperationResult {
  const perPage = Math.min(Math.max(Number(ctx.request.query.per_page ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.request.query.page ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const body = items.slice((page - 1) * perPage, page * perPage);
  const links: string[] = [];
  const linkTo = (n: number, rel: string): void => {
    const url = new URL(ctx.url);
    url.searchParams.set("page", String(n));
    url.searchParams.set("per_page", String(perPage));
    links.push(`<${url.toString()}>; rel="${rel}"`);
  };
  if (page > 1) {
    linkTo(page - 1, "prev");
    linkTo(1, "first");
  }
  if (page < last) {
    linkTo(page + 1, "next");
    linkTo(last, "last");
  }
  return { status: 200, body, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

/** A git answer that is null only when an object is missing, which the handler has ruled out already. */
export function need<T>(value: T | null, what: string): T {
  if (value === null) throw new HttpError(404, `${what} not found`);
  return value;
}

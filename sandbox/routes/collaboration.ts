/**
 * Who may do what on a repository, as GitHub decides it for the collaboration endpoints, plus the
 * collaborator-permission endpoint itself.
 */
import { HttpError, notFound } from "../http/types.js";
import { userJson } from "../shapes/index.js";
import type { Permission, RepoRecord, UserRecord } from "../state/types.js";
import { ok, repoOf, type OperationHandler, type RouteContext } from "./context.js";

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

/** The repository (404 when hidden) when the caller holds `min` on it; 403 as GitHub answers otherwise. */
export function repoWithRole(ctx: RouteContext, min: Permission): RepoRecord {
  const repo = repoOf(ctx);
  if (!hasRole(ctx, { repo, min })) throw new HttpError(403, "Resource not accessible by personal access token");
  return repo;
}

/** GitHub's legacy `permission` folds the fine-grained roles into four levels; `role_name` keeps the role. */
const LEGACY: Record<Permission, "admin" | "write" | "read" | "none"> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

export const collaborationHandlers: Record<string, OperationHandler> = {
  "repos/get-collaborator-permission-level": (ctx) => {
    const repo = repoOf(ctx);
    const login = ctx.request.params.username ?? "";
    const user = ctx.store.users.get(login.toLowerCase());
    if (!user) throw notFound();
    const role = ctx.store.permission(repo, user.login);
    const permissions = {
      admin: RANK[role] >= RANK.admin,
      maintain: RANK[role] >= RANK.maintain,
      push: RANK[role] >= RANK.write,
      triage: RANK[role] >= RANK.triage,
      pull: RANK[role] >= RANK.read,
    };
    return ok({
      permission: LEGACY[role],
      role_name: role,
      user: { ...userJson(ctx.shape, user), permissions, role_name: role },
    });
  },
};

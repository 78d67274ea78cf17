/**
 * The collaborator-permission endpoint: a user's role on a repository, as GitHub reports it.
 */
import { notFound } from "../http/types.js";
import { userJson } from "../shapes/index.js";
import type { Permission } from "../state/types.js";
import { ok, repoOf, roleRank, type OperationHandler } from "./context.js";

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
      admin: roleRank(role) >= roleRank("admin"),
      maintain: roleRank(role) >= roleRank("maintain"),
      push: roleRank(role) >= roleRank("write"),
      triage: roleRank(role) >= roleRank("triage"),
      pull: roleRank(role) >= roleRank("read"),
    };
    return ok({
      permission: LEGACY[role],
      role_name: role,
      user: { ...userJson(ctx.shape, user), permissions, role_name: role },
    });
  },
};

/** The App and its installations: what Probot calls to turn its JWT into installation tokens. */
import { HttpError, notFound } from "../http/types.js";
import { appJson, installationJson, nestedRepositoryJson } from "../shapes/index.js";
import type { InstallationRecord } from "../state/types.js";
import { intParam, ok, paginate, type OperationHandler, type RouteContext } from "./context.js";

/** The permissions the sandbox grants every installation token (GitHub echoes them in the token answer). */
export const INSTALLATION_PERMISSIONS = {
  contents: "write",
  pull_requests: "write",
  issues: "write",
  checks: "write",
  actions: "write",
  metadata: "read",
  repository_advisories: "read",
} as const;

function installationOf(ctx: RouteContext): InstallationRecord {
  const installation = ctx.store.installations.get(intParam(ctx, "installation_id"));
  if (!installation) throw notFound();
  return installation;
}

/**
 * GitHub's description of this list types `account` as a user *and* an enterprise (an `allOf` where an
 * `anyOf` was meant), so a listed account also carries the enterprise's required keys; clients ignore them.
 */
function listedInstallation(ctx: RouteContext, installation: InstallationRecord) {
  const json = installationJson(ctx.shape, installation, ctx.store.app);
  const account = json["account"] as Record<string, unknown>;
  const created = installation.createdAt;
  return { ...json, account: { ...account, name: installation.account.login, slug: installation.account.login.toLowerCase(), created_at: created, updated_at: created } };
}

export const appHandlers: Record<string, OperationHandler> = {
  "apps/get-authenticated": (ctx) => ok(appJson(ctx.shape, ctx.store.app)),

  "apps/list-installations": (ctx) =>
    paginate(ctx, [...ctx.store.installations.values()].map((i) => listedInstallation(ctx, i))),

  "apps/get-installation": (ctx) => ok(installationJson(ctx.shape, installationOf(ctx), ctx.store.app)),

  "apps/get-repo-installation": (ctx) => {
    const { owner, repo: name } = ctx.request.params;
    const repo = ctx.store.findRepo(owner ?? "", name ?? "");
    const installation = repo && ctx.store.installations.get(repo.installationId);
    if (!installation) throw notFound();
    return ok(installationJson(ctx.shape, installation, ctx.store.app));
  },

  "apps/create-installation-access-token": (ctx) => {
    const installation = installationOf(ctx);
    const body = (ctx.request.body ?? {}) as { repositories?: string[]; repository_ids?: number[] };
    const repos = ctx.store.reposOf(installation.id);
    const unknown = (body.repositories ?? []).filter((name) => !repos.some((r) => r.name.toLowerCase() === name.toLowerCase()));
    if (unknown.length > 0) throw new HttpError(422, "There is at least one repository that does not exist or is not accessible to the parent installation.");
    const token = ctx.store.issueToken(installation.id);
    return ok(
      {
        token: token.token,
        expires_at: new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: INSTALLATION_PERMISSIONS,
        repository_selection: installation.repositorySelection,
      },
      201,
    );
  },

  "apps/list-repos-accessible-to-installation": (ctx) => {
    const actor = ctx.request.actor;
    if (actor.kind !== "installation") throw new HttpError(403, "This endpoint requires an installation token");
    const repos = ctx.store.reposOf(actor.installationId).map((repo) => nestedRepositoryJson(ctx.shape, repo));
    const page = paginate(ctx, repos);
    return { ...page, body: { total_count: repos.length, repository_selection: "selected", repositories: page.body } };
  },
};

/** `integration` (the App) and `installation`. */
import type { AppRecord, InstallationRecord } from "../state/types.js";
import { nodeId, type JsonObject, type ShapeContext } from "./context.js";
import { userJson } from "./users.js";

/** What the sandbox App is granted; records do not keep permissions, and every sandbox App asks for the same. */
export const SANDBOX_APP_PERMISSIONS: Readonly<Record<string, "read" | "write">> = {
  actions: "write",
  checks: "write",
  contents: "write",
  issues: "write",
  metadata: "read",
  pull_requests: "write",
  security_events: "read",
};

export const SANDBOX_APP_EVENTS: readonly string[] = [
  "issue_comment",
  "pull_request",
  "push",
  "release",
  "repository_advisory",
  "security_advisory",
];

/** App records keep no timestamps; a fixed one keeps answers reproducible. */
export const SANDBOX_APP_CREATED_AT = "2024-01-01T00:00:00Z";

export function appJson(ctx: ShapeContext, app: AppRecord): JsonObject {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    owner: userJson(ctx, app.owner),
    name: app.name,
    description: null,
    external_url: ctx.webUrl,
    html_url: `${ctx.webUrl}/apps/${app.slug}`,
    created_at: SANDBOX_APP_CREATED_AT,
    updated_at: SANDBOX_APP_CREATED_AT,
    permissions: { ...SANDBOX_APP_PERMISSIONS },
    events: [...SANDBOX_APP_EVENTS],
  };
}

export function installationJson(ctx: ShapeContext, installation: InstallationRecord, app: AppRecord): JsonObject {
  const account = installation.account;
  const settings = account.type === "Organization" ? `organizations/${account.login}/settings` : "settings";
  return {
    id: installation.id,
    account: userJson(ctx, account),
    repository_selection: installation.repositorySelection,
    access_tokens_url: `${ctx.apiUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${ctx.apiUrl}/installation/repositories`,
    html_url: `${ctx.webUrl}/${settings}/installations/${installation.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: { ...SANDBOX_APP_PERMISSIONS },
    events: [...SANDBOX_APP_EVENTS],
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** `simple-user`: also valid as the webhooks' closed `user` object, so it carries no optional extras. */
import type { UserRecord } from "../state/types.js";
import { nodeId, type JsonObject, type ShapeContext } from "./context.js";

export function userJson(ctx: ShapeContext, user: UserRecord): JsonObject {
  // Logins of bots contain brackets ("name[bot]"), which are not allowed unescaped in a URI path.
  const url = `${ctx.apiUrl}/users/${encodeURIComponent(user.login)}`;
  const htmlUrl =
    user.type === "Bot" && user.login.endsWith("[bot]")
      ? `${ctx.webUrl}/apps/${user.login.slice(0, -"[bot]".length)}`
      : `${ctx.webUrl}/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Organization" ? "Organization" : user.type, user.id),
    avatar_url: `${ctx.webUrl}/avatars/u/${user.id}?v=4`,
    gravatar_id: "",
    url,
    html_url: htmlUrl,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    site_admin: false,
  };
}

/** The `organization` object webhooks carry when the repository belongs to an organization. */
export function organizationJson(ctx: ShapeContext, org: UserRecord): JsonObject {
  const url = `${ctx.apiUrl}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId("Organization", org.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${ctx.webUrl}/avatars/u/${org.id}?v=4`,
    description: null,
  };
}

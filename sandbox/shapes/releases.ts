/** `release`. */
import type { ReleaseRecord, RepoRecord } from "../state/types.js";
import { fullName, nodeId, repoApiUrl, repoWebUrl, type JsonObject, type ShapeContext } from "./context.js";
import { userJson } from "./users.js";

export function releaseJson(ctx: ShapeContext, repo: RepoRecord, release: ReleaseRecord): JsonObject {
  const api = repoApiUrl(ctx, repo);
  const url = `${api}/releases/${release.id}`;
  const tag = encodeURIComponent(release.tagName);
  return {
    url,
    assets_url: `${url}/assets`,
    // GitHub Enterprise serves uploads under /api/uploads on the web host; the sandbox follows that layout.
    upload_url: `${ctx.webUrl}/api/uploads/repos/${fullName(repo)}/releases/${release.id}/assets{?name,label}`,
    html_url: `${repoWebUrl(ctx, repo)}/releases/tag/${tag}`,
    id: release.id,
    node_id: nodeId("Release", release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    draft: release.draft,
    author: userJson(ctx, release.author),
    prerelease: release.prerelease,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    assets: [],
    // A draft has no tag yet, so GitHub gives it no archive links.
    tarball_url: release.draft ? null : `${api}/tarball/${tag}`,
    zipball_url: release.draft ? null : `${api}/zipball/${tag}`,
    body: release.body,
  };
}

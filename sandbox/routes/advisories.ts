/** Repository security advisories, paginated with cursors (`before`/`after`) as GitHub does for them. */
import { HttpError, notFound, unprocessable } from "../http/types.js";
import { repositoryAdvisoryJson } from "../shapes/index.js";
import type { AdvisoryRecord, RepoRecord } from "../state/types.js";
import { actorUser, bodyOf, hasRole, ok, repoOf, type OperationHandler, type RouteContext } from "./context.js";

interface AdvisoryUpdate {
  summary?: string;
  description?: string;
  cve_id?: string | null;
  severity?: AdvisoryRecord["severity"];
  state?: "published" | "closed" | "draft";
  vulnerabilities?: { package: { ecosystem: string; name?: string | null }; vulnerable_version_range?: string | null; patched_versions?: string | null; vulnerable_functions?: string[] | null }[];
}

/**
 * Published advisories are public; unpublished ones reach only admins (security managers) and the
 * people credited on them. An installation token with the advisories permission sees all of them.
 */
function visible(ctx: RouteContext, { repo, advisory }: { repo: RepoRecord; advisory: AdvisoryRecord }): boolean {
  if (advisory.state === "published" || hasRole(ctx, { repo, min: "admin" })) return true;
  const actor = ctx.request.actor;
  return actor.kind === "user" && [advisory.author.id, advisory.publisher?.id].includes(actor.user.id);
}

const encodeCursor = (ghsaId: string): string => Buffer.from(ghsaId).toString("base64url");
const decodeCursor = (cursor: string): string => Buffer.from(cursor, "base64url").toString("utf8");

function sortKey(sort: string): (a: AdvisoryRecord) => string {
  if (sort === "updated") return (a) => a.updatedAt;
  if (sort === "published") return (a) => a.publishedAt ?? "";
  return (a) => a.createdAt;
}

/** One page after `after` (or before `before`), with `next`/`prev` links carrying cursors. */
function cursorPage(ctx: RouteContext, items: AdvisoryRecord[]): { page: AdvisoryRecord[]; link: string | undefined } {
  const { per_page: perPageParam, after, before } = ctx.request.query;
  const perPage = Math.min(Math.max(Number(perPageParam ?? 30) || 30, 1), 100);
  let start = 0;
  let end = items.length;
  if (after) start = items.findIndex((a) => a.ghsaId === decodeCursor(after)) + 1;
  if (before) end = Math.max(items.findIndex((a) => a.ghsaId === decodeCursor(before)), 0);
  const [from, to] = before && !after ? [Math.max(end - perPage, 0), end] : [start, Math.min(start + perPage, end)];
  const page = items.slice(from, to);
  const links: string[] = [];
  const linkTo = ({ rel, cursor }: { rel: string; cursor: { after?: string; before?: string } }): void => {
    const url = new URL(ctx.url);
    url.searchParams.delete("after");
    url.searchParams.delete("before");
    url.searchParams.delete("page");
    for (const [key, value] of Object.entries(cursor)) if (value) url.searchParams.set(key, value);
    links.push(`<${url.toString()}>; rel="${rel}"`);
  };
  const first = page[0];
  const last = page[page.length - 1];
  if (first && from > 0) linkTo({ rel: "prev", cursor: { before: encodeCursor(first.ghsaId) } });
  if (last && to < items.length) linkTo({ rel: "next", cursor: { after: encodeCursor(last.ghsaId) } });
  return { page, link: links.length > 0 ? links.join(", ") : undefined };
}

export const advisoryHandlers: Record<string, OperationHandler> = {
  "security-advisories/get-repository-advisory": (ctx) => {
    const repo = repoOf(ctx);
    const advisory = repo.advisories.get(ctx.request.params.ghsa_id ?? "");
    if (!advisory || !visible(ctx, { repo, advisory })) throw notFound();
    return ok(repositoryAdvisoryJson(ctx.shape, repo, advisory));
  },

  /**
   * Edits an advisory. Only admins (security managers), the advisory's author and an installation with the
   * advisories permission may; others get 404 for one they cannot see, 403 otherwise. A published advisory
   * cannot go back to draft; `vulnerabilities` replaces the list.
   */
  "security-advisories/update-repository-advisory": (ctx) => {
    const repo = repoOf(ctx);
    const advisory = repo.advisories.get(ctx.request.params.ghsa_id ?? "");
    if (!advisory || !visible(ctx, { repo, advisory })) throw notFound();
    const actor = ctx.request.actor;
    const mayEdit = hasRole(ctx, { repo, min: "admin" }) || (actor.kind === "user" && actor.user.id === advisory.author.id);
    if (!mayEdit) throw new HttpError(403, "Resource not accessible by personal access token");
    const body = bodyOf<AdvisoryUpdate>(ctx);
    if (body.state === "draft" && advisory.state === "published") throw unprocessable("A published advisory cannot be moved back to draft.");
    const now = ctx.store.timestamp();
    if (body.summary !== undefined) advisory.summary = body.summary;
    if (body.description !== undefined) advisory.description = body.description;
    if (body.cve_id !== undefined) advisory.cveId = body.cve_id;
    if (body.severity !== undefined) advisory.severity = body.severity;
    if (body.vulnerabilities !== undefined) {
      advisory.vulnerabilities = body.vulnerabilities.map((v) => ({
        package: { ecosystem: v.package.ecosystem, name: v.package.name ?? null },
        vulnerableVersionRange: v.vulnerable_version_range ?? null,
        patchedVersions: v.patched_versions ?? null,
        vulnerableFunctions: v.vulnerable_functions ?? [],
      }));
    }
    if (body.state !== undefined && body.state !== advisory.state) {
      advisory.state = body.state;
      if (body.state === "published") {
        advisory.publishedAt = now;
        advisory.publisher = actorUser(ctx);
        ctx.changes.push({ kind: "advisory-published", repo, ghsaId: advisory.ghsaId, sender: actorUser(ctx) });
      }
      if (body.state === "closed") advisory.closedAt = now;
    }
    advisory.updatedAt = now;
    return ok(repositoryAdvisoryJson(ctx.shape, repo, advisory));
  },

  "security-advisories/list-repository-advisories": (ctx) => {
    const repo = repoOf(ctx);
    const { state, sort = "created", direction = "desc" } = ctx.request.query;
    const key = sortKey(sort);
    const sign = direction === "asc" ? 1 : -1;
    const advisories = [...repo.advisories.values()]
      .filter((advisory) => (!state || advisory.state === state) && visible(ctx, { repo, advisory }))
      .sort((a, b) => sign * (key(a).localeCompare(key(b)) || a.ghsaId.localeCompare(b.ghsaId)));
    const { page, link } = cursorPage(ctx, advisories);
    const headers: Record<string, string> = link ? { link } : {};
    return { status: 200, body: page.map((advisory) => repositoryAdvisoryJson(ctx.shape, repo, advisory)), headers };
  },
};

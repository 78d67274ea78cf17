/** Releases (records) and tags (the bare repository's `refs/tags/*`). */
import { notFound, unprocessable } from "../http/types.js";
import { releaseJson } from "../shapes/index.js";
import type { ReleaseRecord, RepoRecord } from "../state/types.js";
import { actorUser, bodyOf, gitOf, hasRole, intParam, ok, paginate, repoOf, type OperationHandler, type RouteContext } from "./context.js";
import { repoApiUrl } from "../shapes/context.js";
import { ZERO_SHA } from "../state/changes.js";

/** Only callers with push access see drafts, as on GitHub. */
function visibleReleases(ctx: RouteContext, repo: RepoRecord): ReleaseRecord[] {
  const drafts = hasRole(ctx, { repo, min: "write" });
  return repo.releases.filter((r) => drafts || !r.draft);
}

const newestFirst = (key: (r: ReleaseRecord) => string | null) => (a: ReleaseRecord, b: ReleaseRecord): number =>
  (key(b) ?? "").localeCompare(key(a) ?? "") || b.id - a.id;

interface CreateReleaseBody {
  tag_name: string;
  target_commitish?: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
}

/**
 * GitHub creates the tag when a release is published, at `target_commitish` (default branch when
 * absent); an existing tag is used as it is. Drafts get their tag only on publishing.
 */
async function ensureTag(ctx: RouteContext, { repo, input }: { repo: RepoRecord; input: CreateReleaseBody }): Promise<string | null> {
  const ref = `refs/tags/${input.tag_name}`;
  const git = gitOf(ctx, repo);
  if (!(await git.isValidRefName(ref))) {
    throw unprocessable("Validation Failed", [{ resource: "Release", code: "invalid", field: "tag_name" }]);
  }
  if (await git.readRef(ref)) return null;
  const sha = await git.resolveCommit(input.target_commitish ?? repo.defaultBranch);
  if (!sha) throw unprocessable("Validation Failed", [{ resource: "Release", code: "invalid", field: "target_commitish" }]);
  if (input.draft) return null;
  const result = await git.updateRef({ ref, sha, expectedOld: null });
  if (result === "missing-object") throw unprocessable("Validation Failed", [{ resource: "Release", code: "invalid", field: "target_commitish" }]);
  return sha;
}

export const releaseHandlers: Record<string, OperationHandler> = {
  "repos/list-releases": (ctx) => {
    const repo = repoOf(ctx);
    const releases = visibleReleases(ctx, repo).sort(newestFirst((r) => r.createdAt));
    const page = paginate(ctx, releases);
    return { ...page, body: (page.body as ReleaseRecord[]).map((r) => releaseJson(ctx.shape, repo, r)) };
  },

  "repos/get-release": (ctx) => {
    const repo = repoOf(ctx);
    const id = intParam(ctx, "release_id");
    const release = visibleReleases(ctx, repo).find((r) => r.id === id);
    if (!release) throw notFound();
    return ok(releaseJson(ctx.shape, repo, release));
  },

  "repos/get-release-by-tag": (ctx) => {
    // Only published releases are found by tag: a draft's tag need not exist yet.
    const repo = repoOf(ctx);
    const tag = ctx.request.params.tag ?? "";
    const release = repo.releases.find((r) => !r.draft && r.tagName === tag);
    if (!release) throw notFound();
    return ok(releaseJson(ctx.shape, repo, release));
  },

  "repos/get-latest-release": (ctx) => {
    const repo = repoOf(ctx);
    const [latest] = repo.releases
      .filter((r) => !r.draft && !r.prerelease)
      .sort(newestFirst((r) => r.publishedAt ?? r.createdAt));
    if (!latest) throw notFound();
    return ok(releaseJson(ctx.shape, repo, latest));
  },

  "repos/create-release": async (ctx) => {
    const repo = repoOf(ctx, { write: true });
    const input = bodyOf<CreateReleaseBody>(ctx);
    if (repo.releases.some((r) => r.tagName === input.tag_name)) {
      throw unprocessable("Validation Failed", [{ resource: "Release", code: "already_exists", field: "tag_name" }]);
    }
    /** The new tag's commit, when publishing created the tag. */
    const tagSha = await ensureTag(ctx, { repo, input });
    const now = ctx.store.timestamp();
    const release: ReleaseRecord = {
      id: ctx.store.nextId(),
      tagName: input.tag_name,
      targetCommitish: input.target_commitish ?? repo.defaultBranch,
      name: input.name ?? null,
      body: input.body ?? null,
      draft: input.draft ?? false,
      prerelease: input.prerelease ?? false,
      author: actorUser(ctx),
      createdAt: now,
      publishedAt: input.draft ? null : now,
    };
    repo.releases.push(release);
    ctx.changes.push({ kind: "released", repo, releaseId: release.id, sender: release.author });
    if (tagSha) ctx.changes.push({ kind: "pushed", repo, ref: `refs/tags/${release.tagName}`, before: ZERO_SHA, after: tagSha, sender: release.author });
    return ok(releaseJson(ctx.shape, repo, release), 201);
  },

  "repos/list-tags": async (ctx) => {
    const repo = repoOf(ctx);
    const git = gitOf(ctx, repo);
    const api = repoApiUrl(ctx.shape, repo);
    // GitHub lists tag names in reverse lexicographic order (not by date): "v2.0.0" before "v10.0.0".
    const tags = (await git.listTags()).sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    const page = paginate(ctx, tags);
    const body = (page.body as typeof tags).map((tag) => {
      // Annotated tags point at tag objects; the API reports the commit they peel to.
      const sha = tag.commit ?? tag.sha;
      return {
        name: tag.name,
        commit: { sha, url: `${api}/commits/${sha}` },
        zipball_url: `${api}/zipball/refs/tags/${tag.name}`,
        tarball_url: `${api}/tarball/refs/tags/${tag.name}`,
        node_id: Buffer.from(`03:Ref${repo.id}:refs/tags/${tag.name}`).toString("base64"),
      };
    });
    return { ...page, body };
  },
};

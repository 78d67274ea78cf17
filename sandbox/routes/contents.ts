/** `GET /repos/{owner}/{repo}/contents/{path}`: a file (JSON with base64 content, or raw) or a directory. */
import type { OperationResult } from "../http/types.js";
import { HttpError } from "../http/types.js";
import type { RepoRecord } from "../state/types.js";
import { gitOf, repoOf, type RouteContext } from "./context.js";
import { repoApiUrl, repoWebUrl } from "../shapes/context.js";

function links(ctx: RouteContext, { repo, path, sha, ref, type }: { repo: RepoRecord; path: string; sha: string; ref: string; type: string }) {
  const api = repoApiUrl(ctx.shape, repo);
  const self = `${api}/contents/${path}?ref=${ref}`;
  const git = `${api}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`;
  const html = `${repoWebUrl(ctx.shape, repo)}/${type === "dir" ? "tree" : "blob"}/${ref}/${path}`;
  return { url: self, git_url: git, html_url: html, _links: { self, git, html } };
}

export async function contentsAnswer(ctx: RouteContext): Promise<OperationResult> {
  const repo = repoOf(ctx);
  const git = gitOf(ctx, repo);
  const ref = ctx.request.query.ref ?? repo.defaultBranch;
  const commit = await git.resolveCommit(ref);
  if (!commit) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const path = (ctx.request.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const found = await git.readPath({ commit, path });
  if (!found) throw new HttpError(404, "Not Found");
  const name = path.split("/").pop() ?? "";
  if (found.kind === "dir") {
    const entries = found.entries.map((entry) => {
      const entryPath = path ? `${path}/${entry.path}` : entry.path;
      const type = entry.type === "tree" ? "dir" : entry.type === "commit" ? "submodule" : "file";
      return {
        type,
        size: entry.size ?? 0,
        name: entry.path,
        path: entryPath,
        sha: entry.sha,
        download_url: type === "file" ? `${repoWebUrl(ctx.shape, repo)}/raw/${ref}/${entryPath}` : null,
        ...links(ctx, { repo, path: entryPath, sha: entry.sha, ref, type }),
      };
    });
    return { status: 200, body: entries };
  }
  // `application/vnd.github.raw` asks for the bytes themselves (Probot's config loader does).
  if (/vnd\.github(\.v3)?\.raw/.test(ctx.request.accept)) {
    return { status: 200, body: found.content, headers: { "content-type": "text/plain; charset=utf-8" } };
  }
  const base64 = found.content.toString("base64").replace(/(.{60})/g, "$1\n");
  return {
    status: 200,
    body: {
      type: "file",
      encoding: "base64",
      size: found.size,
      name,
      path,
      content: base64,
      sha: found.sha,
      download_url: `${repoWebUrl(ctx.shape, repo)}/raw/${ref}/${path}`,
      ...links(ctx, { repo, path, sha: found.sha, ref, type: "file" }),
    },
  };
}

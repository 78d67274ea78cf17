/**
 * `/repos/{owner}/{repo}/contents/{path}`: read a file (JSON with base64 content, or raw) or a directory; create
 * or replace a file with one commit on a branch, as people do on GitHub's web editor.
 */
import type { OperationResult } from "../http/types.js";
import { HttpError, unprocessable } from "../http/types.js";
import { gitIdentity } from "../state/identity.js";
import type { RepoRecord } from "../state/types.js";
import { actorUser, bodyOf, gitOf, repoOf, type RouteContext } from "./context.js";
import { gitCommitJson, signedByGitHub, UNSIGNED } from "./git-json.js";
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

interface PutContentsBody {
  message: string;
  /** The whole new file, base64. */
  content: string;
  /** The blob being replaced: required when the file exists. */
  sha?: string;
  branch?: string;
  committer?: { name: string; email: string; date?: string };
  author?: { name: string; email: string; date?: string };
}

/**
 * `PUT …/contents/{path}`: one commit on `branch` (default: the default branch) that writes the file. GitHub's
 * answers: 201 for a new file, 200 for a replaced one; 422 when an existing file's `sha` is missing, 409 when it
 * is not the file's current blob (someone changed it meanwhile) or the branch moved during the write.
 */
export async function putContents(ctx: RouteContext): Promise<OperationResult> {
  const repo = repoOf(ctx, { write: true });
  const git = gitOf(ctx, repo);
  const body = bodyOf<PutContentsBody>(ctx);
  const path = (ctx.request.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const branch = body.branch ?? repo.defaultBranch;
  const ref = `refs/heads/${branch}`;
  const parent = await git.readRef(ref);
  if (!parent) throw new HttpError(404, `Branch ${branch} not found`);
  const existing = await git.readPath({ commit: parent, path });
  if (existing?.kind === "dir" || path === "") throw unprocessable(`${path || "/"} is a directory`);
  if (existing && body.sha === undefined) throw unprocessable(`Invalid request.\n\n"sha" wasn't supplied.`);
  if (existing && body.sha !== existing.sha) throw new HttpError(409, `${path} does not match ${body.sha}`);
  const blob = await git.writeBlob(Buffer.from(body.content, "base64"));
  const baseTree = (await git.readCommit(parent))?.tree ?? null;
  const tree = await git.createTree({ base: baseTree, edits: [{ path, mode: "100644", sha: blob }] });
  if (!tree) throw unprocessable(`${path} is not a valid path`);
  // Left unset, author and committer are the caller, and GitHub signs the commit (as for git/create-commit).
  const caller = gitIdentity(actorUser(ctx), ctx.store.timestamp());
  const committer = { ...caller, ...body.committer, date: body.committer?.date ?? caller.date };
  const author = { ...committer, ...body.author, date: body.author?.date ?? committer.date };
  const sha = await git.createCommit({ tree, parents: [parent], message: body.message, author, committer });
  if (!sha) throw new HttpError(500, "could not write the commit");
  if ((await git.updateRef({ ref, sha, expectedOld: parent })) !== "ok") throw new HttpError(409, `${branch} was modified meanwhile; try again`);
  ctx.changes.push({ kind: "pushed", repo, ref, before: parent, after: sha, sender: actorUser(ctx) });
  const commit = await git.readCommit(sha);
  if (!commit) throw new HttpError(500, "commit vanished");
  const verification = !body.author && !body.committer ? signedByGitHub({ tree, at: caller.date }) : UNSIGNED;
  const size = Buffer.from(body.content, "base64").length;
  const content = {
    type: "file",
    name: path.split("/").pop() ?? path,
    path,
    sha: blob,
    size,
    download_url: `${repoWebUrl(ctx.shape, repo)}/raw/${branch}/${path}`,
    ...links(ctx, { repo, path, sha: blob, ref: branch, type: "file" }),
  };
  return { status: existing ? 200 : 201, body: { content, commit: gitCommitJson(ctx.shape, { repo, commit, verification }) } };
}

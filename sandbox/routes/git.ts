/** Git data: refs, commits and trees, answered from the repository's bare git directory. */
import { HttpError, notFound, unprocessable } from "../http/types.js";
import { gitIdentity } from "../state/identity.js";
import { ZERO_SHA } from "../state/changes.js";
import { closePullsWithDeletedHead } from "../state/records.js";
import type { RepoRecord } from "../state/types.js";
import { actorUser, bodyOf, gitOf, ok, repoOf, type OperationHandler, type RouteContext } from "./context.js";
import { gitCommitJson, refJson, signedByGitHub, UNSIGNED } from "./git-json.js";
import { repoApiUrl } from "../shapes/context.js";
import { GitError, type BareRepo, type TreeEdit } from "../git/bare-repo.js";
import type { TreeEntryMode } from "../git/tree-writer.js";

/** `heads/main` and `refs/heads/main` both name `refs/heads/main`. */
const fullRef = (ref: string): string => (ref.startsWith("refs/") ? ref : `refs/${ref}`);

const SHA = /^[0-9a-f]{40}$/;

async function refAnswer(ctx: RouteContext, { write, status = 200 }: { write: boolean; status?: number }) {
  const repo = repoOf(ctx, { write });
  const git = gitOf(ctx, repo);
  return { repo, git, answer: async (ref: string, sha: string) => ok(await refJson(ctx.shape, { repo, git, ref, sha }), status) };
}

/** A branch or tag moved (GitHub sends `push` for both; other refs are not pushes). */
function pushed(ctx: RouteContext, input: { repo: RepoRecord; ref: string; before: string; after: string; forced?: boolean }): void {
  if (!/^refs\/(heads|tags)\//.test(input.ref) || input.before === input.after) return;
  ctx.changes.push({ kind: "pushed", ...input, sender: actorUser(ctx) });
}


export const gitHandlers: Record<string, OperationHandler> = {
  "git/get-ref": async (ctx) => {
    const { git, answer } = await refAnswer(ctx, { write: false });
    const ref = fullRef(ctx.request.params.ref ?? "");
    const sha = await git.readRef(ref);
    if (!sha) throw notFound();
    return answer(ref, sha);
  },

  "git/list-matching-refs": async (ctx) => {
    const repo = repoOf(ctx);
    const git = gitOf(ctx, repo);
    const prefix = fullRef(ctx.request.params.ref ?? "");
    const refs = (await git.listRefs("refs/")).filter((r) => r.ref.startsWith(prefix));
    return ok(await Promise.all(refs.map((r) => refJson(ctx.shape, { repo, git, ref: r.ref, sha: r.sha }))));
  },

  "git/create-ref": async (ctx) => {
    const { repo, git, answer } = await refAnswer(ctx, { write: true, status: 201 });
    const { ref, sha } = bodyOf<{ ref: string; sha: string }>(ctx);
    if (!ref.startsWith("refs/") || ref.split("/").length < 3 || !(await git.isValidRefName(ref))) {
      throw unprocessable(`${ref} is not a valid ref name.`);
    }
    if (!SHA.test(sha) || !(await git.objectType(sha))) throw unprocessable("Object does not exist");
    const result = await git.updateRef({ ref, sha, expectedOld: null });
    if (result === "stale") throw unprocessable("Reference already exists");
    if (result === "missing-object") throw unprocessable("Object does not exist");
    pushed(ctx, { repo, ref, before: ZERO_SHA, after: sha });
    return answer(ref, sha);
  },

  "git/update-ref": async (ctx) => {
    const { repo, git, answer } = await refAnswer(ctx, { write: true });
    const ref = fullRef(ctx.request.params.ref ?? "");
    const { sha, force = false } = bodyOf<{ sha: string; force?: boolean }>(ctx);
    const current = await git.readRef(ref);
    if (!current) throw unprocessable("Reference does not exist");
    if (!SHA.test(sha) || !(await git.objectType(sha))) throw unprocessable("Object does not exist");
    const fastForward = current === sha || (await git.isAncestor({ ancestor: current, descendant: sha }));
    if (!force && !fastForward) throw unprocessable("Update is not a fast forward");
    const result = await git.updateRef({ ref, sha, expectedOld: current });
    if (result !== "ok") throw new HttpError(409, "Reference cannot be updated");
    pushed(ctx, { repo, ref, before: current, after: sha, forced: !fastForward });
    return answer(ref, sha);
  },

  "git/delete-ref": async (ctx) => {
    const repo = repoOf(ctx, { write: true });
    const git = gitOf(ctx, repo);
    const ref = fullRef(ctx.request.params.ref ?? "");
    const sha = await git.readRef(ref);
    if (!sha || !(await git.deleteRef(ref))) throw unprocessable("Reference does not exist");
    pushed(ctx, { repo, ref, before: sha, after: ZERO_SHA });
    // Deleting a branch closes the open pull requests it is the head of, as on GitHub.
    if (ref.startsWith("refs/heads/")) {
      const closed = await closePullsWithDeletedHead(ctx.store, { repo, branch: ref.slice("refs/heads/".length), sha, by: actorUser(ctx) });
      for (const pull of closed) ctx.changes.push({ kind: "closed", repo, number: pull.number, sender: actorUser(ctx) });
    }
    return { status: 204 };
  },

  "git/get-commit": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.request.params.commit_sha ?? "";
    const commit = SHA.test(sha) ? await gitOf(ctx, repo).readCommit(sha) : null;
    if (!commit) throw notFound();
    return ok(gitCommitJson(ctx.shape, { repo, commit }));
  },

  "git/create-commit": async (ctx) => {
    const repo = repoOf(ctx, { write: true });
    const git = gitOf(ctx, repo);
    const body = bodyOf<{ message: string; tree: string; parents?: string[]; author?: Identity; committer?: Identity }>(ctx);
    if (!SHA.test(body.tree) || (await git.objectType(body.tree)) !== "tree") throw unprocessable("Tree SHA does not exist");
    for (const parent of body.parents ?? []) {
      if (!SHA.test(parent) || (await git.objectType(parent)) !== "commit") throw unprocessable("Parent SHA does not exist or is not a commit object");
    }
    // GitHub records the caller's account as author/committer when the request leaves them unset.
    const caller = gitIdentity(actorUser(ctx), ctx.store.timestamp());
    const author = { ...caller, ...body.author, date: body.author?.date ?? caller.date };
    const committer = { ...caller, ...(body.committer ?? body.author), date: body.committer?.date ?? author.date };
    const sha = await git.createCommit({ tree: body.tree, parents: body.parents ?? [], message: body.message, author, committer });
    if (!sha) throw unprocessable("Tree SHA does not exist");
    const commit = await git.readCommit(sha);
    if (!commit) throw new HttpError(500, "commit vanished");
    // GitHub signs the commits it authors for the caller; those that name their own identity stay unsigned.
    const signed = !body.author && !body.committer;
    const verification = signed ? signedByGitHub({ tree: commit.tree, at: caller.date }) : UNSIGNED;
    return ok(gitCommitJson(ctx.shape, { repo, commit, verification }), 201);
  },

  "git/get-tree": async (ctx) => {
    const repo = repoOf(ctx);
    const git = gitOf(ctx, repo);
    const id = ctx.request.params.tree_sha ?? "";
    const recursive = ctx.request.query.recursive !== undefined && ctx.request.query.recursive !== "false" && ctx.request.query.recursive !== "0";
    // GitHub accepts a tree SHA, or a commit SHA or branch name it peels to the commit's tree.
    let tree = SHA.test(id) && (await git.objectType(id)) === "tree" ? id : null;
    if (!tree) {
      const commit = await git.resolveCommit(id);
      tree = commit ? ((await git.readCommit(commit))?.tree ?? null) : null;
    }
    if (!tree) throw notFound();
    return ok(await treeJson(ctx, { repo, git, tree, recursive }));
  },

  "git/get-blob": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.request.params.file_sha ?? "";
    const content = SHA.test(sha) ? await gitOf(ctx, repo).readBlob(sha) : null;
    if (!content) throw notFound();
    // GitHub sends the bytes in base64, wrapped at 60 characters.
    const base64 = content.toString("base64").replace(/.{60}/g, "$&\n");
    return ok({ sha, node_id: Buffer.from(`Blob:${sha}`).toString("base64"), size: content.length, url: `${repoApiUrl(ctx.shape, repo)}/git/blobs/${sha}`, content: base64, encoding: "base64" });
  },

  "git/create-blob": async (ctx) => {
    const repo = repoOf(ctx, { write: true });
    const { content, encoding = "utf-8" } = bodyOf<{ content: string; encoding?: string }>(ctx);
    if (typeof content !== "string") throw unprocessable("Invalid request.\n\n\"content\" wasn't supplied.");
    if (encoding !== "utf-8" && encoding !== "utf8" && encoding !== "base64") throw unprocessable(`encoding must be one of "utf-8", "base64"`);
    const sha = await gitOf(ctx, repo).writeBlob(Buffer.from(content, encoding === "base64" ? "base64" : "utf8"));
    return ok({ url: `${repoApiUrl(ctx.shape, repo)}/git/blobs/${sha}`, sha }, 201);
  },

  "git/create-tree": async (ctx) => {
    const repo = repoOf(ctx, { write: true });
    const git = gitOf(ctx, repo);
    const body = bodyOf<{ base_tree?: string; tree: { path: string; mode: TreeEntryMode; type?: string; sha?: string | null; content?: string }[] }>(ctx);
    const base = body.base_tree ?? null;
    if (base !== null && (!SHA.test(base) || (await git.objectType(base)) !== "tree")) throw unprocessable("base_tree is not a valid tree oid");
    const edits: TreeEdit[] = [];
    for (const entry of body.tree) {
      if (entry.sha === null) {
        // GitHub refuses to delete what is not there.
        const found = base === null ? null : (await git.batchCheck([`${base}:${entry.path}`]))[0];
        if (!found) throw unprocessable(`tree.path ${entry.path} does not exist in base_tree`);
        edits.push({ path: entry.path, mode: entry.mode, sha: null });
      } else if (entry.content !== undefined) {
        edits.push({ path: entry.path, mode: entry.mode, sha: await git.writeBlob(entry.content) });
      } else {
        if (!entry.sha || !SHA.test(entry.sha)) throw unprocessable("tree.sha is not a valid oid");
        edits.push({ path: entry.path, mode: entry.mode, sha: entry.sha });
      }
    }
    let tree: string | null;
    try {
      tree = await git.createTree({ base, edits });
    } catch (error) {
      if (error instanceof GitError) throw unprocessable(error.message);
      throw error;
    }
    if (!tree) throw unprocessable("tree.sha is not a valid blob or tree oid");
    return ok(await treeJson(ctx, { repo, git, tree, recursive: false }), 201);
  },
};

type Identity = { name?: string; email?: string; date?: string };

/** The `git-tree` JSON of a tree: its entries, one level or all of them. */
async function treeJson(ctx: RouteContext, { repo, git, tree, recursive }: { repo: RepoRecord; git: BareRepo; tree: string; recursive: boolean }) {
  const entries = await git.readTree({ sha: tree, recursive });
  if (!entries) throw notFound();
  const api = repoApiUrl(ctx.shape, repo);
  return {
    sha: tree,
    url: `${api}/git/trees/${tree}`,
    truncated: false,
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.type === "blob" ? { size: entry.size ?? 0, url: `${api}/git/blobs/${entry.sha}` } : { url: `${api}/git/trees/${entry.sha}` }),
    })),
  };
}

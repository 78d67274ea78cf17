/** Repository endpoints over git: branches, commits, compare, contents, and the server-side merge. */
import { HttpError, notFound } from "../http/types.js";
import { repositoryJson } from "../shapes/index.js";
import { gitIdentity } from "../state/identity.js";
import { actorUser, bodyOf, gitOf, need, ok, paginate, repoOf, type OperationHandler, type RouteContext } from "./context.js";
import { diffEntryJson, repoCommitJson } from "./git-json.js";
import { repoApiUrl, repoWebUrl } from "../shapes/context.js";
import { contentsAnswer, putContents } from "./contents.js";
import { pullsForCommit } from "./pull-json.js";

async function commitOrNotFound(ctx: RouteContext, commitish: string) {
  const repo = repoOf(ctx);
  const git = gitOf(ctx, repo);
  const sha = await git.resolveCommit(commitish);
  const commit = sha ? await git.readCommit(sha) : null;
  if (!commit) throw new HttpError(422, `No commit found for SHA: ${commitish}`);
  return { repo, git, commit };
}

async function branchJson(ctx: RouteContext, name: string) {
  const repo = repoOf(ctx);
  const git = gitOf(ctx, repo);
  const sha = await git.readRef(`refs/heads/${name}`);
  const commit = sha ? await git.readCommit(sha) : null;
  if (!commit) throw new HttpError(404, "Branch not found");
  const api = repoApiUrl(ctx.shape, repo);
  return {
    name,
    commit: repoCommitJson(ctx.shape, { store: ctx.store, repo, commit }),
    _links: { self: `${api}/branches/${name}`, html: `${repoWebUrl(ctx.shape, repo)}/tree/${name}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${api}/branches/${name}/protection`,
  };
}

export const repoHandlers: Record<string, OperationHandler> = {
  "repos/get": (ctx) => ok(repositoryJson(ctx.shape, repoOf(ctx))),

  "repos/get-content": (ctx) => contentsAnswer(ctx),

  "repos/create-or-update-file-contents": putContents,

  "repos/list-branches": async (ctx) => {
    const repo = repoOf(ctx);
    const refs = await gitOf(ctx, repo).listRefs("refs/heads/");
    const api = repoApiUrl(ctx.shape, repo);
    const branches = refs.map(({ ref, sha }) => ({
      name: ref.slice("refs/heads/".length),
      commit: { sha, url: `${api}/commits/${sha}` },
      protected: false,
    }));
    return paginate(ctx, ctx.request.query.protected === "true" ? [] : branches);
  },

  "repos/get-branch": async (ctx) => ok(await branchJson(ctx, ctx.request.params.branch ?? "")),

  "repos/get-commit": async (ctx) => {
    const { repo, git, commit } = await commitOrNotFound(ctx, ctx.request.params.ref ?? "");
    const files = need(await git.diffFiles({ from: commit.parents[0] ?? null, to: commit.sha }), "commit");
    return ok(repoCommitJson(ctx.shape, { store: ctx.store, repo, commit, files }));
  },

  "repos/list-commits": async (ctx) => {
    const repo = repoOf(ctx);
    const git = gitOf(ctx, repo);
    const { sha: start = repo.defaultBranch, since, until, author, path } = ctx.request.query;
    const head = await git.resolveCommit(start);
    if (!head) throw new HttpError(404, `No commit found for SHA: ${start}`);
    // `path` keeps the commits that change it, as `git log -- <path>` does (GitHub simplifies history the same way).
    const all = need(await git.revList({ include: [head], ...(path ? { paths: [path] } : {}) }), "commit");
    const read = async (shas: string[]) => (await Promise.all(shas.map((sha) => git.readCommit(sha)))).filter((c) => c !== null);
    const filtered = since || until || author;
    // Without filters only the requested page is read; a filter has to look at every commit.
    const candidates = filtered
      ? (await read(all)).filter((commit) =>
          (!since || commit.committer.date >= since) &&
          (!until || commit.committer.date <= until) &&
          (!author || [commit.author.name, commit.author.email].some((id) => id.toLowerCase().includes(author.toLowerCase()))))
      : all;
    const page = paginate(ctx, candidates);
    const commits = filtered ? (page.body as Awaited<ReturnType<typeof read>>) : await read(page.body as string[]);
    return { ...page, body: commits.map((commit) => repoCommitJson(ctx.shape, { store: ctx.store, repo, commit })) };
  },

  "repos/compare-commits": async (ctx) => {
    const repo = repoOf(ctx);
    const git = gitOf(ctx, repo);
    const [baseName, headName] = splitBasehead(ctx.request.params.basehead ?? "");
    const base = await git.resolveCommit(baseName);
    const head = await git.resolveCommit(headName);
    if (!base || !head) throw notFound();
    const mergeBase = await git.mergeBase(base, head);
    const ahead = need(await git.revList({ include: [head], exclude: [base], reverse: true }), "commit");
    const behind = need(await git.revList({ include: [base], exclude: [head] }), "commit");
    const status = base === head ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
    const read = async (sha: string) => {
      const commit = await git.readCommit(sha);
      if (!commit) throw new HttpError(500, `missing commit ${sha}`);
      return repoCommitJson(ctx.shape, { store: ctx.store, repo, commit });
    };
    const files = mergeBase ? need(await git.diffFiles({ from: mergeBase, to: head }), "commit") : [];
    const web = repoWebUrl(ctx.shape, repo);
    const basehead = `${baseName}...${headName}`;
    return ok({
      url: `${repoApiUrl(ctx.shape, repo)}/compare/${basehead}`,
      html_url: `${web}/compare/${basehead}`,
      permalink_url: `${web}/compare/${base}...${head}`,
      diff_url: `${web}/compare/${basehead}.diff`,
      patch_url: `${web}/compare/${basehead}.patch`,
      base_commit: await read(base),
      merge_base_commit: await read(mergeBase ?? base),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: await Promise.all(ahead.slice(0, 250).map(read)),
      // GitHub lists at most 300 files of a comparison.
      files: files.slice(0, 300).map((file) => diffEntryJson(ctx.shape, { repo, commit: head, file })),
    });
  },

  "repos/merge": async (ctx) => {
    const repo = repoOf(ctx, { write: true });
    const git = gitOf(ctx, repo);
    const { base, head, commit_message } = bodyOf<{ base: string; head: string; commit_message?: string }>(ctx);
    const baseRef = `refs/heads/${base}`;
    const baseSha = await git.readRef(baseRef);
    if (!baseSha) throw new HttpError(404, "Base does not exist");
    const headSha = await git.resolveCommit(head);
    if (!headSha) throw new HttpError(404, "Head does not exist");
    if (await git.isAncestor({ ancestor: headSha, descendant: baseSha })) return { status: 204 };
    const merged = await git.mergeTrees({ ours: baseSha, theirs: headSha });
    // GitHub answers a conflict with a bare 409 and changes nothing.
    if (!merged) throw new HttpError(404, "Head does not exist");
    if (!merged.clean) throw new HttpError(409, "Merge conflict");
    const identity = gitIdentity(actorUser(ctx), ctx.store.timestamp());
    const sha = await git.createCommit({
      tree: merged.tree,
      parents: [baseSha, headSha],
      message: commit_message ?? `Merge ${head} into ${base}`,
      author: identity,
      committer: identity,
    });
    if (!sha || (await git.updateRef({ ref: baseRef, sha, expectedOld: baseSha })) !== "ok") {
      throw new HttpError(409, "Base branch was modified. Review and try the merge again.");
    }
    ctx.changes.push({ kind: "pushed", repo, ref: baseRef, before: baseSha, after: sha, sender: actorUser(ctx) });
    const commit = await git.readCommit(sha);
    if (!commit) throw new HttpError(500, "merge commit vanished");
    const files = need(await git.diffFiles({ from: baseSha, to: sha }), "commit");
    return ok(repoCommitJson(ctx.shape, { store: ctx.store, repo, commit, files }), 201);
  },

  "repos/list-pull-requests-associated-with-commit": (ctx) => paginate(ctx, pullsForCommit(ctx, repoOf(ctx), ctx.request.params.commit_sha ?? "")),
};

/** `base...head` (names may contain dots and slashes; `owner:branch` names the branch in this sandbox). */
function splitBasehead(basehead: string): [string, string] {
  const index = basehead.indexOf("...");
  if (index < 0) throw notFound();
  const strip = (name: string) => name.replace(/^[^:/]+:/, "");
  return [strip(basehead.slice(0, index)), strip(basehead.slice(index + 3))];
}

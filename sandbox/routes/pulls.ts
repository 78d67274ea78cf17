/** Pull requests: create, read, list, update, commits, files, merge, reviewers. */
import { HttpError, unprocessable } from "../http/types.js";
import { addPull, recordMerge, settleDeletedHeads } from "../state/records.js";
import type { IssueRecord, PullRecord, RepoRecord } from "../state/types.js";
import { actorUser, bodyOf, gitOf, intParam, need, ok, paginate, repoOf, type OperationHandler, type RouteContext } from "./context.js";
import { diffEntryJson, repoCommitJson } from "./git-json.js";
import { commitsOf, fullPullJson, pullRecords, simplePullJson, viewOf } from "./pull-json.js";
import { checkBodyLength } from "./limits.js";
import { mergePull, type MergeMethod } from "./pull-merge.js";

const validationFailed = (errors: Record<string, unknown>[]): HttpError => unprocessable("Validation Failed", errors);

/** `owner:branch` names a branch of this repository (forks are not modelled). */
const branchName = (head: string): string => head.replace(/^[^:]+:/, "");

async function view(ctx: RouteContext, { write = false }: { write?: boolean } = {}) {
  const repo = repoOf(ctx, { write });
  await settleDeletedHeads(ctx.store, repo);
  return viewOf(ctx, { repo, ...pullRecords(repo, intParam(ctx, "pull_number")) });
}

async function createPull(ctx: RouteContext) {
  const repo = repoOf(ctx, { write: true });
  const git = gitOf(ctx, repo);
  const body = bodyOf<{ title?: string; head: string; base: string; body?: string; draft?: boolean; maintainer_can_modify?: boolean }>(ctx);
  checkBodyLength("PullRequest", body.body);
  const head = branchName(body.head);
  const baseSha = await git.readRef(`refs/heads/${body.base}`);
  if (!baseSha) throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
  const headSha = await git.readRef(`refs/heads/${head}`);
  if (!headSha) throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
  if (!body.title) throw validationFailed([{ resource: "PullRequest", field: "title", code: "missing_field" }]);
  const ahead = need(await git.revList({ include: [headSha], exclude: [baseSha], max: 1 }), "commit");
  // Checked after the last await and right before the PR is added, so that two requests at once cannot both
  // pass it: GitHub lets exactly one open PR exist per head and base.
  const duplicate = [...repo.pulls.values()].find((p) => p.headRef === head && p.baseRef === body.base && repo.issues.get(p.number)?.state === "open");
  if (duplicate) {
    throw validationFailed([{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner.login}:${head}.` }]);
  }
  if (ahead.length === 0) {
    throw validationFailed([{ resource: "PullRequest", code: "custom", message: `No commits between ${body.base} and ${head}` }]);
  }
  const { issue, pull } = addPull(ctx.store, {
    repo, title: body.title, body: body.body ?? null, author: actorUser(ctx), head, headSha, base: body.base, baseSha,
    ...(body.draft !== undefined ? { draft: body.draft } : {}),
    ...(body.maintainer_can_modify !== undefined ? { maintainerCanModify: body.maintainer_can_modify } : {}),
  });
  ctx.changes.push({ kind: "opened", repo, number: pull.number, sender: issue.user });
  return ok(await fullPullJson(ctx, { repo, issue, pull, headSha, baseSha }), 201);
}

async function listPulls(ctx: RouteContext) {
  const repo = repoOf(ctx);
  // One read of every branch head rather than two git calls per listed PR.
  const heads = new Map((await gitOf(ctx, repo).listRefs("refs/heads/")).map((r) => [r.ref.slice("refs/heads/".length), r.sha]));
  await settleDeletedHeads(ctx.store, repo, new Set(heads.keys()));
  const { state = "open", head, base, sort = "created", direction } = ctx.request.query;
  const selected: { issue: IssueRecord; pull: PullRecord }[] = [];
  for (const pull of repo.pulls.values()) {
    const issue = repo.issues.get(pull.number);
    if (!issue || (state !== "all" && issue.state !== state)) continue;
    if (head && (head.includes(":") ? head !== `${repo.owner.login}:${pull.headRef}` && head.toLowerCase() !== `${repo.owner.login}:${pull.headRef}`.toLowerCase() : head !== pull.headRef)) continue;
    if (base && base !== pull.baseRef) continue;
    selected.push({ issue, pull });
  }
  const key = (i: IssueRecord) => (sort === "updated" ? i.updatedAt : i.createdAt);
  const descending = (direction ?? (sort === "long-running" ? "asc" : "desc")) === "desc";
  selected.sort((a, b) => (key(a.issue).localeCompare(key(b.issue)) || a.issue.number - b.issue.number) * (descending ? -1 : 1));
  const views = selected.map(({ issue, pull }) => {
    const open = issue.state === "open";
    const headSha = (open && heads.get(pull.headRef)) || pull.headSha;
    const baseSha = (open && heads.get(pull.baseRef)) || pull.baseSha;
    return { repo, issue, pull, headSha, baseSha };
  });
  return paginate(ctx, views.map((v) => simplePullJson(ctx, v)));
}

async function updatePull(ctx: RouteContext) {
  const body = bodyOf<{ title?: string; body?: string; state?: "open" | "closed"; base?: string; maintainer_can_modify?: boolean }>(ctx);
  checkBodyLength("PullRequest", body.body);
  const current = await view(ctx, { write: true });
  const { issue, pull, repo } = current;
  if (body.base && body.base !== pull.baseRef) {
    const baseSha = await gitOf(ctx, repo).readRef(`refs/heads/${body.base}`);
    if (!baseSha) throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
    pull.baseRef = body.base;
    pull.baseSha = baseSha;
  }
  if (body.title !== undefined) issue.title = body.title;
  if (body.body !== undefined) issue.body = body.body;
  if (body.maintainer_can_modify !== undefined) pull.maintainerCanModify = body.maintainer_can_modify;
  if (body.state && body.state !== issue.state) {
    if (pull.merged) throw validationFailed([{ resource: "PullRequest", code: "custom", field: "state", message: "state cannot be changed. The pull request has been merged." }]);
    if (body.state === "closed") {
      // A closed PR remembers where its branches were.
      pull.headSha = current.headSha;
      pull.baseSha = current.baseSha;
    }
    issue.state = body.state;
    issue.closedAt = body.state === "closed" ? ctx.store.timestamp() : null;
    issue.closedBy = body.state === "closed" ? actorUser(ctx) : null;
    ctx.changes.push({ kind: body.state === "closed" ? "closed" : "reopened", repo, number: pull.number, sender: actorUser(ctx) });
  }
  issue.updatedAt = ctx.store.timestamp();
  return ok(await fullPullJson(ctx, await viewOf(ctx, { repo, issue, pull })));
}

async function mergeHandler(ctx: RouteContext) {
  const current = await view(ctx, { write: true });
  const { issue, pull, repo } = current;
  const body = bodyOf<{ commit_title?: string; commit_message?: string; sha?: string; merge_method?: MergeMethod }>(ctx);
  if (pull.merged || issue.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
  if (body.sha && body.sha !== current.headSha) throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
  const commits = await commitsOf(ctx, current);
  const now = ctx.store.timestamp();
  const merger = actorUser(ctx);
  const sha = await mergePull({
    git: gitOf(ctx, repo), view: current, commits, method: body.merge_method ?? "merge",
    ...(body.commit_title !== undefined ? { title: body.commit_title } : {}),
    ...(body.commit_message !== undefined ? { message: body.commit_message } : {}),
    merger, now,
  });
  recordMerge({ issue, pull, sha, commits, headSha: current.headSha, baseSha: current.baseSha, merger, now });
  ctx.changes.push(
    { kind: "pushed", repo, ref: `refs/heads/${pull.baseRef}`, before: current.baseSha, after: sha, sender: merger },
    { kind: "merged", repo, number: pull.number, sender: merger },
  );
  return ok({ sha, merged: true, message: "Pull Request successfully merged" });
}

async function requestReviewers(ctx: RouteContext) {
  const current = await view(ctx, { write: true });
  const { reviewers = [] } = bodyOf<{ reviewers?: string[]; team_reviewers?: string[] }>(ctx);
  const repo: RepoRecord = current.repo;
  if (reviewers.some((login) => login.toLowerCase() === current.issue.user.login.toLowerCase())) {
    throw unprocessable("Review cannot be requested from pull request author.");
  }
  const outsiders = reviewers.filter((login) => !["admin", "maintain", "write", "triage"].includes(ctx.store.permission(repo, login)));
  if (outsiders.length > 0) {
    throw unprocessable(`Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner.login}/${repo.name} repository.`);
  }
  for (const login of reviewers) {
    if (!current.pull.requestedReviewers.some((r) => r.toLowerCase() === login.toLowerCase())) current.pull.requestedReviewers.push(ctx.store.user(login).login);
  }
  return ok(simplePullJson(ctx, current), 201);
}

export const pullHandlers: Record<string, OperationHandler> = {
  "pulls/create": createPull,
  "pulls/get": async (ctx) => ok(await fullPullJson(ctx, await view(ctx))),
  "pulls/list": listPulls,
  "pulls/update": updatePull,
  "pulls/merge": mergeHandler,
  "pulls/request-reviewers": requestReviewers,
  "pulls/list-commits": async (ctx) => {
    const current = await view(ctx);
    const git = gitOf(ctx, current.repo);
    const shas = (await commitsOf(ctx, current)).slice(0, 250);
    const commits = await Promise.all(shas.map((sha) => git.readCommit(sha)));
    const json = commits.flatMap((commit) => (commit ? [repoCommitJson(ctx.shape, { store: ctx.store, repo: current.repo, commit })] : []));
    return paginate(ctx, json);
  },
  "pulls/list-files": async (ctx) => {
    const current = await view(ctx);
    const git = gitOf(ctx, current.repo);
    const base = (await git.mergeBase(current.baseSha, current.headSha)) ?? current.baseSha;
    const files = need(await git.diffFiles({ from: base, to: current.headSha }), "commit");
    return paginate(ctx, files.map((file) => diffEntryJson(ctx.shape, { repo: current.repo, commit: current.headSha, file })));
  },
};

/** Check runs, which only a GitHub App (here: the sandbox App's installation) may create and update. */
import { isSha } from "../git/names.js";
import { HttpError, notFound, unprocessable } from "../http/types.js";
import { checkRunJson } from "../shapes/index.js";
import type { CheckRunRecord, RepoRecord } from "../state/types.js";
import { bodyOf, gitOf, intParam, ok, paginate, repoOf, type OperationHandler, type RouteContext } from "./context.js";

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  status?: CheckRunRecord["status"];
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  external_id?: string;
  details_url?: string;
  output?: { title?: string; summary?: string; text?: string };
}

function writableRepo(ctx: RouteContext): RepoRecord {
  const repo = repoOf(ctx, { write: true });
  if (ctx.request.actor.kind !== "installation") throw new HttpError(403, "You must authenticate via a GitHub App.");
  return repo;
}

function checkRunOf(ctx: RouteContext, repo: RepoRecord): CheckRunRecord {
  const run = repo.checkRuns.get(intParam(ctx, "check_run_id"));
  if (!run) throw notFound();
  return run;
}

/** Timestamps as GitHub echoes them: whole seconds, UTC. */
const iso = (value: string): string => new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Apply status, conclusion and their timestamps as GitHub does: a conclusion implies `completed`, and
 * `completed` (or `completed_at`) needs a conclusion.
 */
function applyProgress(ctx: RouteContext, { run, input }: { run: CheckRunRecord; input: CheckRunBody }): void {
  if (input.started_at) run.startedAt = iso(input.started_at);
  if (input.conclusion) {
    run.status = "completed";
    run.conclusion = input.conclusion;
    run.completedAt = input.completed_at ? iso(input.completed_at) : run.completedAt ?? ctx.store.timestamp();
    return;
  }
  if (input.status === "completed" || input.completed_at) {
    if (!run.conclusion) throw unprocessable("Invalid request.\n\n\"conclusion\" wasn't supplied.");
    run.status = "completed";
    if (input.completed_at) run.completedAt = iso(input.completed_at);
    return;
  }
  if (input.status) {
    run.status = input.status;
    run.conclusion = null;
    run.completedAt = null;
  }
}

function applyDetails(run: CheckRunRecord, input: CheckRunBody): void {
  if (input.name !== undefined) run.name = input.name;
  if (input.external_id !== undefined) run.externalId = input.external_id;
  if (input.details_url !== undefined) run.detailsUrl = input.details_url;
  if (input.output) {
    run.output = { title: input.output.title ?? null, summary: input.output.summary ?? null, text: input.output.text ?? null };
  }
}

/** A commit sha, a branch or tag name, or `heads/…` / `tags/…` / `refs/…`, as GitHub takes `{ref}` here. */
async function commitOfRef(ctx: RouteContext, repo: RepoRecord, ref: string): Promise<string | null> {
  const full = /^(heads|tags)\//.test(ref) ? `refs/${ref}` : ref;
  return gitOf(ctx, repo).resolveCommit(full);
}

/**
 * GitHub's `filter=latest` (the default) keeps the most recent run of each name (per App) on the commit;
 * `all` keeps every run. Newest first.
 */
function latestOnly(runs: CheckRunRecord[]): CheckRunRecord[] {
  const seen = new Set<string>();
  return runs.filter((run) => {
    const key = `${run.app.id}\u0000${run.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const checkHandlers: Record<string, OperationHandler> = {
  "checks/create": async (ctx) => {
    const repo = writableRepo(ctx);
    const input = bodyOf<CheckRunBody & { name: string; head_sha: string }>(ctx);
    const sha = isSha(input.head_sha) ? await gitOf(ctx, repo).resolveCommit(input.head_sha) : null;
    if (!sha) throw unprocessable(`No commit found for SHA: ${input.head_sha}`);
    const run: CheckRunRecord = {
      id: ctx.store.nextId(),
      name: input.name,
      headSha: sha,
      status: "queued",
      conclusion: null,
      startedAt: ctx.store.timestamp(),
      completedAt: null,
      externalId: null,
      detailsUrl: null,
      output: { title: null, summary: null, text: null },
      app: { id: ctx.store.app.id, slug: ctx.store.app.slug },
    };
    applyDetails(run, input);
    applyProgress(ctx, { run, input });
    repo.checkRuns.set(run.id, run);
    return ok(checkRunJson(ctx.shape, repo, run), 201);
  },

  "checks/update": (ctx) => {
    const repo = writableRepo(ctx);
    const run = checkRunOf(ctx, repo);
    const input = bodyOf<CheckRunBody>(ctx);
    // Validate on a copy so a refused update changes nothing.
    const next: CheckRunRecord = { ...run, output: { ...run.output } };
    applyDetails(next, input);
    applyProgress(ctx, { run: next, input });
    Object.assign(run, next);
    return ok(checkRunJson(ctx.shape, repo, run));
  },

  "checks/get": (ctx) => {
    const repo = repoOf(ctx);
    return ok(checkRunJson(ctx.shape, repo, checkRunOf(ctx, repo)));
  },

  "checks/list-for-ref": async (ctx) => {
    const repo = repoOf(ctx);
    const ref = ctx.request.params.ref ?? "";
    const sha = await commitOfRef(ctx, repo, ref);
    if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
    const { check_name: name, status, filter = "latest", app_id: appId } = ctx.request.query;
    let runs = [...repo.checkRuns.values()]
      .filter((run) => run.headSha === sha)
      .sort((a, b) => b.id - a.id);
    if (filter !== "all") runs = latestOnly(runs);
    runs = runs.filter((run) =>
      (name === undefined || run.name === name) &&
      (status === undefined || run.status === status) &&
      (appId === undefined || run.app.id === Number(appId)));
    const page = paginate(ctx, runs);
    return { ...page, body: { total_count: runs.length, check_runs: (page.body as CheckRunRecord[]).map((run) => checkRunJson(ctx.shape, repo, run)) } };
  },
};

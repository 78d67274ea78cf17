/**
 * GitHub Actions: manual workflow dispatches, recorded for tests to assert on (nothing runs), and the runs
 * they queue, which `actions/list-workflow-runs` lists so a client can tell whether a dispatch whose answer it
 * lost went through.
 */
import { HttpError, notFound, unprocessable } from "../http/types.js";
import type { RepoRecord, WorkflowDispatchRecord, WorkflowRunRecord } from "../state/types.js";
import { actorUser, bodyOf, gitOf, ok, paginate, repoOf, type OperationHandler, type RouteContext } from "./context.js";
import { derivedId, nestedRepositoryJson, nodeId, userJson, type JsonObject, type ShapeContext } from "../shapes/index.js";
import { repoApiUrl, repoWebUrl } from "../shapes/context.js";
import { parseDateQualifier } from "./date-qualifier.js";

/** A workflow file as the repository lists it (`ci.yml`), and its path (`.github/workflows/ci.yml`). */
export const workflowPath = (file: string): string => (file.startsWith(".github/") ? file : `.github/workflows/${file}`);

/** The numeric id GitHub would give the workflow; stable for a repository and file. */
export const workflowNumber = (repo: RepoRecord, file: string): number => derivedId("workflow", `${repo.id}:${workflowPath(file)}`);

/** The workflow file named by `workflow_id`: its file name (`ci.yml`), its path, or the numeric id runs report. */
function workflowOf(ctx: RouteContext, repo: RepoRecord): string {
  const id = ctx.request.params.workflow_id ?? "";
  const file = repo.workflows.find(
    (w) => w === id || workflowPath(w) === id || w.split("/").pop() === id || String(workflowNumber(repo, w)) === id,
  );
  if (!file) throw notFound();
  return file.split("/").pop() ?? file;
}

/** `ref` may be a branch or tag name, or a full ref; branches win over tags of the same name, as in git. */
async function refCommit(ctx: RouteContext, { repo, ref }: { repo: RepoRecord; ref: string }): Promise<string | null> {
  const git = gitOf(ctx, repo);
  const candidates = ref.startsWith("refs/") ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
  for (const candidate of candidates) {
    const sha = await git.readRef(candidate);
    if (sha) return git.resolveCommit(sha);
  }
  return null;
}

const shortRef = (ref: string): string => ref.replace(/^refs\/(heads|tags)\//, "");

/** `workflow-run`, for a run that was queued and never started (nothing runs in the sandbox). */
export function workflowRunJson(ctx: ShapeContext, repo: RepoRecord, run: WorkflowRunRecord): JsonObject {
  const api = repoApiUrl(ctx, repo);
  const url = `${api}/actions/runs/${run.id}`;
  const name = run.path;
  const checkSuiteId = derivedId("check_suite", `run:${run.id}`);
  const repository = nestedRepositoryJson(ctx, repo);
  return {
    id: run.id,
    name,
    node_id: nodeId("WorkflowRun", run.id),
    check_suite_id: checkSuiteId,
    check_suite_node_id: nodeId("CheckSuite", checkSuiteId),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: name,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflowNumber(repo, run.path),
    url,
    html_url: `${repoWebUrl(ctx, repo)}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.createdAt,
    actor: userJson(ctx, run.actor),
    triggering_actor: userJson(ctx, run.actor),
    run_started_at: run.createdAt,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${api}/check-suites/${checkSuiteId}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${api}/actions/workflows/${workflowNumber(repo, run.path)}`,
    head_commit: {
      id: run.headSha,
      tree_id: run.headCommit.treeId,
      message: run.headCommit.message,
      timestamp: run.headCommit.timestamp,
      author: run.headCommit.author,
      committer: run.headCommit.committer,
    },
    repository,
    head_repository: repository,
  };
}

type RunFilter = (run: WorkflowRunRecord) => boolean;

function runFilters(ctx: RouteContext): RunFilter[] {
  const { branch, event, created, status, actor, head_sha: headSha } = ctx.request.query;
  const filters: RunFilter[] = [];
  if (branch) filters.push((run) => run.headBranch === branch);
  if (event) filters.push((run) => run.event === event);
  if (status) filters.push((run) => run.status === status || run.conclusion === status);
  if (actor) filters.push((run) => run.actor.login.toLowerCase() === actor.toLowerCase());
  if (headSha) filters.push((run) => run.headSha === headSha);
  if (created) {
    const within = parseDateQualifier(created);
    // GitHub's description calls `created` a date-time, but it takes search syntax; anything else is refused here.
    if (!within) throw unprocessable("Validation Failed", [{ resource: "WorkflowRun", field: "created", code: "invalid", value: created }]);
    filters.push((run) => within(run.createdAt));
  }
  return filters;
}

export const actionHandlers: Record<string, OperationHandler> = {
  "actions/create-workflow-dispatch": async (ctx) => {
    const repo = repoOf(ctx, { write: true });
    const workflowId = workflowOf(ctx, repo);
    const { ref, inputs = {}, return_run_details: details = false } = bodyOf<{
      ref: string;
      inputs?: Record<string, unknown>;
      return_run_details?: boolean;
    }>(ctx);
    const sha = await refCommit(ctx, { repo, ref });
    const commit = sha && (await gitOf(ctx, repo).readCommit(sha));
    if (!commit) throw new HttpError(422, `No ref found for: ${ref}`);
    const at = ctx.store.timestamp();
    const by = actorUser(ctx);
    const dispatch: WorkflowDispatchRecord = { workflowId, ref, inputs, at, by };
    repo.dispatches.push(dispatch);
    const path = workflowPath(workflowId);
    const run: WorkflowRunRecord = {
      id: ctx.store.nextRunId(),
      runNumber: repo.workflowRuns.filter((r) => r.path === path).length + 1,
      path,
      headBranch: shortRef(ref),
      headSha: commit.sha,
      headCommit: {
        treeId: commit.tree,
        message: commit.message,
        timestamp: commit.committer.date,
        author: { name: commit.author.name, email: commit.author.email },
        committer: { name: commit.committer.name, email: commit.committer.email },
      },
      event: "workflow_dispatch",
      status: "queued",
      conclusion: null,
      createdAt: at,
      actor: by,
    };
    repo.workflowRuns.push(run);
    if (!details) return { status: 204 };
    // Asked for run details, GitHub answers 200 with the id and URLs of the run it queued.
    return ok({
      workflow_run_id: run.id,
      run_url: `${repoApiUrl(ctx.shape, repo)}/actions/runs/${run.id}`,
      html_url: `${repoWebUrl(ctx.shape, repo)}/actions/runs/${run.id}`,
    });
  },

  /** The workflow's runs, newest first, filtered by `branch`, `event`, `created`, `status`, `actor` and `head_sha`. */
  "actions/list-workflow-runs": (ctx) => {
    const repo = repoOf(ctx);
    const path = workflowPath(workflowOf(ctx, repo));
    const filters = runFilters(ctx);
    const runs = repo.workflowRuns
      .filter((run) => run.path === path && filters.every((f) => f(run)))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
    const page = paginate(ctx, runs);
    return { ...page, body: { total_count: runs.length, workflow_runs: (page.body as WorkflowRunRecord[]).map((run) => workflowRunJson(ctx.shape, repo, run)) } };
  },
};

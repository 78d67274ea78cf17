/** GitHub Actions: manual workflow dispatches, recorded for tests to assert on (nothing runs). */
import { HttpError, notFound } from "../http/types.js";
import type { RepoRecord, WorkflowDispatchRecord } from "../state/types.js";
import { actorUser, bodyOf, gitOf, ok, repoOf, type OperationHandler, type RouteContext } from "./context.js";
import { repoApiUrl, repoWebUrl } from "../shapes/context.js";

/**
 * The workflow file named by `workflow_id`. Numeric ids never match: the sandbox serves no endpoint that
 * would tell a client a workflow's id, so only file names (`ci.yml`) can name one.
 */
function workflowOf(ctx: RouteContext, repo: RepoRecord): string {
  const id = ctx.request.params.workflow_id ?? "";
  const file = repo.workflows.find((w) => w === id || w === `.github/workflows/${id}` || w.split("/").pop() === id);
  if (!file) throw notFound();
  return file.split("/").pop() ?? file;
}

/** `ref` may be a branch or tag name, or a full ref; branches win over tags of the same name, as in git. */
async function refExists(ctx: RouteContext, { repo, ref }: { repo: RepoRecord; ref: string }): Promise<boolean> {
  const git = gitOf(ctx, repo);
  const candidates = ref.startsWith("refs/") ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
  for (const candidate of candidates) if (await git.readRef(candidate)) return true;
  return false;
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
    if (!(await refExists(ctx, { repo, ref }))) throw new HttpError(422, `No ref found for: ${ref}`);
    const dispatch: WorkflowDispatchRecord = { workflowId, ref, inputs, at: ctx.store.timestamp(), by: actorUser(ctx) };
    repo.dispatches.push(dispatch);
    if (!details) return { status: 204 };
    // Asked for run details, GitHub answers 200 with the id and URLs of the run it queued.
    const runId = ctx.store.nextId();
    return ok({
      workflow_run_id: runId,
      run_url: `${repoApiUrl(ctx.shape, repo)}/actions/runs/${runId}`,
      html_url: `${repoWebUrl(ctx.shape, repo)}/actions/runs/${runId}`,
    });
  },
};

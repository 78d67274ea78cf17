/**
 * `workflow_run.completed` → the ci-run workflow (src/calendar/ci-health.ts), for runs on a branch that looks
 * like a release branch; the job checks the workflow and the line against the config.
 */
import type { Probot } from "probot";
import type { Enqueue } from "../runtime/jobs.js";

export function registerCiHealthHandlers(app: Probot, enqueue: Enqueue): void {
  app.on("workflow_run.completed", async (context) => {
    const run = context.payload.workflow_run;
    const branch = run.head_branch ?? "";
    if (!branch || branch === context.payload.repository.default_branch) {
      return context.log.debug({ run: run.id, branch }, "workflow run not on a release branch: nothing done");
    }
    await enqueue(context, `CI run ${run.run_number} on ${branch}`, {
      workflow: "ci-run",
      input: {
        path: run.path ?? "", branch, conclusion: run.conclusion ?? "", runId: run.id, runNumber: run.run_number, url: run.html_url, createdAt: run.created_at,
      },
    });
  });
}

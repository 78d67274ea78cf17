/**
 * The config check's webhook handler: a PR opened, pushed to or reopened gets a job that checks its
 * `.github/lts-steward.yml` if it changes it. The job never loads the default branch's config (the PR may be
 * fixing a broken one); it reads the PR's own file at its head.
 */
import type { Probot } from "probot";
import type { Enqueue } from "../runtime/jobs.js";

export function registerConfigCheck(app: Probot, enqueue: Enqueue): void {
  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], async (context) => {
    const { pull_request: pr, repository } = context.payload;
    await enqueue(context, `config check #${pr.number}`, { workflow: "config-check", input: { number: pr.number, defaultBranch: repository.default_branch } }, { coalesce: `config check #${pr.number}` });
  });
}

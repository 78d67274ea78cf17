/**
 * Webhook handlers for backports. Each one only checks that the event can concern us and enqueues a job;
 * the job (run by the queue, one at a time per repository) re-reads live state and does the GitHub work.
 */
import type { Context, Probot } from "probot";
import { parseBackportBranch } from "../backport/process-target.js";
import { parseBackportCommand, requestsFromLabels } from "../backport/requests.js";
import { runBackport } from "../backport/run-backport.js";
import { runCommand } from "../backport/run-command.js";
import { recordBackportClosed } from "../backport/tracking.js";
import { recordAdvisoryBackportClosed } from "../advisory/follow-up.js";
import { parseAdvisoryCommand, runAdvisoryCommand } from "../advisory/run-command.js";
import type { JobEnv, Enqueue } from "../runtime/jobs.js";
import { configOrProblems } from "../runtime/repo-config.js";

type PullContext = Context<"pull_request.closed" | "pull_request.labeled">;

async function onPullClosed(env: JobEnv, context: Context<"pull_request.closed">): Promise<void> {
  const config = await env.config();
  if (config.status !== "ok") return env.skipped(config);
  const pr = context.payload.pull_request;
  const backport = parseBackportBranch(config.config.backport.branchPrefix, pr.head.ref);
  if (backport) {
    const issues = await env.port.listIssues({ labels: [config.config.tracking.label], state: "open" });
    const closed = { number: pr.number, url: pr.html_url, merged: pr.merged === true, target: pr.base.ref, source: backport.key };
    await recordBackportClosed({ port: env.port, config: config.config, issues }, closed);
    await recordAdvisoryBackportClosed(env.port, config.config, closed);
    return;
  }
  if (!pr.merged) return;
  await runBackport({ port: env.port, config: config.config, today: env.today, number: pr.number, defaultBranch: context.payload.repository.default_branch, log: env.log });
}

async function onPullLabeled(env: JobEnv, context: Context<"pull_request.labeled">): Promise<void> {
  const config = await env.config();
  if (config.status !== "ok") return env.skipped(config);
  const label = context.payload.label?.name ?? "";
  const rules = { labelPrefix: config.config.backport.labelPrefix, implied: config.config.backport.implied };
  if (requestsFromLabels([label], rules).length === 0) return;
  await runBackport({ port: env.port, config: config.config, today: env.today, number: context.payload.pull_request.number, defaultBranch: context.payload.repository.default_branch, log: env.log });
}

export function registerBackportHandlers(app: Probot, enqueue: Enqueue): void {
  app.on("pull_request.closed", (context) => {
    enqueue(context, `pull closed #${context.payload.pull_request.number}`, (env) => onPullClosed(env, context));
  });
  app.on("pull_request.labeled", (context: PullContext) => {
    // Labels on open PRs are read again at merge; only a label added after merge starts work now.
    if (!context.payload.pull_request.merged) return;
    enqueue(context, `pull labeled #${context.payload.pull_request.number}`, (env) => onPullLabeled(env, context as Context<"pull_request.labeled">));
  });
  app.on("issue_comment.created", (context) => {
    const { comment, issue } = context.payload;
    if (context.isBot || comment.user?.type === "Bot") return;
    if (!issue.pull_request) {
      // Commands on an advisory's tracking issue (the App's own issue, recognised by its marker).
      if (!issue.body?.includes("<!-- lts-steward:advisory ") || !parseAdvisoryCommand(comment.body)) return;
      enqueue(context, `advisory command on #${issue.number}`, async (env) => {
        await runAdvisoryCommand({
          port: env.port, config: configOrProblems(await env.config()), today: env.today, defaultBranch: context.payload.repository.default_branch,
          number: issue.number, comment: { id: comment.id, body: comment.body, author: comment.user?.login ?? "" }, log: env.log,
        });
      });
      return;
    }
    if (!parseBackportCommand(comment.body)) return;
    enqueue(context, `/backport on #${issue.number}`, async (env) => {
      await runCommand({
        port: env.port, config: configOrProblems(await env.config()), today: env.today, defaultBranch: context.payload.repository.default_branch,
        number: issue.number, comment: { id: comment.id, body: comment.body, author: comment.user?.login ?? "" }, log: env.log,
      });
    });
  });
}

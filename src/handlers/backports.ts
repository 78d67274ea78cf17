/**
 * Pull request and comment webhooks: each handler filters the event and enqueues a named workflow
 * (src/workflows/); the job re-reads live state and does the GitHub work.
 */
import type { Probot } from "probot";
import { parseAdvisoryCommand } from "../advisory/run-command.js";
import { parseBackportCommand } from "../backport/requests.js";
import type { Enqueue } from "../runtime/jobs.js";

export function registerBackportHandlers(app: Probot, enqueue: Enqueue): void {
  app.on("pull_request.closed", async (context) => {
    const { pull_request: pr, repository } = context.payload;
    const closed = { number: pr.number, url: pr.html_url, merged: pr.merged === true, headRef: pr.head.ref, baseRef: pr.base.ref, defaultBranch: repository.default_branch };
    await enqueue(context, `pull closed #${pr.number}`, { workflow: "pull-closed", input: closed }, { coalesce: `pull closed #${pr.number}` });
  });
  app.on("pull_request.labeled", async (context) => {
    const { pull_request: pr, label, repository } = context.payload;
    // Labels on open PRs are read again at merge; only a label added after merge starts work now.
    if (!pr.merged) return context.log.debug({ pr: pr.number, label: label?.name }, "label on an unmerged PR: read again at merge");
    const name = label?.name ?? "";
    await enqueue(context, `pull labeled #${pr.number}`, { workflow: "pull-labeled", input: { number: pr.number, label: name, defaultBranch: repository.default_branch } }, {
      coalesce: `pull labeled #${pr.number} ${name.toLowerCase()}`,
    });
  });
  app.on(["pull_request.ready_for_review", "pull_request.synchronize"], async (context) => {
    const { pull_request: pr } = context.payload;
    // Only the App's conflict drafts (their body carries the marker) that are ready for review; the job checks
    // that the App wrote it and reads its state.
    if (pr.draft || pr.state !== "open" || !pr.body?.includes("<!-- lts-steward:conflict-draft ")) return;
    await enqueue(context, `conflict draft #${pr.number}`, { workflow: "conflict-draft-ready", input: { number: pr.number } }, { coalesce: `conflict draft #${pr.number}` });
  });
  app.on("issue_comment.created", async (context) => {
    const { comment, issue, repository } = context.payload;
    if (context.isBot || comment.user?.type === "Bot") return context.log.debug({ comment: comment.id, author: comment.user?.login }, "comment by a bot: not a command");
    const onPullRequest = Boolean(issue.pull_request);
    // Advisory commands only on an issue that looks like an advisory record (the job checks that the App
    // wrote it); `/release` and `/backport` (combined, naming the fixes) on any issue.
    const advisoryCommand = onPullRequest ? null : parseAdvisoryCommand(comment.body);
    const isCommand = onPullRequest
      ? parseBackportCommand(comment.body) !== null
      : (advisoryCommand !== null && (advisoryCommand.kind === "release" || issue.body?.includes("<!-- lts-steward:advisory ") === true)) ||
        // A combined `/backport <selector…> #a #b` works on any issue.
        parseBackportCommand(comment.body) !== null;
    if (!isCommand) return context.log.debug({ comment: comment.id, number: issue.number }, "comment is not a command for lts-steward");
    const event = { number: issue.number, onPullRequest, comment: { id: comment.id, body: comment.body, author: comment.user?.login ?? "" }, defaultBranch: repository.default_branch };
    await enqueue(context, `${onPullRequest ? "/backport" : "command"} on #${issue.number}`, { workflow: "comment-command", input: event });
  });
}

/** `issue`, `issue-comment` and `reaction`. */
import type { CommentRecord, IssueEventRecord, IssueRecord, ReactionRecord, RepoRecord } from "../state/types.js";
import { appJson } from "./apps.js";
import {
  authorAssociation,
  nodeId,
  reactionRollup,
  repoApiUrl,
  repoWebUrl,
  userByLogin,
  type JsonObject,
  type ShapeContext,
} from "./context.js";
import { issueLabelsJson, milestoneByNumber } from "./labels.js";
import { userJson } from "./users.js";

export function issueHtmlUrl(ctx: ShapeContext, repo: RepoRecord, issue: Pick<IssueRecord, "number" | "isPull">): string {
  return `${repoWebUrl(ctx, repo)}/${issue.isPull ? "pull" : "issues"}/${issue.number}`;
}

function commentCount(repo: RepoRecord, issueNumber: number): number {
  let count = 0;
  for (const comment of repo.comments.values()) if (comment.issueNumber === issueNumber) count += 1;
  return count;
}

/**
 * The REST `issue`. Pull request numbers carry the `pull_request` key, as on GitHub. `closed_by` is REST-only
 * (the webhooks' issue object is closed), so webhook builders drop it.
 */
export function issueJson(ctx: ShapeContext, repo: RepoRecord, issue: IssueRecord): JsonObject {
  const url = `${repoApiUrl(ctx, repo)}/issues/${issue.number}`;
  const assignees = issue.assignees.map((login) => userJson(ctx, userByLogin(ctx, login)));
  const pull = issue.isPull ? repo.pulls.get(issue.number) : undefined;
  const webUrl = issueHtmlUrl(ctx, repo, issue);
  return {
    id: issue.id,
    node_id: nodeId("Issue", issue.id),
    url,
    repository_url: repoApiUrl(ctx, repo),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: webUrl,
    number: issue.number,
    title: issue.title,
    user: userJson(ctx, issue.user),
    labels: issueLabelsJson(ctx, repo, issue.labels),
    state: issue.state,
    locked: issue.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: milestoneByNumber(ctx, repo, issue.milestone),
    comments: commentCount(repo, issue.number),
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: authorAssociation(repo, issue.user),
    active_lock_reason: null,
    body: issue.body,
    reactions: reactionRollup({ url, repo, subject: { kind: "issue", id: issue.id } }),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: issue.stateReason,
    ...(issue.isPull
      ? {
          draft: pull?.draft ?? false,
          pull_request: {
            url: `${repoApiUrl(ctx, repo)}/pulls/${issue.number}`,
            html_url: webUrl,
            diff_url: `${webUrl}.diff`,
            patch_url: `${webUrl}.patch`,
            merged_at: pull?.mergedAt ?? null,
          },
        }
      : {}),
    closed_by: issue.closedBy ? userJson(ctx, issue.closedBy) : null,
  };
}

export function commentJson(ctx: ShapeContext, repo: RepoRecord, comment: CommentRecord): JsonObject {
  const url = `${repoApiUrl(ctx, repo)}/issues/comments/${comment.id}`;
  const issue = repo.issues.get(comment.issueNumber);
  const isPull = issue?.isPull ?? repo.pulls.has(comment.issueNumber);
  return {
    url,
    html_url: `${issueHtmlUrl(ctx, repo, { number: comment.issueNumber, isPull })}#issuecomment-${comment.id}`,
    issue_url: `${repoApiUrl(ctx, repo)}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    user: userJson(ctx, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(repo, comment.user),
    body: comment.body,
    reactions: reactionRollup({ url, repo, subject: { kind: "comment", id: comment.id } }),
    performed_via_github_app: null,
  };
}

export function reactionJson(ctx: ShapeContext, reaction: ReactionRecord): JsonObject {
  return {
    id: reaction.id,
    node_id: nodeId("Reaction", reaction.id),
    user: userJson(ctx, reaction.user),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

/** `labeled-issue-event` / `unlabeled-issue-event`; an App's bot acting names the App in `performed_via_github_app`. */
export function issueEventJson(ctx: ShapeContext, repo: RepoRecord, event: IssueEventRecord): JsonObject {
  const viaApp = ctx.app && event.actor.id === ctx.app.bot.id ? appJson(ctx, ctx.app) : null;
  return {
    id: event.id,
    node_id: nodeId(event.event === "labeled" ? "LabeledEvent" : "UnlabeledEvent", event.id),
    url: `${repoApiUrl(ctx, repo)}/issues/events/${event.id}`,
    actor: userJson(ctx, event.actor),
    event: event.event,
    commit_id: null,
    commit_url: null,
    created_at: event.createdAt,
    label: { name: event.label.name, color: event.label.color },
    performed_via_github_app: viaApp,
  };
}

/** Comments on issues and pull requests, and reactions to comments and issues. */
import { HttpError, notFound } from "../http/types.js";
import { commentJson, reactionJson } from "../shapes/index.js";
import { addComment } from "../state/records.js";
import type { CommentRecord, ReactionRecord, RepoRecord } from "../state/types.js";
import { actorUser, bodyOf, hasRole, intParam, ok, paginate, repoOf, type OperationHandler, type RouteContext } from "./context.js";
import { issueOf } from "./issues.js";
import { checkBodyLength } from "./limits.js";

function commentOf(ctx: RouteContext, repo: RepoRecord): CommentRecord {
  const comment = repo.comments.get(intParam(ctx, "comment_id"));
  if (!comment) throw notFound();
  return comment;
}

/** A comment or edit counts as activity on its issue, as GitHub's `updated_at` shows. */
function touchIssue(repo: RepoRecord, { number, at }: { number: number; at: string }): void {
  const issue = repo.issues.get(number);
  if (issue) issue.updatedAt = at;
}

/** GitHub keeps one reaction per user and content: a repeat answers 200 with the existing one. */
function react(ctx: RouteContext, { repo, subject }: { repo: RepoRecord; subject: ReactionRecord["subject"] }) {
  const { content } = bodyOf<{ content: ReactionRecord["content"] }>(ctx);
  const user = actorUser(ctx);
  const existing = repo.reactions.find(
    (r) => r.subject.kind === subject.kind && r.subject.id === subject.id && r.content === content && r.user.id === user.id,
  );
  if (existing) return ok(reactionJson(ctx.shape, existing), 200);
  const reaction: ReactionRecord = { id: ctx.store.nextId(), subject, content, user, createdAt: ctx.store.timestamp() };
  repo.reactions.push(reaction);
  return ok(reactionJson(ctx.shape, reaction), 201);
}

export const commentHandlers: Record<string, OperationHandler> = {
  "issues/create-comment": (ctx) => {
    // Reading a repository is enough to comment, unless the conversation is locked.
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    if (issue.locked && !hasRole(ctx, { repo, min: "write" })) {
      throw new HttpError(403, "Unable to create comment because issue is locked.");
    }
    const { body } = bodyOf<{ body: string }>(ctx);
    checkBodyLength("IssueComment", body);
    const comment = addComment(ctx.store, { repo, issue, body, user: actorUser(ctx) });
    ctx.changes.push({ kind: "commented", repo, commentId: comment.id, sender: comment.user });
    return ok(commentJson(ctx.shape, repo, comment), 201);
  },

  "issues/get-comment": (ctx) => {
    const repo = repoOf(ctx);
    return ok(commentJson(ctx.shape, repo, commentOf(ctx, repo)));
  },

  "issues/update-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(ctx, repo);
    const author = ctx.request.actor.kind !== "app" && ctx.request.actor.user.id === comment.user.id;
    if (!author && !hasRole(ctx, { repo, min: "write" })) {
      throw new HttpError(403, "Resource not accessible by personal access token");
    }
    const { body } = bodyOf<{ body: string }>(ctx);
    checkBodyLength("IssueComment", body);
    const now = ctx.store.timestamp();
    comment.body = body;
    comment.updatedAt = now;
    touchIssue(repo, { number: comment.issueNumber, at: now });
    return ok(commentJson(ctx.shape, repo, comment));
  },

  "issues/delete-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(ctx, repo);
    const author = ctx.request.actor.kind !== "app" && ctx.request.actor.user.id === comment.user.id;
    if (!author && !hasRole(ctx, { repo, min: "write" })) {
      throw new HttpError(403, "Resource not accessible by personal access token");
    }
    repo.comments.delete(comment.id);
    repo.reactions = repo.reactions.filter((r) => !(r.subject.kind === "comment" && r.subject.id === comment.id));
    return { status: 204 };
  },

  "issues/list-comments": (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const since = ctx.request.query.since;
    const comments = [...repo.comments.values()]
      .filter((c) => c.issueNumber === issue.number && (!since || Date.parse(c.updatedAt) >= Date.parse(since)))
      .sort((a, b) => a.id - b.id);
    const page = paginate(ctx, comments);
    return { ...page, body: (page.body as CommentRecord[]).map((c) => commentJson(ctx.shape, repo, c)) };
  },

  "reactions/create-for-issue-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(ctx, repo);
    return react(ctx, { repo, subject: { kind: "comment", id: comment.id } });
  },

  "reactions/list-for-issue-comment": (ctx) => {
    const repo = repoOf(ctx);
    const comment = commentOf(ctx, repo);
    const content = ctx.request.query.content;
    const reactions = repo.reactions.filter(
      (r) => r.subject.kind === "comment" && r.subject.id === comment.id && (!content || r.content === content),
    );
    const page = paginate(ctx, reactions);
    return { ...page, body: (page.body as ReactionRecord[]).map((r) => reactionJson(ctx.shape, r)) };
  },

  "reactions/create-for-issue": (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    return react(ctx, { repo, subject: { kind: "issue", id: issue.id } });
  },
};

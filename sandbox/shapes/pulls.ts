/** `pull-request` (GET one, and webhooks) and `pull-request-simple` (list). */
import type { IssueRecord, PullRecord, RepoRecord } from "../state/types.js";
import { authorAssociation, nodeId, repoApiUrl, userByLogin, type JsonObject, type ShapeContext } from "./context.js";
import { issueHtmlUrl } from "./issues.js";
import { issueLabelsJson, milestoneByNumber } from "./labels.js";
import { nestedRepositoryJson } from "./repos.js";
import { userJson } from "./users.js";

/** What the records do not keep; the caller computes it from git when it needs it to be right. */
export interface PullStats {
  commits?: number;
  additions?: number;
  deletions?: number;
  changedFiles?: number;
  /** Null while GitHub is still computing it, which is what a fresh PR shows. */
  mergeable?: boolean | null;
}

export interface PullShapeInput {
  repo: RepoRecord;
  issue: IssueRecord;
  pull: PullRecord;
  /** The head commit now; the record's `headSha` is only fixed once the PR is closed. */
  headSha: string;
  baseSha: string;
  /** Only the full `pull-request` uses these. */
  stats?: PullStats;
}

function branchJson(ctx: ShapeContext, input: { repo: RepoRecord; ref: string; sha: string }): JsonObject {
  return {
    label: `${input.repo.owner.login}:${input.ref}`,
    ref: input.ref,
    sha: input.sha,
    user: userJson(ctx, input.repo.owner),
    repo: nestedRepositoryJson(ctx, input.repo),
  };
}

function commonPullJson(ctx: ShapeContext, input: PullShapeInput): JsonObject {
  const { repo, issue, pull } = input;
  const api = repoApiUrl(ctx, repo);
  const url = `${api}/pulls/${pull.number}`;
  const issueUrl = `${api}/issues/${pull.number}`;
  const htmlUrl = issueHtmlUrl(ctx, repo, { number: pull.number, isPull: true });
  const statusesUrl = `${api}/statuses/${input.headSha}`;
  const assignees = issue.assignees.map((login) => userJson(ctx, userByLogin(ctx, login)));
  return {
    url,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: issueUrl,
    number: pull.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: userJson(ctx, issue.user),
    body: issue.body,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pull.requestedReviewers.map((login) => userJson(ctx, userByLogin(ctx, login))),
    requested_teams: [],
    labels: issueLabelsJson(ctx, repo, issue.labels),
    milestone: milestoneByNumber(ctx, repo, issue.milestone),
    draft: pull.draft,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: statusesUrl,
    head: branchJson(ctx, { repo, ref: pull.headRef, sha: input.headSha }),
    base: branchJson(ctx, { repo, ref: pull.baseRef, sha: input.baseSha }),
    _links: {
      self: { href: url },
      html: { href: htmlUrl },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: statusesUrl },
    },
    author_association: authorAssociation(repo, issue.user),
    auto_merge: null,
    active_lock_reason: null,
  };
}

export function pullJson(ctx: ShapeContext, input: PullShapeInput): JsonObject {
  const { repo, pull } = input;
  let comments = 0;
  for (const comment of repo.comments.values()) if (comment.issueNumber === pull.number) comments += 1;
  const stats = input.stats ?? {};
  const mergeable = stats.mergeable ?? null;
  return {
    ...commonPullJson(ctx, input),
    merged: pull.merged,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: mergeable === null ? "unknown" : mergeable ? "clean" : "dirty",
    merged_by: pull.mergedBy ? userJson(ctx, pull.mergedBy) : null,
    comments,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: stats.commits ?? pull.commits?.length ?? 0,
    additions: stats.additions ?? 0,
    deletions: stats.deletions ?? 0,
    changed_files: stats.changedFiles ?? 0,
  };
}

/**
 * `pull-request-simple`. Its schema types a label's description as a plain string, unlike every other label,
 * so a missing description is given as "" here to keep the list answer within the published schema.
 */
export function pullSimpleJson(ctx: ShapeContext, input: PullShapeInput): JsonObject {
  const common = commonPullJson(ctx, input);
  const labels = (common["labels"] as JsonObject[]).map((label) => ({ ...label, description: label["description"] ?? "" }));
  return { ...common, labels };
}

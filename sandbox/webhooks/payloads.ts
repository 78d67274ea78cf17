/**
 * Webhook payloads for the events the App handles, composed from the REST shapes. Webhook objects are closed
 * in `@octokit/webhooks-schemas`, so REST-only keys are dropped and a few nullable REST values become strings.
 */
import type {
  AdvisoryRecord,
  CommentRecord,
  IssueRecord,
  LabelRecord,
  PullRecord,
  ReleaseRecord,
  RepoRecord,
  UserRecord,
  WorkflowRunRecord,
} from "../state/types.js";
import { nodeId, type JsonObject, type ShapeContext } from "../shapes/context.js";
import { globalAdvisoryJson, repositoryAdvisoryJson } from "../shapes/advisories.js";
import { issueJson, commentJson } from "../shapes/issues.js";
import { labelJson } from "../shapes/labels.js";
import { pullJson } from "../shapes/pulls.js";
import { releaseJson } from "../shapes/releases.js";
import { nestedRepositoryJson } from "../shapes/repos.js";
import { workflowNumber, workflowRunJson } from "../routes/actions.js";
import { repoApiUrl, repoWebUrl } from "../shapes/context.js";
import { organizationJson, userJson } from "../shapes/users.js";

export interface WebhookEvent {
  /** The `X-GitHub-Event` header. */
  name: string;
  payload: JsonObject;
}

/** What every repository event carries besides its subject. */
export interface EventBase {
  ctx: ShapeContext;
  sender: UserRecord;
  /** The installation id the App authenticates as for this event. */
  installation: number;
}

/** `repository`, `organization` (for organization-owned repositories), `sender` and `installation`. */
export function envelope(base: EventBase, subject: { repository: JsonObject; owner: UserRecord }): JsonObject {
  return {
    repository: subject.repository,
    ...(subject.owner.type === "Organization" ? { organization: organizationJson(base.ctx, subject.owner) } : {}),
    sender: userJson(base.ctx, base.sender),
    installation: { id: base.installation, node_id: nodeId("Installation", base.installation) },
  };
}

function repoEnvelope(base: EventBase, repo: RepoRecord): JsonObject {
  return envelope(base, { repository: nestedRepositoryJson(base.ctx, repo), owner: repo.owner });
}

export type PullRequestEventInput = EventBase & {
  repo: RepoRecord;
  issue: IssueRecord;
  pull: PullRecord;
  /** Defaults to the record's; pass the branch tip for an open PR whose branch moved. */
  headSha?: string;
  baseSha?: string;
} & ({ action: "opened" | "closed" | "reopened" | "edited" | "ready_for_review" | "converted_to_draft" } | { action: "synchronize"; before: string } | { action: "labeled" | "unlabeled"; label: LabelRecord });

/** `pull_request`; `closed` covers merged and unmerged PRs alike (the record's `merged` tells them apart). */
export function pullRequestEvent(input: PullRequestEventInput): WebhookEvent {
  const pullRequest = pullJson(input.ctx, {
    repo: input.repo,
    issue: input.issue,
    pull: input.pull,
    headSha: input.headSha ?? input.pull.headSha,
    baseSha: input.baseSha ?? input.pull.baseSha,
  });
  return {
    name: "pull_request",
    payload: {
      action: input.action,
      number: input.pull.number,
      pull_request: pullRequest,
      ...("label" in input ? { label: labelJson(input.ctx, input.repo, input.label) } : {}),
      // A push to the PR's branch: where it was and where it is now.
      ...(input.action === "synchronize" ? { before: input.before, after: input.headSha ?? input.pull.headSha } : {}),
      ...repoEnvelope(input, input.repo),
    },
  };
}

/** The webhook issue: the REST one without `closed_by`, which the webhook schema does not allow. */
export function webhookIssueJson(ctx: ShapeContext, repo: RepoRecord, issue: IssueRecord): JsonObject {
  const { closed_by: _closedBy, ...rest } = issueJson(ctx, repo, issue);
  return rest;
}

/** `issues` for a plain issue (pull requests send `pull_request` instead); `labeled`/`unlabeled` name the label. */
export function issuesEvent(
  input: EventBase & { repo: RepoRecord; issue: IssueRecord } & ({ action: "opened" | "closed" | "reopened" } | { action: "labeled" | "unlabeled"; label: LabelRecord }),
): WebhookEvent {
  return {
    name: "issues",
    payload: {
      action: input.action,
      issue: webhookIssueJson(input.ctx, input.repo, input.issue),
      ...("label" in input ? { label: labelJson(input.ctx, input.repo, input.label) } : {}),
      ...repoEnvelope(input, input.repo),
    },
  };
}

/** `issue_comment` on an issue or a pull request (the issue then carries the `pull_request` key). */
export function issueCommentEvent(
  input: EventBase & { repo: RepoRecord; comment: CommentRecord; action?: "created" | "edited" | "deleted" },
): WebhookEvent {
  const issue = input.repo.issues.get(input.comment.issueNumber);
  if (issue === undefined) throw new Error(`comment ${input.comment.id} names issue #${input.comment.issueNumber}, which ${input.repo.name} does not have`);
  return {
    name: "issue_comment",
    payload: {
      action: input.action ?? "created",
      issue: webhookIssueJson(input.ctx, input.repo, issue),
      comment: commentJson(input.ctx, input.repo, input.comment),
      ...repoEnvelope(input, input.repo),
    },
  };
}

/** `release`; the webhook release types `name` and `body` as strings, so missing ones are sent as "". */
export function releaseEvent(
  input: EventBase & { repo: RepoRecord; release: ReleaseRecord; action?: "published" | "created" | "released" | "prereleased" },
): WebhookEvent {
  const action = input.action ?? "published";
  const release = releaseJson(input.ctx, input.repo, input.release);
  const publishedAt = input.release.publishedAt ?? (action === "created" ? null : input.release.createdAt);
  return {
    name: "release",
    payload: {
      action,
      release: { ...release, name: input.release.name ?? "", body: input.release.body ?? "", published_at: publishedAt },
      ...repoEnvelope(input, input.repo),
    },
  };
}

/**
 * `repository_advisory`: `reported` when a private vulnerability report arrives, `published` when maintainers
 * publish. `@octokit/webhooks-schemas` has no schema for this event; GitHub's OpenAPI webhook schema covers it.
 */
export function repositoryAdvisoryEvent(
  input: EventBase & { repo: RepoRecord; advisory: AdvisoryRecord; action: "published" | "reported" },
): WebhookEvent {
  return {
    name: "repository_advisory",
    payload: {
      action: input.action,
      repository_advisory: repositoryAdvisoryJson(input.ctx, input.repo, input.advisory),
      ...repoEnvelope(input, input.repo),
    },
  };
}

/**
 * `security_advisory`: a global advisory, not tied to a repository or an installation, so GitHub sends it with
 * neither (and the webhook schema allows nothing but `action` and `security_advisory`).
 */
export function securityAdvisoryEvent(input: {
  ctx: ShapeContext;
  advisory: AdvisoryRecord;
  action: "published" | "updated" | "withdrawn";
}): WebhookEvent {
  const advisory = globalAdvisoryJson(input.ctx, input.advisory);
  if (input.action === "withdrawn") advisory["withdrawn_at"] = input.advisory.withdrawnAt ?? input.advisory.updatedAt;
  return { name: "security_advisory", payload: { action: input.action, security_advisory: advisory } };
}

/** The keys of a `repository-lite` (what a workflow run names its repositories with) out of the nested REST shape. */
const REPOSITORY_LITE = [
  "archive_url", "assignees_url", "blobs_url", "branches_url", "collaborators_url", "comments_url", "commits_url", "compare_url", "contents_url",
  "contributors_url", "deployments_url", "description", "downloads_url", "events_url", "fork", "forks_url", "full_name", "git_commits_url",
  "git_refs_url", "git_tags_url", "hooks_url", "html_url", "id", "issue_comment_url", "issue_events_url", "issues_url", "keys_url", "labels_url",
  "languages_url", "merges_url", "milestones_url", "name", "node_id", "notifications_url", "owner", "private", "pulls_url", "releases_url",
  "stargazers_url", "statuses_url", "subscribers_url", "subscription_url", "tags_url", "teams_url", "trees_url", "url",
];
const pick = (object: JsonObject, keys: string[]): JsonObject => Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]!]));

/** `workflow_run` `completed`, for a run the sandbox recorded as finished (`scenario.completeRun`). */
export function workflowRunEvent(input: EventBase & { repo: RepoRecord; run: WorkflowRunRecord }): WebhookEvent {
  const run = workflowRunJson(input.ctx, input.repo, input.run);
  const lite = pick(nestedRepositoryJson(input.ctx, input.repo), REPOSITORY_LITE);
  const id = workflowNumber(input.repo, input.run.path);
  const api = repoApiUrl(input.ctx, input.repo);
  const workflow: JsonObject = {
    badge_url: `${repoWebUrl(input.ctx, input.repo)}/workflows/${input.run.path.split("/").pop()}/badge.svg`,
    created_at: input.repo.createdAt, html_url: `${repoWebUrl(input.ctx, input.repo)}/blob/${input.repo.defaultBranch}/${input.run.path}`,
    id, name: input.run.path, node_id: nodeId("Workflow", id), path: input.run.path, state: "active", updated_at: input.repo.createdAt,
    url: `${api}/actions/workflows/${id}`,
  };
  return {
    name: "workflow_run",
    payload: {
      action: "completed",
      workflow,
      workflow_run: { ...run, repository: lite, head_repository: lite, status: "completed", conclusion: input.run.conclusion ?? "success", updated_at: input.run.createdAt },
      ...repoEnvelope(input, input.repo),
    },
  };
}

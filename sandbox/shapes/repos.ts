/**
 * Repositories in two flavours: `nestedRepositoryJson` is the `repository` schema (pull request heads, installation
 * listings, webhook payloads — the webhooks' `repository` is closed, so this one carries only keys it allows), and
 * `repositoryJson` is `full-repository` (GET /repos/{owner}/{repo}), which adds the keys webhooks leave out.
 */
import type { RepoRecord } from "../state/types.js";
import { fullName, nodeId, repoApiUrl, repoWebUrl, type JsonObject, type ShapeContext } from "./context.js";
import { userJson } from "./users.js";

/** Records keep no push or update time, so the latest activity they do record stands in for both. */
export function lastActivity(repo: RepoRecord): string {
  let latest = repo.createdAt;
  const consider = (at: string | null): void => {
    if (at !== null && Date.parse(at) > Date.parse(latest)) latest = at;
  };
  for (const issue of repo.issues.values()) consider(issue.updatedAt);
  for (const comment of repo.comments.values()) consider(comment.updatedAt);
  for (const release of repo.releases) consider(release.publishedAt ?? release.createdAt);
  return latest;
}

function openIssueCount(repo: RepoRecord): number {
  let open = 0;
  for (const issue of repo.issues.values()) if (issue.state === "open") open += 1;
  return open;
}

/** URL templates, written out the way GitHub spells them. */
function repoUrls(ctx: ShapeContext, repo: RepoRecord): JsonObject {
  const api = repoApiUrl(ctx, repo);
  const host = new URL(ctx.webUrl).host;
  return {
    html_url: repoWebUrl(ctx, repo),
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    git_url: `git://${host}/${fullName(repo)}.git`,
    ssh_url: `git@${host}:${fullName(repo)}.git`,
    clone_url: `${repoWebUrl(ctx, repo)}.git`,
    svn_url: repoWebUrl(ctx, repo),
  };
}

export function nestedRepositoryJson(ctx: ShapeContext, repo: RepoRecord): JsonObject {
  const openIssues = openIssueCount(repo);
  const activity = lastActivity(repo);
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: fullName(repo),
    private: repo.private,
    owner: userJson(ctx, repo.owner),
    description: repo.description,
    fork: false,
    ...repoUrls(ctx, repo),
    created_at: repo.createdAt,
    updated_at: activity,
    pushed_at: activity,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
    custom_properties: {},
  };
}

export function repositoryJson(ctx: ShapeContext, repo: RepoRecord): JsonObject {
  return {
    ...nestedRepositoryJson(ctx, repo),
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    allow_update_branch: false,
    delete_branch_on_merge: false,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_title: "COMMIT_OR_PR_TITLE",
    squash_merge_commit_message: "COMMIT_MESSAGES",
    merge_commit_title: "MERGE_MESSAGE",
    merge_commit_message: "PR_TITLE",
    ...(repo.owner.type === "Organization" ? { organization: userJson(ctx, repo.owner) } : {}),
    network_count: 0,
    subscribers_count: 0,
  };
}

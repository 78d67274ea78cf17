/** `push`: git facts come from the caller (the records hold no commits); the repository is the push flavour. */
import type { RepoRecord } from "../state/types.js";
import { repoWebUrl, type JsonObject, type ShapeContext } from "../shapes/context.js";
import { lastActivity, nestedRepositoryJson } from "../shapes/repos.js";
import { userJson } from "../shapes/users.js";
import { envelope, type EventBase, type WebhookEvent } from "./payloads.js";

const ZERO_SHA = "0000000000000000000000000000000000000000";

export interface GitIdentity {
  name: string;
  email: string | null;
  /** The GitHub login, when the email belongs to one. */
  username?: string;
}

export interface PushCommit {
  id: string;
  treeId: string;
  message: string;
  /** ISO time of the commit. */
  timestamp: string;
  author: GitIdentity;
  /** Defaults to the author. */
  committer?: GitIdentity;
  added?: string[];
  removed?: string[];
  modified?: string[];
  /** False when the commit was already on another branch; defaults to true. */
  distinct?: boolean;
}

export interface PushEventInput extends EventBase {
  repo: RepoRecord;
  /** Full ref, e.g. `refs/heads/main` or `refs/tags/v1.2.0`. */
  ref: string;
  before: string;
  after: string;
  /** Oldest first, as GitHub lists them. */
  commits: PushCommit[];
  /** Defaults to the last of `commits`. */
  headCommit?: PushCommit | null;
  /** Defaults to the sender's login with no email. */
  pusher?: GitIdentity;
  forced?: boolean;
  baseRef?: string | null;
  /** ISO time of the push; defaults to the head commit's time. */
  pushedAt?: string;
}

function identityJson(identity: GitIdentity): JsonObject {
  return { name: identity.name, email: identity.email, ...(identity.username === undefined ? {} : { username: identity.username }) };
}

function commitJson(ctx: ShapeContext, repo: RepoRecord, commit: PushCommit): JsonObject {
  return {
    id: commit.id,
    tree_id: commit.treeId,
    distinct: commit.distinct ?? true,
    message: commit.message,
    timestamp: commit.timestamp,
    url: `${repoWebUrl(ctx, repo)}/commit/${commit.id}`,
    author: identityJson(commit.author),
    committer: identityJson(commit.committer ?? commit.author),
    added: commit.added ?? [],
    removed: commit.removed ?? [],
    modified: commit.modified ?? [],
  };
}

const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** Push events give `created_at`/`pushed_at` as unix seconds and add a few legacy keys the other events lack. */
export function pushRepositoryJson(ctx: ShapeContext, input: { repo: RepoRecord; pushedAt: string }): JsonObject {
  const { repo, pushedAt } = input;
  const owner = userJson(ctx, repo.owner);
  return {
    ...nestedRepositoryJson(ctx, repo),
    owner: { name: repo.owner.login, email: null, ...owner },
    created_at: unixSeconds(repo.createdAt),
    pushed_at: unixSeconds(pushedAt),
    stargazers: 0,
    master_branch: repo.defaultBranch,
    ...(repo.owner.type === "Organization" ? { organization: repo.owner.login } : {}),
  };
}

function compareUrl(ctx: ShapeContext, input: PushEventInput): string {
  const web = repoWebUrl(ctx, input.repo);
  if (input.before === ZERO_SHA) return `${web}/compare/${input.ref.replace(/^refs\/(heads|tags)\//, "")}`;
  return `${web}/compare/${input.before.slice(0, 12)}...${input.after.slice(0, 12)}`;
}

export function pushEvent(input: PushEventInput): WebhookEvent {
  const { ctx, repo } = input;
  const head = input.headCommit === undefined ? input.commits.at(-1) ?? null : input.headCommit;
  const pushedAt = input.pushedAt ?? head?.timestamp ?? lastActivity(repo);
  return {
    name: "push",
    payload: {
      ref: input.ref,
      before: input.before,
      after: input.after,
      created: input.before === ZERO_SHA,
      deleted: input.after === ZERO_SHA,
      forced: input.forced ?? false,
      base_ref: input.baseRef ?? null,
      compare: compareUrl(ctx, input),
      commits: input.commits.map((commit) => commitJson(ctx, repo, commit)),
      head_commit: head === null ? null : commitJson(ctx, repo, head),
      pusher: identityJson(input.pusher ?? { name: input.sender.login, email: null }),
      ...envelope(input, { repository: pushRepositoryJson(ctx, { repo, pushedAt }), owner: repo.owner }),
    },
  };
}

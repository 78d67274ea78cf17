/**
 * Re-reads a PR's live requests: its labels now (payloads are stale snapshots) and the `/backport`
 * comments of people allowed to ask. Comments by bots, the App included, never count.
 */
import type { Config } from "../config/schema.js";
import type { GitHubPort } from "../github/port.js";
import type { IssueComment, Permission, PullRequest } from "../github/types.js";
import { parseBackportCommand, permits, requestsFromLabels } from "./requests.js";
import type { BackportRequest } from "./types.js";

export interface CollectedRequests {
  requests: BackportRequest[];
  /** The PR's comments, read once and reused (to find the summary comment). */
  comments: IssueComment[];
}

/** Asks GitHub for each person's permission once per job. */
export class PermissionCache {
  private readonly known = new Map<string, Promise<Permission>>();
  constructor(private readonly port: GitHubPort) {}
  get(login: string): Promise<Permission> {
    const key = login.toLowerCase();
    let permission = this.known.get(key);
    if (!permission) {
      permission = this.port.getPermission(login);
      this.known.set(key, permission);
    }
    return permission;
  }
}

export async function collectRequests(options: { port: GitHubPort; pull: PullRequest; config: Config; permissions: PermissionCache }): Promise<CollectedRequests> {
  const { port, pull, config, permissions } = options;
  const requests = requestsFromLabels(pull.labels, { labelPrefix: config.backport.labelPrefix, implied: config.backport.implied });
  const comments = await port.listComments(pull.number);
  for (const comment of comments) {
    if (comment.authorIsBot) continue;
    const command = parseBackportCommand(comment.body);
    if (!command || command.selectors.length === 0) continue;
    if (!permits(await permissions.get(comment.author), config.backport.permission)) continue;
    for (const selector of command.selectors) requests.push({ selector, via: `/backport by @${comment.author}` });
  }
  return { requests, comments };
}

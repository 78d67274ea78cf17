/**
 * Re-reads a PR's live requests: its labels now (payloads are stale snapshots) and the `/backport`
 * comments of people allowed to ask. Comments by bots, the App included, never count.
 *
 * A request label counts only when whoever added it (the latest `labeled` event for that label) has
 * `backport.permission`, as a `/backport` comment would need. A label the App added itself counts (it only
 * adds labels it decided on). A label with no `labeled` event (the event history does not say who added it)
 * does not count: failing closed, the App says so once, and a maintainer can re-add it or use `/backport`.
 */
import type { Config } from "../config/schema.js";
import type { GitHubPort } from "../github/port.js";
import type { IssueComment, LabelEvent, Permission, PullRequest } from "../github/types.js";
import { isOwn } from "../state/records.js";
import { MAX_SELECTORS, parseBackportCommand, permits, requestsFromLabels } from "./requests.js";
import type { BackportRequest } from "./types.js";

export interface CollectedRequests {
  requests: BackportRequest[];
  /** The PR's comments, read once and reused (to find the summary comment). */
  comments: IssueComment[];
  /** Request labels that do not count: who added them lacks the permission, or nobody is known to have. */
  refusedLabels: RefusedLabel[];
}

export interface RefusedLabel {
  label: string;
  /** Who added it, or null when no `labeled` event says. */
  actor: string | null;
  permission: Permission | null;
}

/** Who added `label` last (its latest `labeled` event), or null. */
export function labelAdder(events: readonly LabelEvent[], label: string): string | null {
  const wanted = label.toLowerCase();
  let actor: string | null = null;
  for (const e of events) if (e.action === "labeled" && e.label.toLowerCase() === wanted) actor = e.actor;
  return actor;
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
  const rules = { labelPrefix: config.backport.labelPrefix, implied: config.backport.implied };
  const requests: BackportRequest[] = [];
  const refusedLabels: RefusedLabel[] = [];
  const requestLabels = pull.labels.filter((label) => requestsFromLabels([label], rules).length > 0);
  const events = requestLabels.length > 0 ? await port.listLabelEvents(pull.number) : [];
  for (const label of requestLabels) {
    const actor = labelAdder(events, label);
    const permission = actor === null || isOwn(port, actor) ? null : await permissions.get(actor);
    const allowed = actor !== null && (permission === null || permits(permission, config.backport.permission));
    if (allowed) requests.push(...requestsFromLabels([label], rules));
    else refusedLabels.push({ label, actor, permission });
  }
  const comments = await port.listComments(pull.number);
  for (const comment of comments) {
    if (comment.authorIsBot) continue;
    const command = parseBackportCommand(comment.body);
    // A command naming too many selectors was rejected when it was answered; it asks for nothing.
    if (!command || command.selectors.length === 0 || command.selectors.length > MAX_SELECTORS) continue;
    if (!permits(await permissions.get(comment.author), config.backport.permission)) continue;
    for (const selector of command.selectors) requests.push({ selector, via: `/backport by @${comment.author}` });
  }
  return { requests, comments, refusedLabels };
}

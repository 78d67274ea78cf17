/** What every shape needs besides its records: where the sandbox is served, and how to find users by login. */
import { createHash } from "node:crypto";
import type { AppRecord, Permission, RepoRecord, UserRecord } from "../state/types.js";

export type JsonObject = { [key: string]: unknown };

export interface ShapeContext {
  /** REST base, e.g. `http://127.0.0.1:4567/api/v3`. */
  apiUrl: string;
  /** Web base, e.g. `http://127.0.0.1:4567`. */
  webUrl: string;
  /** Records keep assignees and reviewers as logins; this turns them back into users when the caller knows them. */
  lookupUser?: (login: string) => UserRecord | undefined;
  /** The sandbox's App, so check runs it created can name it in full. */
  app?: AppRecord;
}

/** GitHub's legacy global node id, `base64("<len>:<Type><id>")`; deterministic so tests can predict it. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`${String(type.length).padStart(2, "0")}:${type}${id}`).toString("base64");
}

/** A stable positive id for things the records name but do not number (labels or users known only by name). */
export function derivedId(kind: string, key: string): number {
  return createHash("sha256").update(`${kind}:${key}`).digest().readUInt32BE(0) + 1;
}

export function userByLogin(ctx: ShapeContext, login: string): UserRecord {
  return ctx.lookupUser?.(login) ?? { login, id: derivedId("user", login), type: login.endsWith("[bot]") ? "Bot" : "User" };
}

export const fullName = (repo: RepoRecord): string => `${repo.owner.login}/${repo.name}`;
export const repoApiUrl = (ctx: ShapeContext, repo: RepoRecord): string => `${ctx.apiUrl}/repos/${fullName(repo)}`;
export const repoWebUrl = (ctx: ShapeContext, repo: RepoRecord): string => `${ctx.webUrl}/${fullName(repo)}`;

/** The `author_association` GitHub computes for a user in a repository; the sandbox has no org membership. */
export function authorAssociation(repo: RepoRecord, user: UserRecord): string {
  if (user.login.toLowerCase() === repo.owner.login.toLowerCase()) return "OWNER";
  const permission: Permission | undefined = repo.collaborators.get(user.login.toLowerCase());
  if (permission !== undefined && permission !== "none") return "COLLABORATOR";
  return "NONE";
}

/** The `reactions` roll-up embedded in issues and comments. */
export function reactionRollup(input: { url: string; repo: RepoRecord; subject: { kind: "issue" | "comment"; id: number } }): JsonObject {
  const counts: Record<string, number> = { "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
  let total = 0;
  for (const reaction of input.repo.reactions) {
    if (reaction.subject.kind !== input.subject.kind || reaction.subject.id !== input.subject.id) continue;
    counts[reaction.content] = (counts[reaction.content] ?? 0) + 1;
    total += 1;
  }
  return { url: `${input.url}/reactions`, total_count: total, ...counts };
}

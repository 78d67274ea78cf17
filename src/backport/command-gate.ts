/**
 * What every comment command goes through before it is acted on: answered at most once (the App's reply
 * carries the comment's marker), refused with the config's problems when the config does not validate,
 * refused politely when the person lacks the permission (asked through the API), acknowledged with 👀.
 */
import type { Log } from "../log.js";
import type { ConfigProblem } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { IsoDate, Policy } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { IssueComment } from "../github/types.js";
import type { Journal } from "../runtime/journal.js";
import { PermissionCache } from "./collect.js";
import { findOwn, ownOnly, saveComment } from "../state/records.js";
import { hasMarker } from "../state/markers.js";
import { refusalRef } from "./render-replies.js";

import { renderConfigProblems, renderRefusal } from "./render.js";
import { permits, rolesAtLeast } from "./requests.js";

export interface CommandComment {
  id: number;
  body: string;
  author: string;
}

/** What a comment command's job gets: the port, the repository's config (or its problems), the comment. */
export interface CommandInput {
  port: GitHubPort;
  config: { ok: true; config: Config; policy: Policy } | { ok: false; problems: ConfigProblem[] };
  today: IsoDate;
  defaultBranch: string;
  /** The issue or PR the comment is on. */
  number: number;
  comment: CommandComment;
  log: Pick<Log, "info" | "warn"> & Partial<Pick<Log, "debug">>;
  /** Where a backport the command starts notes its outcomes (the status page). */
  journal?: Journal;
}

export type Gate =
  | { open: true; config: Config; policy: Policy; permissions: PermissionCache; reply: (body: string) => Promise<unknown> }
  | { open: false; result: "answered-before" | "bad-config" | "refused" | "refused-quietly" };

/** A person refused on a PR is not refused again there within this window: 20 commands get one or two replies, not 20. */
export const REFUSAL_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Whether the App refused `login` on this issue within the window before `now` (GitHub's time of the comment being answered). */
function refusedRecently(port: GitHubPort, comments: IssueComment[], login: string, now: number): boolean {
  const ref = refusalRef(login);
  return ownOnly(port, comments).some((c) => hasMarker(c.body, ref.kind, ref.key) && now - Date.parse(c.createdAt) < REFUSAL_WINDOW_MS);
}

export async function passGate(input: {
  port: GitHubPort;
  /** The issue or PR the comment is on. */
  number: number;
  comment: CommandComment;
  config: { ok: true; config: Config; policy: Policy } | { ok: false; problems: ConfigProblem[] };
  log?: Partial<Pick<Log, "debug">>;
}): Promise<Gate> {
  const { port, number, comment } = input;
  const comments = await port.listComments(number);
  const ref = { kind: "reply", key: `comment-${comment.id}` };
  if (findOwn(port, comments, ref)) return { open: false, result: "answered-before" };
  const reply = (body: string) => saveComment(port, { number, ref, body, comments });
  if (!input.config.ok) {
    await reply(renderConfigProblems({ commentId: comment.id, problems: input.config.problems }));
    return { open: false, result: "bad-config" };
  }
  const config = input.config.config;
  const permissions = new PermissionCache(port);
  const permission = await permissions.get(comment.author);
  if (!permits(permission, config.backport.permission)) {
    const asked = comments.find((c) => c.id === comment.id);
    const now = asked ? Date.parse(asked.createdAt) : Date.now();
    if (refusedRecently(port, comments, comment.author, Number.isNaN(now) ? Date.now() : now)) {
      input.log?.debug?.({ number, comment: comment.id, login: comment.author }, "command from someone without permission, refused here recently: no reply");
      return { open: false, result: "refused-quietly" };
    }
    await reply(renderRefusal({ commentId: comment.id, login: comment.author, permission, required: rolesAtLeast(config.backport.permission) }));
    return { open: false, result: "refused" };
  }
  await port.addReaction({ commentId: comment.id, content: "eyes" });
  return { open: true, config, policy: input.config.policy, permissions, reply };
}

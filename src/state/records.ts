/**
 * The one find-or-create-or-edit writer for the App's records in GitHub: issues and comments that carry a
 * hidden marker (`<!-- lts-steward:<kind> <key> -->`). The rules (docs/STATE.md):
 *
 * - A record counts only when the App authored it (`port.botLogin`): look-alikes from people or other bots
 *   are never read and never edited.
 * - Found: edited only when its text (or wanted state) differs. Not found: created once. When GitHub's answer
 *   to a create is lost (5xx, dropped connection, timeout), the record is looked up by its marker before it
 *   is created again, so a write GitHub applied is not repeated.
 * - Should two records with one key exist (two replicas raced), the oldest is the record. The App checks for a
 *   twin right after it creates a record (one read): the copy that finds an older twin removes its own (a
 *   comment is deleted; an issue is closed with its marker taken out, pointing to the record) and writes to
 *   the oldest instead. Both copies agree on which is oldest, so exactly one record stays. A comment twin
 *   left behind (its copy died before it could step back) is deleted by the next save of that record.
 */
import { isAmbiguous } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue, IssueComment } from "../github/types.js";
import { fitBody, fitTitle } from "./body-limit.js";
import { hasMarker } from "./markers.js";

/** A record's marker: `{ kind: "summary", key: "pr-12" }`. */
export interface RecordKey {
  kind: string;
  key: string;
}

export type WriteAction = "created" | "updated" | "unchanged";

/** Whether `author` is the App itself. */
export const isOwn = (port: Pick<GitHubPort, "botLogin">, author: string | null | undefined): boolean =>
  typeof author === "string" && author !== "" && author.toLowerCase() === port.botLogin.toLowerCase();

const idOf = (item: { number?: number; id?: number }) => item.id ?? item.number ?? 0;

/** The App's own record with this marker among `items` (the oldest, should there be twins), or undefined. */
export function findOwn<T extends { body: string | null; author: string; number?: number; id?: number }>(
  port: Pick<GitHubPort, "botLogin">,
  items: readonly T[],
  ref: RecordKey,
): T | undefined {
  return ownWithKey(port, items, ref)[0];
}

/** The App's own records with this marker among `items`, oldest first: the record, then any twins. */
function ownWithKey<T extends { body: string | null; author: string; number?: number; id?: number }>(port: Pick<GitHubPort, "botLogin">, items: readonly T[], ref: RecordKey): T[] {
  return items.filter((item) => isOwn(port, item.author) && hasMarker(item.body, ref.kind, ref.key)).sort((a, b) => idOf(a) - idOf(b));
}

/** The App's own records among `items`: what the App may read state from. */
export const ownOnly = <T extends { author: string }>(port: Pick<GitHubPort, "botLogin">, items: readonly T[]): T[] => items.filter((i) => isOwn(port, i.author));

const ATTEMPTS = 3;

/** Creates once; when the answer is lost, finds the record by its key before creating again. */
async function createOnce<T>(create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (!isAmbiguous(error) || attempt >= ATTEMPTS) throw error;
      const found = await find();
      if (found) return found;
    }
  }
}

/** Bodies compared as GitHub keeps them: people's edits may turn line ends into CRLF. */
const sameText = (a: string | null, b: string | null): boolean => (a ?? "").replace(/\r\n/g, "\n").trimEnd() === (b ?? "").replace(/\r\n/g, "\n").trimEnd();

export interface SaveCommentInput {
  /** The issue or PR the comment is on. */
  number: number;
  ref: RecordKey;
  body: string;
  /** The issue's comments, when already read in this job. */
  comments?: IssueComment[];
}

/** Creates or edits the App's comment with this marker on an issue or PR. */
export async function saveComment(port: GitHubPort, input: SaveCommentInput): Promise<{ comment: IssueComment; action: WriteAction }> {
  // What GitHub keeps is what is compared next time: a body cut to GitHub's limit reads back unchanged.
  input = { ...input, body: fitBody(input.body) };
  let own = ownWithKey(port, input.comments ?? (await port.listComments(input.number)), input.ref);
  let created: IssueComment | null = null;
  if (own.length === 0) {
    created = await createOnce(
      () => port.createComment({ number: input.number, body: input.body }),
      async () => findOwn(port, await port.listComments(input.number), input.ref),
    );
    // Read again: another copy of the App may have created the record at the same moment.
    own = ownWithKey(port, await port.listComments(input.number), input.ref);
  }
  const [record = created!, ...twins] = own;
  // Younger twins (two copies raced; one may have died before it could step back) are removed by whoever
  // sees them; a twin already gone is no error.
  for (const twin of twins) await port.deleteComment(twin.id);
  if (created && record.id === created.id) return { comment: created, action: "created" };
  if (sameText(record.body, input.body)) return { comment: record, action: "unchanged" };
  return { comment: await port.updateComment({ id: record.id, body: input.body }), action: "updated" };
}

export interface SaveIssueInput {
  ref: RecordKey;
  title: string;
  body: string;
  /** Labels the issue is created with; the first one is how the App lists its issues. */
  labels: string[];
  assignees?: string[];
  /** Close it (a record is never reopened here). */
  close?: boolean;
  /** The record, when the caller already looked it up (null: looked up, none); undefined: look it up now. */
  found?: Issue | null;
}

/** Lists the App's issues that may hold the record: by its label, open and closed. */
const candidates = (port: GitHubPort, labels: string[]) => port.listIssues({ labels: labels.slice(0, 1), state: "all" });

/** Finds the App's issue with this marker (any state), by its label. */
export async function findOwnIssue(port: GitHubPort, options: { ref: RecordKey; label: string }): Promise<Issue | undefined> {
  return findOwn(port, await candidates(port, [options.label]), options.ref);
}

/** Creates or edits the App's issue with this marker; closes it when asked. */
export async function saveIssue(port: GitHubPort, input: SaveIssueInput): Promise<{ issue: Issue; action: WriteAction }> {
  input = { ...input, title: fitTitle(input.title), body: fitBody(input.body) };
  const found = input.found === undefined ? findOwn(port, await candidates(port, input.labels), input.ref) : (input.found ?? undefined);
  const { title, body } = input;
  if (!found) {
    let issue = await createOnce(
      () => port.createIssue({ title, body, labels: input.labels, ...(input.assignees?.length ? { assignees: input.assignees } : {}) }),
      async () => findOwn(port, await candidates(port, input.labels), input.ref),
    );
    const oldest = findOwn(port, await candidates(port, input.labels), input.ref);
    if (oldest && oldest.number !== issue.number) {
      // Another copy of the App created the record first: this one is closed as its duplicate and stops
      // counting (its marker goes), and the record gets this write.
      await port.updateIssue({ number: issue.number, state: "closed", body: `Duplicate of #${oldest.number}: two copies of lts-steward created this record at the same time.` });
      return saveIssue(port, { ...input, found: oldest });
    }
    if (input.close && issue.state === "open") issue = await port.updateIssue({ number: issue.number, state: "closed" });
    return { issue, action: "created" };
  }
  const closing = input.close === true && found.state === "open";
  if (sameText(found.body, body) && found.title === title && !closing) return { issue: found, action: "unchanged" };
  const issue = await port.updateIssue({ number: found.number, title, body, ...(closing ? { state: "closed" as const } : {}) });
  return { issue, action: "updated" };
}

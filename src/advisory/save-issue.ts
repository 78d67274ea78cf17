/**
 * Writes an advisory's tracking issue through the state layer's writer: created once, edited only when its
 * text changes, closed with a summary comment (found by its own marker, so it is posted once) when every row
 * is done, and closed at once, with no comment, when it has no row (nothing to backport or release).
 */
import type { Config } from "../config/schema.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";
import { saveComment, saveIssue } from "../state/records.js";
import { advisoryKey, advisoryDone, renderAdvisoryClosing, renderAdvisoryIssue } from "./render.js";
import type { AdvisoryTracking } from "./types.js";

export const advisoryRef = (ghsaId: string) => ({ kind: "advisory", key: advisoryKey(ghsaId) });

export async function saveAdvisoryIssue(port: GitHubPort, options: { config: Pick<Config, "tracking">; found: Issue | null | undefined; tracking: AdvisoryTracking }): Promise<Issue> {
  const { tracking } = options;
  const { title, body } = renderAdvisoryIssue(tracking);
  let { issue } = await saveIssue(port, { ref: advisoryRef(tracking.ghsaId), title, body, labels: [options.config.tracking.label], found: options.found ?? null });
  if (issue.state !== "open") return issue;
  // Nothing to track (every affected line already patched, or none affected): a record, closed at once; its
  // body says why, so no closing comment.
  if (tracking.rows.length === 0) return port.updateIssue({ number: issue.number, state: "closed" });
  if (!advisoryDone(tracking.rows)) return issue;
  // The summary first, then the close: a run that dies in between finds the comment and only closes.
  await saveComment(port, { number: issue.number, ref: { kind: "advisory-closed", key: advisoryKey(tracking.ghsaId) }, body: renderAdvisoryClosing(tracking) });
  issue = await port.updateIssue({ number: issue.number, state: "closed" });
  return issue;
}

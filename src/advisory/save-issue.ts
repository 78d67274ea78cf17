/** Writes an advisory's tracking issue: created once, edited only when its text changes, closed when every row is done. */
import type { Config } from "../config/schema.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";
import { advisoryDone, renderAdvisoryClosing, renderAdvisoryIssue } from "./render.js";
import type { AdvisoryTracking } from "./types.js";

export async function saveAdvisoryIssue(port: GitHubPort, options: { config: Config; found: Issue | undefined; tracking: AdvisoryTracking }): Promise<Issue> {
  const { found, tracking } = options;
  const { title, body } = renderAdvisoryIssue(tracking);
  const done = advisoryDone(tracking.rows);
  if (!found) {
    const created = await port.createIssue({ title, body, labels: [options.config.tracking.label] });
    if (!done) return created;
    await port.createComment({ number: created.number, body: renderAdvisoryClosing(tracking) });
    return port.updateIssue({ number: created.number, state: "closed" });
  }
  const closing = done && found.state === "open";
  if (found.body === body && found.title === title && !closing) return found;
  const updated = await port.updateIssue({ number: found.number, title, body, ...(closing ? { state: "closed" as const } : {}) });
  if (closing) await port.createComment({ number: found.number, body: renderAdvisoryClosing(tracking) });
  return updated;
}

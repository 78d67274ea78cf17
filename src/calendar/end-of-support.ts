/**
 * End-of-support notices: when a line's support ends, say so once on its open backport PRs and on the open
 * tracking issues that still have a row for it, with what the policy says. Each notice carries a marker, so
 * a second tick (or a replica) finds it and says nothing.
 */
import { readAdvisoryIssue } from "../advisory/render.js";
import { marker } from "../state/markers.js";
import { findOwn, ownOnly, saveComment } from "../state/records.js";
import { readTracking } from "../backport/render.js";
import type { Config } from "../config/schema.js";
import { addDaysTo } from "../engine/dates.js";
import type { IsoDate, ReleaseLine } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { Issue } from "../github/types.js";
import type { TickAction } from "./types.js";

/** Lines whose support ended in the last 30 days: a tick that was down for a while still catches up. */
export const recentlyEnded = (lines: ReleaseLine[], today: IsoDate) =>
  lines.filter((l) => l.status === "end-of-support" && l.endOfSupport !== null && l.endOfSupport >= addDaysTo(today, -30));

export function renderNotice(line: ReleaseLine, where: "pull" | "issue"): string {
  const what = where === "pull"
    ? "lts-steward will not backport to it any more. This PR can still be merged if the maintainers want a last patch release, or closed."
    : "Its rows here will get no more backports from lts-steward; dismiss them or finish them by hand.";
  return [
    marker("eol", line.branch),
    `\`${line.branch}\` reached its end of support on ${line.endOfSupport} (${line.endOfSupportBasis}). ${what}`,
  ].join("\n\n");
}

/** Open tracking issues (backport or advisory) with a row for `branch` that is not done. */
function tracksOpenRow(issue: Issue, branch: string): boolean {
  const backport = readTracking(issue.body);
  if (backport) return backport.rows.some((r) => r.branch === branch && !["merged", "closed", "already-on-target"].includes(r.status));
  const advisory = readAdvisoryIssue(issue.body);
  return advisory !== null && !advisory.withdrawn && advisory.rows.some((r) => r.branch === branch && r.status !== "released" && r.status !== "dismissed");
}

export async function planEndOfSupportNotices(port: GitHubPort, options: { config: Config; lines: ReleaseLine[]; today: IsoDate; trackingIssues: Issue[] }): Promise<TickAction[]> {
  const { config, today } = options;
  if (!config.automation.endOfSupportNotices) return [];
  const actions: TickAction[] = [];
  for (const line of recentlyEnded(options.lines, today)) {
    const pulls = (await port.listOpenPulls({ base: line.branch })).filter((p) => p.head.ref.startsWith(config.backport.branchPrefix));
    const issues = ownOnly(port, options.trackingIssues).filter((i) => tracksOpenRow(i, line.branch));
    for (const [number, where] of [...pulls.map((p) => [p.number, "pull"] as const), ...issues.map((i) => [i.number, "issue"] as const)]) {
      const comments = await port.listComments(number);
      const ref = { kind: "eol", key: line.branch };
      if (findOwn(port, comments, ref)) continue;
      actions.push({
        job: "end-of-support",
        description: `say on #${number} that ${line.branch} reached its end of support (${line.endOfSupport})`,
        activity: { on: today, kind: "end-of-support", subject: line.branch, detail: `notice on #${number}` },
        apply: async () => void (await saveComment(port, { number, ref, body: renderNotice(line, where) })),
      });
    }
  }
  return actions;
}

/**
 * What moves an advisory's rows after the first run: a backport PR merged or closed, and a patch release
 * that contains the backport (its tag's history contains the backport PR's merge commit).
 */
import type { Policy } from "../engine/types.js";
import type { Config } from "../config/schema.js";
import { lineKey, lineOfVersion, Naming } from "../engine/naming.js";
import type { GitHubPort } from "../github/port.js";
import { ownOnly } from "../state/records.js";
import { readAdvisoryIssue } from "./render.js";
import { saveAdvisoryIssue } from "./save-issue.js";
import type { AdvisoryRow } from "./types.js";

async function openAdvisoryIssues(port: GitHubPort, config: Config) {
  const issues = ownOnly(port, await port.listIssues({ labels: [config.tracking.label], state: "open" }));
  return issues.flatMap((issue) => {
    const tracking = readAdvisoryIssue(issue.body);
    return tracking && !tracking.withdrawn ? [{ issue, tracking }] : [];
  });
}

/** A backport PR was merged or closed: its advisory rows say so. Returns how many issues changed. */
export async function recordAdvisoryBackportClosed(port: GitHubPort, config: Config, closed: { number: number; url: string; merged: boolean }): Promise<number> {
  let changed = 0;
  for (const { issue, tracking } of await openAdvisoryIssues(port, config)) {
    const rows = tracking.rows.map((row): AdvisoryRow => {
      if (row.pull?.number !== closed.number || row.status === "released" || row.status === "dismissed") return row;
      return { ...row, status: closed.merged ? "merged" : "closed" };
    });
    if (rows.every((r, i) => r === tracking.rows[i])) continue;
    await saveAdvisoryIssue(port, { config, found: issue, tracking: { ...tracking, rows } });
    changed++;
  }
  return changed;
}

/** A conflict draft became the backport PR (its markers resolved, ready for review): its rows are open again. */
export async function recordAdvisoryBackportReady(port: GitHubPort, config: Config, ready: { number: number }): Promise<number> {
  let changed = 0;
  for (const { issue, tracking } of await openAdvisoryIssues(port, config)) {
    const rows = tracking.rows.map((row): AdvisoryRow => (row.pull?.number === ready.number && row.status === "conflict" ? { ...row, status: "open" } : row));
    if (rows.every((r, i) => r === tracking.rows[i])) continue;
    await saveAdvisoryIssue(port, { config, found: issue, tracking: { ...tracking, rows } });
    changed++;
  }
  return changed;
}

/** Whether the release tag's history contains the row's backport (or, for a fix already on the line, anything at all). */
async function releaseContains(port: GitHubPort, row: AdvisoryRow, tag: string): Promise<boolean> {
  if (row.status === "already-on-target") return true;
  if (row.status !== "merged" || !row.pull) return false;
  const pull = await port.getPull(row.pull.number);
  if (!pull.mergeCommitSha) return false;
  const comparison = await port.compare(pull.mergeCommitSha, tag);
  return comparison.status === "identical" || comparison.status === "ahead";
}

/** A release was published: rows of its line whose backport it contains are released; done issues close. */
export async function recordRelease(port: GitHubPort, options: { config: Config; policy: Policy; tag: string }): Promise<number> {
  const { config, policy, tag } = options;
  const version = new Naming(policy.granularity, policy.branchPattern, policy.tagPattern).versionOfTag(tag);
  if (!version) return 0;
  const id = lineOfVersion(version, policy.granularity);
  const line = lineKey(id, policy.granularity);
  let changed = 0;
  for (const { issue, tracking } of await openAdvisoryIssues(port, config)) {
    const rows: AdvisoryRow[] = [];
    for (const row of tracking.rows) {
      const released = row.line === line && (await releaseContains(port, row, tag));
      rows.push(released ? { ...row, status: "released", releasedIn: version } : row);
    }
    if (rows.every((r, i) => r === tracking.rows[i])) continue;
    await saveAdvisoryIssue(port, { config, found: issue, tracking: { ...tracking, rows } });
    changed++;
  }
  return changed;
}

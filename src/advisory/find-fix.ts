/**
 * Finds an advisory's fix on the default branch: commits whose message names the GHSA id (GitHub's
 * "Merge pull request from GHSA-…" merges, squash merges with the id in the title) and merged PRs whose
 * title or body names it, within the configured window before publication. A commit that came from a
 * merged PR is reported as that PR.
 */
import type { GitHubPort } from "../github/port.js";
import type { PullRequest } from "../github/types.js";
import type { AdvisoryFix } from "./types.js";

/** A commit message's first line. */
export const titleOf = (message: string) => message.split("\n", 1)[0]?.trim() ?? "";
const names = (text: string | null, ghsaId: string) => (text ?? "").toLowerCase().includes(ghsaId.toLowerCase());

const pullFix = (pull: PullRequest): AdvisoryFix => ({ kind: "pull", number: pull.number, title: pull.title, url: pull.htmlUrl });

export async function findFixes(port: GitHubPort, options: { ghsaId: string; defaultBranch: string; since: string }): Promise<AdvisoryFix[]> {
  const { ghsaId, defaultBranch, since } = options;
  const [commits, closed] = await Promise.all([
    port.listCommits({ sha: defaultBranch, since, max: 500 }),
    port.listClosedPulls({ base: defaultBranch, since }),
  ]);
  // Keyed so a PR found both ways counts once; ordered by when each landed, oldest first.
  const fixes = new Map<string, { fix: AdvisoryFix; at: string }>();
  for (const pull of closed) {
    if (pull.merged && (names(pull.title, ghsaId) || names(pull.body, ghsaId))) fixes.set(`pull-${pull.number}`, { fix: pullFix(pull), at: pull.mergedAt ?? pull.updatedAt });
  }
  for (const commit of commits.filter((c) => names(c.message, ghsaId))) {
    const pull = (await port.listPullsForCommit(commit.sha)).find((p) => p.merged && p.base.ref === defaultBranch);
    if (pull) fixes.set(`pull-${pull.number}`, { fix: pullFix(pull), at: pull.mergedAt ?? commit.date });
    else fixes.set(`commit-${commit.sha}`, { fix: { kind: "commit", sha: commit.sha, title: titleOf(commit.message) }, at: commit.date });
  }
  return [...fixes.values()].sort((a, b) => a.at.localeCompare(b.at)).map((f) => f.fix);
}

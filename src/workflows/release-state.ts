/** Live release state from GitHub → the engine's release lines on a day. */
import { computeLines } from "../engine/lines.js";
import { Naming } from "../engine/naming.js";
import type { IsoDate, Policy, ReleaseHistory, ReleaseLine } from "../engine/types.js";
import { toIsoDay } from "../engine/dates.js";
import type { GitHubPort } from "../github/port.js";

export interface ReleaseState {
  policy: Policy;
  lines: ReleaseLine[];
}

/** The fixed text before the first placeholder of a branch pattern: `release-` for `release-{major}.0.0`. */
export const branchPrefixOf = (pattern: string) => pattern.slice(0, pattern.search(/\{|$/));

/** Published, non-draft, non-prerelease releases whose tags follow the pattern, and the line branches. Two to a few reads. */
export async function readReleaseHistory(port: GitHubPort, policy: Policy): Promise<ReleaseHistory> {
  const naming = new Naming(policy.granularity, policy.branchPattern, policy.tagPattern);
  const [releases, branches] = await Promise.all([port.listReleases(), port.listBranches(branchPrefixOf(policy.branchPattern))]);
  return {
    releases: releases.flatMap((r) => {
      const version = r.draft || r.prerelease || !r.publishedAt ? null : naming.versionOfTag(r.tagName);
      return version && r.publishedAt ? [{ version, date: toIsoDay(new Date(r.publishedAt)) }] : [];
    }),
    branches: branches.map((name) => ({ name, createdAt: null })),
  };
}

export async function readReleaseState(port: GitHubPort, options: { policy: Policy; on: IsoDate }): Promise<ReleaseState> {
  const { policy } = options;
  const history = await readReleaseHistory(port, policy);
  return { policy, lines: computeLines(policy, history, options.on) };
}

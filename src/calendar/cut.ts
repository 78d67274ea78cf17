/**
 * Release-day branch cuts. On the policy's cut day (or later, if the tick missed it, until the line's
 * release), the next line's branch is created from the default branch head if it does not exist. For
 * projects that branch when they release, `X.0.0` published with no branch gets one at the release tag.
 */
import type { Config } from "../config/schema.js";
import { lineOfVersion, Naming } from "../engine/naming.js";
import type { IsoDate, Policy, ReleaseLine } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { TickAction } from "./types.js";

/** Lines whose cut day has come and whose release has not, with no branch yet. */
export function linesToCut(lines: ReleaseLine[], today: IsoDate): ReleaseLine[] {
  return lines.filter((l) => !l.branchExists && l.released === null && l.nominalCut !== null && l.nominalCut <= today && (l.nominalRelease === null || today < l.nominalRelease));
}

export function planCuts(port: GitHubPort, options: { config: Config; lines: ReleaseLine[]; today: IsoDate; defaultBranch: string }): TickAction[] {
  if (!options.config.automation.cutBranches) return [];
  return linesToCut(options.lines, options.today).map((line) => ({
    job: "cut" as const,
    description: `create branch ${line.branch} from ${options.defaultBranch} (cut day ${line.nominalCut})`,
    activity: { on: options.today, kind: "cut" as const, subject: line.branch, detail: `cut from ${options.defaultBranch}` },
    apply: async () => {
      const head = await port.getBranch(options.defaultBranch);
      if (!head) throw new Error(`the default branch ${options.defaultBranch} does not exist`);
      await port.createBranch({ branch: line.branch, sha: head.sha });
    },
  }));
}

/** `X.0.0` (or `X.Y.0` for minor lines) published and its line has no branch: the branch is created at the tag. */
export async function cutAtRelease(port: GitHubPort, options: { config: Config; policy: Policy; tag: string }): Promise<string | null> {
  if (!options.config.automation.cutBranches) return null;
  const { policy } = options;
  const naming = new Naming(policy.granularity, policy.branchPattern, policy.tagPattern);
  const version = naming.versionOfTag(options.tag);
  if (!version || !version.endsWith(".0") || (policy.granularity === "major" && !version.endsWith(".0.0"))) return null;
  const branch = naming.branchOf(lineOfVersion(version, policy.granularity));
  if (await port.getBranch(branch)) return null;
  const [tagged] = await port.listCommits({ sha: options.tag, max: 1 });
  if (!tagged) return null;
  await port.createBranch({ branch, sha: tagged.sha });
  return branch;
}

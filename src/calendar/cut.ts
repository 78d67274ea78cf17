/**
 * Release-day branch cuts. On the policy's cut day (or later, if the tick missed it, until the line's
 * release), the next line's branch is created from the default branch head if it does not exist. For
 * projects that branch when they release, `X.0.0` published with no branch gets one at the release tag.
 *
 * Projects with their own release automation (`automation.cut: { workflow, inputs }`) get that workflow
 * dispatched on the default branch instead, once per line: a dispatch recorded in a check-in, or a dispatched
 * run of the workflow since the cut day, means it was done. Either way a line is never cut while its branch
 * exists or while the line before it has not shipped its first release (two unreleased branches at once
 * would mean the previous cut went wrong).
 */
import type { Config } from "../config/schema.js";
import { firstVersion, lineOfVersion, Naming } from "../engine/naming.js";
import type { IsoDate, Policy, ReleaseLine } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { ActivityEntry, TickAction } from "./types.js";
import { fillInputs } from "../advisory/release.js";

/**
 * Lines whose cut day has come and whose release has not, with no branch yet, and whose previous line has
 * shipped its first release.
 */
export function linesToCut(lines: ReleaseLine[], today: IsoDate): ReleaseLine[] {
  return lines.filter((l, i) => {
    const due = !l.branchExists && l.released === null && l.nominalCut !== null && l.nominalCut <= today && (l.nominalRelease === null || today < l.nominalRelease);
    const previous = i > 0 ? lines[i - 1] : undefined;
    return due && (previous === undefined || previous.released !== null);
  });
}

export async function planCuts(
  port: GitHubPort,
  options: { config: Config; lines: ReleaseLine[]; today: IsoDate; defaultBranch: string; recorded?: () => Promise<ActivityEntry[]> },
): Promise<TickAction[]> {
  if (!options.config.automation.cutBranches) return [];
  const due = linesToCut(options.lines, options.today);
  const own = options.config.automation.cut;
  if (!own) {
    return due.map((line) => ({
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
  if (due.length === 0) return [];
  const recorded = (await options.recorded?.()) ?? [];
  const actions: TickAction[] = [];
  for (const line of due) {
    const cutDay = line.nominalCut!;
    if (recorded.some((e) => e.kind === "cut" && e.subject === line.branch && e.on >= cutDay)) continue;
    if (await port.hasDispatchedRun({ workflow: own.workflow, ref: options.defaultBranch, since: `${cutDay}T00:00:00Z` })) continue;
    const inputs = fillInputs(own.inputs, { version: firstVersion(line), line: line.line, branch: line.branch });
    actions.push({
      job: "cut",
      description: `dispatch ${own.workflow} on ${options.defaultBranch} to cut ${line.branch} (cut day ${cutDay})`,
      activity: { on: options.today, kind: "cut", subject: line.branch, detail: `${own.workflow} dispatched on ${options.defaultBranch}` },
      apply: () => port.dispatchWorkflow({ workflow: own.workflow, ref: options.defaultBranch, ...(Object.keys(inputs).length > 0 ? { inputs } : {}) }),
    });
  }
  return actions;
}

/** `X.0.0` (or `X.Y.0` for minor lines) published and its line has no branch: the branch is created at the tag. */
export async function cutAtRelease(port: GitHubPort, options: { config: Config; policy: Policy; tag: string }): Promise<string | null> {
  // The project's own automation cuts its branches (automation.cut): the App does not.
  if (!options.config.automation.cutBranches || options.config.automation.cut) return null;
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

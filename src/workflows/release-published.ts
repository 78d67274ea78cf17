/**
 * `release.published`: a new major changes the schedule (a line becomes current, one may end, an LTS
 * starts), so the schedule issue is refreshed; `X.0.0` with no branch yet gets its branch at the tag (for
 * projects that branch on release day); a patch release marks advisory rows released.
 */
import { recordRelease } from "../advisory/follow-up.js";
import { cutAtRelease } from "../calendar/cut.js";
import { planScheduleIssue } from "../calendar/schedule-issue.js";
import { computeLines } from "../engine/lines.js";
import { Naming } from "../engine/naming.js";
import type { JobEnv } from "../runtime/jobs.js";
import { readReleaseHistory } from "./release-state.js";

export async function releasePublished(env: JobEnv, release: { tag: string }): Promise<void> {
  const loaded = await env.config();
  if (loaded.status !== "ok") return env.skipped(loaded);
  const { config, policy } = loaded;
  const { port } = env;
  const { tag } = release;
  // A tag that names no release of a configured line (per `lines.tag`) is none of our concern: no reads, no writes.
  if (new Naming(policy.granularity, policy.branchPattern, policy.tagPattern).versionOfTag(tag) === null) {
    env.log.debug({ tag }, "release tag is not a release of a configured line: nothing done");
    return;
  }
  const cut = await cutAtRelease(port, { config, policy, tag });
  if (cut) env.log.info({ branch: cut, tag }, "branch created at the release tag");
  if (cut) env.journal?.note({ subject: `release ${tag}`, status: "done", detail: `created ${cut} at the tag` });
  const released = await recordRelease(port, { config, policy, tag });
  if (released > 0) env.journal?.note({ subject: `release ${tag}`, status: "done", detail: `advisory rows released in ${released} issue${released === 1 ? "" : "s"}` });
  const lines = computeLines(policy, await readReleaseHistory(port, policy), env.today);
  const actions = await planScheduleIssue(port, { config, lines, today: env.today });
  for (const action of actions) {
    await action.apply();
    env.journal?.note({ subject: `release ${tag}`, status: "done", detail: action.description });
  }
  if (!cut && released === 0 && actions.length === 0) env.journal?.note({ subject: `release ${tag}`, status: "unchanged", detail: "nothing to do" });
}

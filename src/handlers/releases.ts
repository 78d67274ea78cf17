/**
 * `release.published`: a new major changes the schedule (a line becomes current, one may end, an LTS
 * starts), so the schedule issue is refreshed; `X.0.0` with no branch yet gets its branch at the tag (for
 * projects that branch on release day); a patch release marks advisory rows released.
 */
import type { Context, Probot } from "probot";
import { recordRelease } from "../advisory/follow-up.js";
import { cutAtRelease } from "../calendar/cut.js";
import { planScheduleIssue } from "../calendar/schedule-issue.js";
import { toPolicy } from "../config/policy.js";
import { computeLines } from "../engine/lines.js";
import { readReleaseHistory } from "../workflows/release-state.js";
import type { Enqueue, JobEnv } from "../runtime/jobs.js";

async function onReleasePublished(env: JobEnv, context: Context<"release.published">): Promise<void> {
  const config = await env.config();
  if (config.status !== "ok") return env.skipped(config);
  const { port } = env;
  const tag = context.payload.release.tag_name;
  const cut = await cutAtRelease(port, { config: config.config, tag });
  if (cut) env.log.info({ branch: cut, tag }, "branch created at the release tag");
  await recordRelease(port, config.config, tag);
  const policy = toPolicy(config.config);
  const lines = computeLines(policy, await readReleaseHistory(port, policy), env.today);
  for (const action of await planScheduleIssue(port, { config: config.config, lines, today: env.today })) await action.apply();
}

export function registerReleaseHandlers(app: Probot, enqueue: Enqueue): void {
  app.on("release.published", (context) => {
    if (context.payload.release.draft) return;
    enqueue(context, `release ${context.payload.release.tag_name}`, (env) => onReleasePublished(env, context));
  });
}

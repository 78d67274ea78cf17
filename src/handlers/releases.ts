/** `release.published` (not drafts) → the release-published workflow. */
import type { Probot } from "probot";
import type { Enqueue } from "../runtime/jobs.js";
import { releasePublished } from "../workflows/release-published.js";

export function registerReleaseHandlers(app: Probot, enqueue: Enqueue): void {
  app.on("release.published", (context) => {
    const { release } = context.payload;
    if (release.draft) return context.log.debug({ tag: release.tag_name }, "draft release: nothing done");
    enqueue(context, `release ${release.tag_name}`, (env) => releasePublished(env, { tag: release.tag_name }), { coalesce: `release ${release.tag_name}` });
  });
}

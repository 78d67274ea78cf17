/** `release.published` (not drafts) → the release-published workflow. */
import type { Probot } from "probot";
import type { Enqueue } from "../runtime/jobs.js";

export function registerReleaseHandlers(app: Probot, enqueue: Enqueue): void {
  app.on("release.published", async (context) => {
    const { release } = context.payload;
    if (release.draft) return context.log.debug({ tag: release.tag_name }, "draft release: nothing done");
    await enqueue(context, `release ${release.tag_name}`, { workflow: "release-published", input: { tag: release.tag_name } }, { coalesce: `release ${release.tag_name}` });
  });
}

/** `installation` created: sent when the App is installed, with the repositories it was given. */
import type { AppRecord, InstallationRecord, RepoRecord, UserRecord } from "../state/types.js";
import { fullName, nodeId, type ShapeContext } from "../shapes/context.js";
import { installationJson } from "../shapes/apps.js";
import { userJson } from "../shapes/users.js";
import type { WebhookEvent } from "./payloads.js";

/**
 * Events GitHub lists for an installation that `@octokit/webhooks-schemas` does not know yet (its `events` enum
 * would reject them); they are left out of the webhook copy only.
 */
const EVENTS_UNKNOWN_TO_WEBHOOK_SCHEMA: ReadonlySet<string> = new Set(["repository_advisory", "security_advisory"]);

export function installationCreatedEvent(input: {
  ctx: ShapeContext;
  installation: InstallationRecord;
  app: AppRecord;
  repositories: RepoRecord[];
  sender: UserRecord;
}): WebhookEvent {
  const installation = installationJson(input.ctx, input.installation, input.app);
  const events = (installation["events"] as string[]).filter((event) => !EVENTS_UNKNOWN_TO_WEBHOOK_SCHEMA.has(event));
  return {
    name: "installation",
    payload: {
      action: "created",
      installation: { ...installation, events },
      repositories: input.repositories.map((repo) => ({
        id: repo.id,
        node_id: nodeId("Repository", repo.id),
        name: repo.name,
        full_name: fullName(repo),
        private: repo.private,
      })),
      sender: userJson(input.ctx, input.sender),
    },
  };
}

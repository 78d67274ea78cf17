/**
 * The webhooks GitHub sends for one change a REST call made (state/changes.ts), built by the driver from the
 * state as it is now: right after the call, before its answer goes out. Only events the App subscribes to
 * (`wants`) are built.
 */
import type { StateChange } from "../state/changes.js";
import { ensureLabel } from "../state/records.js";
import type { Store } from "../state/store.js";
import type { WebhookDriver } from "./driver.js";
import type { WebhookEvent } from "./payloads.js";

export async function eventsFor(input: {
  store: Store;
  driver: WebhookDriver;
  change: StateChange;
  wants: (event: string) => boolean;
}): Promise<WebhookEvent[]> {
  const { store, driver, change, wants } = input;
  const { repo, sender } = change;
  switch (change.kind) {
    case "opened":
    case "closed":
    case "reopened":
    case "labeled":
    case "unlabeled": {
      const issue = repo.issues.get(change.number);
      if (!issue) return [];
      const target = { repo, number: change.number, sender };
      const label = "label" in change ? ensureLabel(store, { repo, name: change.label }) : undefined;
      const labeled = (action: "labeled" | "unlabeled") => ({ ...target, action, label: label! });
      if (issue.isPull) {
        if (!wants("pull_request")) return [];
        if (change.kind === "labeled" || change.kind === "unlabeled") return [await driver.pullRequest(labeled(change.kind))];
        return [await driver.pullRequest({ ...target, action: change.kind })];
      }
      if (!wants("issues")) return [];
      if (change.kind === "labeled" || change.kind === "unlabeled") return [driver.issue(labeled(change.kind))];
      return [driver.issue({ ...target, action: change.kind })];
    }
    case "merged":
      return wants("pull_request") ? [await driver.pullRequest({ repo, number: change.number, action: "closed", sender })] : [];
    case "commented": {
      const comment = repo.comments.get(change.commentId);
      return comment && wants("issue_comment") ? [driver.issueComment({ repo, comment })] : [];
    }
    case "pushed": {
      const push = wants("push") ? [await driver.push({ repo, ref: change.ref, before: change.before, after: change.after, sender, forced: change.forced ?? false })] : [];
      // New commits on an open PR's head branch: `synchronize` for that PR.
      const branch = change.ref.startsWith("refs/heads/") && !/^0{40}$/.test(change.after) ? change.ref.slice("refs/heads/".length) : null;
      const heads = branch === null || !wants("pull_request") ? [] : [...repo.pulls.values()].filter((p) => p.headRef === branch && repo.issues.get(p.number)?.state === "open");
      const synchronized = await Promise.all(heads.map((p) => driver.pullRequest({ repo, number: p.number, action: "synchronize", before: change.before, sender })));
      return [...push, ...synchronized];
    }
    case "released": {
      const release = repo.releases.find((r) => r.id === change.releaseId);
      if (!release || !wants("release")) return [];
      // GitHub: `created` for every new release; a published one is also `published`, then `released` or `prereleased`.
      const actions = release.draft ? (["created"] as const) : (["created", "published", release.prerelease ? "prereleased" : "released"] as const);
      return actions.map((action) => driver.release({ repo, tag: release.tagName, action }));
    }
    case "advisory-published": {
      const advisory = repo.advisories.get(change.ghsaId);
      return advisory && wants("repository_advisory") ? [driver.repositoryAdvisory({ repo, advisory, action: "published" })] : [];
    }
  }
}

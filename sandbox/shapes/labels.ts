/** `label` and `milestone`. */
import type { LabelRecord, MilestoneRecord, RepoRecord } from "../state/types.js";
import { derivedId, nodeId, repoApiUrl, repoWebUrl, type JsonObject, type ShapeContext } from "./context.js";
import { userJson } from "./users.js";

export function labelJson(ctx: ShapeContext, repo: RepoRecord, label: LabelRecord): JsonObject {
  return {
    id: label.id,
    node_id: nodeId("Label", label.id),
    url: `${repoApiUrl(ctx, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description,
  };
}

/**
 * An issue's labels as objects. GitHub creates a label when one is added by name, so a name with no record
 * still shows, with a derived id and GitHub's default colour.
 */
export function issueLabelsJson(ctx: ShapeContext, repo: RepoRecord, names: readonly string[]): JsonObject[] {
  return names.map((name) =>
    labelJson(ctx, repo, repo.labels.get(name) ?? { id: derivedId(`label:${repo.id}`, name), name, color: "ededed", description: null }),
  );
}

export function milestoneJson(ctx: ShapeContext, repo: RepoRecord, milestone: MilestoneRecord): JsonObject {
  let open = 0;
  let closed = 0;
  for (const issue of repo.issues.values()) {
    if (issue.milestone !== milestone.number) continue;
    if (issue.state === "open") open += 1;
    else closed += 1;
  }
  const url = `${repoApiUrl(ctx, repo)}/milestones/${milestone.number}`;
  // Milestone records keep no author or times; the repository's owner and creation time stand in.
  return {
    url,
    html_url: `${repoWebUrl(ctx, repo)}/milestone/${milestone.number}`,
    labels_url: `${url}/labels`,
    id: milestone.id,
    node_id: nodeId("Milestone", milestone.id),
    number: milestone.number,
    state: milestone.state,
    title: milestone.title,
    description: null,
    creator: userJson(ctx, repo.owner),
    open_issues: open,
    closed_issues: closed,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    closed_at: null,
    due_on: null,
  };
}

export function milestoneByNumber(ctx: ShapeContext, repo: RepoRecord, number: number | null): JsonObject | null {
  if (number === null) return null;
  const milestone = repo.milestones.find((m) => m.number === number);
  return milestone ? milestoneJson(ctx, repo, milestone) : null;
}

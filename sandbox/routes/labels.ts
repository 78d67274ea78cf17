/** Repository labels, labels on issues and pull requests, and milestones. */
import { HttpError, notFound, unprocessable } from "../http/types.js";
import { labelJson, milestoneJson } from "../shapes/index.js";
import type { LabelRecord, MilestoneRecord, RepoRecord } from "../state/types.js";
import { actorUser, bodyOf, ok, paginate, repoOf, repoWithRole, type OperationHandler, type RouteContext } from "./context.js";
import { addLabels, DEFAULT_LABEL_COLOR, findLabel, removeLabel } from "../state/records.js";
import { issueLabelsJson, issueOf, resolveLabels } from "./issues.js";

type LabelInput = string | { name?: string };

/**
 * GitHub's OpenAPI description only allows `{ labels: [...] }`; the bare array GitHub also accepts (and
 * older clients send) is taken too, for callers that bypass the contract check.
 */
function labelInputs(body: unknown): LabelInput[] {
  if (Array.isArray(body)) return body as LabelInput[];
  const labels = (body as { labels?: unknown } | undefined)?.labels;
  if (Array.isArray(labels)) return labels as LabelInput[];
  return typeof labels === "string" ? [labels] : [];
}

/** The `{name}` path parameter, whether or not the router has already percent-decoded it. */
function nameCandidates(ctx: RouteContext): string[] {
  const raw = ctx.request.params.name ?? "";
  try {
    return [raw, decodeURIComponent(raw)];
  } catch {
    return [raw];
  }
}

function labelOrNotFound(ctx: RouteContext, repo: RepoRecord): LabelRecord {
  const label = nameCandidates(ctx).map((name) => findLabel(repo, name)).find((l) => l !== undefined);
  if (!label) throw notFound();
  return label;
}

export const labelHandlers: Record<string, OperationHandler> = {
  "issues/add-labels": (ctx) => {
    // Applying labels is a triage right on GitHub.
    const repo = repoWithRole(ctx, "triage");
    const issue = issueOf(ctx, repo);
    const added = resolveLabels(ctx, { repo, inputs: labelInputs(ctx.request.body) });
    const sender = actorUser(ctx);
    for (const label of addLabels(ctx.store, { repo, issue, names: added, actor: sender })) {
      ctx.changes.push({ kind: "labeled", repo, number: issue.number, label, sender });
    }
    return ok(issueLabelsJson(ctx, { repo, issue }));
  },

  "issues/remove-label": (ctx) => {
    const repo = repoWithRole(ctx, "triage");
    const issue = issueOf(ctx, repo);
    const wanted = nameCandidates(ctx).map((n) => n.toLowerCase());
    const name = issue.labels.find((l) => wanted.includes(l.toLowerCase()));
    if (name === undefined) throw new HttpError(404, "Label does not exist");
    removeLabel(ctx.store, { repo, issue, name, actor: actorUser(ctx) });
    ctx.changes.push({ kind: "unlabeled", repo, number: issue.number, label: name, sender: actorUser(ctx) });
    return ok(issueLabelsJson(ctx, { repo, issue }));
  },

  "issues/list-labels-on-issue": (ctx) => {
    const repo = repoOf(ctx);
    return paginate(ctx, issueLabelsJson(ctx, { repo, issue: issueOf(ctx, repo) }));
  },

  "issues/create-label": (ctx) => {
    const repo = repoOf(ctx, { write: true });
    const { name, color, description } = bodyOf<{ name: string; color?: string; description?: string }>(ctx);
    if (findLabel(repo, name)) {
      throw unprocessable("Validation Failed", [{ resource: "Label", code: "already_exists", field: "name" }]);
    }
    const label: LabelRecord = {
      id: ctx.store.nextId(),
      name,
      color: (color ?? DEFAULT_LABEL_COLOR).replace(/^#/, "").toLowerCase(),
      description: description ?? null,
    };
    repo.labels.set(label.name, label);
    return ok(labelJson(ctx.shape, repo, label), 201);
  },

  "issues/get-label": (ctx) => {
    const repo = repoOf(ctx);
    return ok(labelJson(ctx.shape, repo, labelOrNotFound(ctx, repo)));
  },

  "issues/list-labels-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    const labels = [...repo.labels.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    const page = paginate(ctx, labels);
    return { ...page, body: (page.body as LabelRecord[]).map((l) => labelJson(ctx.shape, repo, l)) };
  },

  "issues/list-milestones": (ctx) => {
    const repo = repoOf(ctx);
    const { state = "open", direction = "asc" } = ctx.request.query;
    // Milestone records carry no due dates or progress, so both sort keys fall back to the number.
    const sign = direction === "desc" ? -1 : 1;
    const milestones = repo.milestones
      .filter((m) => state === "all" || m.state === state)
      .sort((a, b) => sign * (a.number - b.number));
    const page = paginate(ctx, milestones);
    return { ...page, body: (page.body as MilestoneRecord[]).map((m) => milestoneJson(ctx.shape, repo, m)) };
  },
};

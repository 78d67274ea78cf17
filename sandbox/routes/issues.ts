/**
 * Issues (and the issue half of pull requests, which share numbers, labels and comments), plus the issue
 * lookups the comment and label routes share.
 */
import { HttpError, notFound, unprocessable } from "../http/types.js";
import { issueEventJson, issueJson, labelJson } from "../shapes/index.js";
import { addLabels, ensureLabel, setLabels, settleDeletedHeads } from "../state/records.js";
import type { IssueEventRecord, IssueRecord, RepoRecord } from "../state/types.js";
import { actorUser, bodyOf, gitOf, hasRole, intParam, ok, paginate, repoOf, type OperationHandler, type RouteContext } from "./context.js";
import { checkBodyLength } from "./limits.js";

type LabelInput = string | { name?: string };

/** Label names from the forms GitHub accepts (strings or `{ name }` objects), deduplicated, labels created as needed. */
export function resolveLabels(ctx: RouteContext, { repo, inputs }: { repo: RepoRecord; inputs: LabelInput[] }): string[] {
  const names: string[] = [];
  for (const input of inputs) {
    const name = (typeof input === "string" ? input : input.name ?? "").trim();
    if (name === "") continue;
    const label = ensureLabel(ctx.store, { repo, name });
    if (!names.some((n) => n.toLowerCase() === label.name.toLowerCase())) names.push(label.name);
  }
  return names;
}

export function issueLabelsJson(ctx: RouteContext, { repo, issue }: { repo: RepoRecord; issue: IssueRecord }): unknown[] {
  // A name without a record (seeded directly) gets one, as GitHub creates labels added by name.
  return issue.labels.map((name) => labelJson(ctx.shape, repo, ensureLabel(ctx.store, { repo, name })));
}

/** The issue (or pull request) named by the `issue_number` path parameter. */
export function issueOf(ctx: RouteContext, repo: RepoRecord): IssueRecord {
  const issue = repo.issues.get(intParam(ctx, "issue_number"));
  if (!issue) throw notFound();
  return issue;
}

/** A milestone by number (GitHub also accepts it as a numeric string); null clears it. */
function milestoneNumber(repo: RepoRecord, value: string | number | null): number | null {
  if (value === null) return null;
  const number = Number(value);
  if (!repo.milestones.some((m) => m.number === number)) {
    throw unprocessable("Validation Failed", [{ value, resource: "Issue", field: "milestone", code: "invalid" }]);
  }
  return number;
}

const titleOf = (title: string | number): string => String(title);

interface IssueFields {
  title?: string | number | null;
  body?: string | null;
  state?: "open" | "closed";
  state_reason?: "completed" | "not_planned" | "duplicate" | "reopened" | null;
  milestone?: string | number | null;
  labels?: LabelInput[];
  assignee?: string | null;
  assignees?: string[];
}

/** Assignees that exist; GitHub silently drops logins it cannot assign. */
function assigneesOf(ctx: RouteContext, fields: IssueFields): string[] | undefined {
  const logins = fields.assignees ?? (fields.assignee === undefined ? undefined : fields.assignee ? [fields.assignee] : []);
  return logins?.flatMap((login) => {
    const user = ctx.store.users.get(login.toLowerCase());
    return user ? [user.login] : [];
  });
}

async function applyState(ctx: RouteContext, { repo, issue, fields }: { repo: RepoRecord; issue: IssueRecord; fields: IssueFields }) {
  if (!fields.state || fields.state === issue.state) return;
  ctx.changes.push({ kind: fields.state === "closed" ? "closed" : "reopened", repo, number: issue.number, sender: actorUser(ctx) });
  const now = ctx.store.timestamp();
  if (fields.state === "closed") {
    issue.state = "closed";
    // The sandbox's record has no "duplicate" reason; it is the closest not-completed reason.
    issue.stateReason = fields.state_reason === "not_planned" || fields.state_reason === "duplicate" ? "not_planned" : "completed";
    issue.closedAt = now;
    issue.closedBy = actorUser(ctx);
    const pull = issue.isPull ? repo.pulls.get(issue.number) : undefined;
    // A closed pull request stops following its branch (see PullRecord.headSha).
    if (pull && !pull.merged) pull.headSha = (await gitOf(ctx, repo).readRef(`refs/heads/${pull.headRef}`)) ?? pull.headSha;
  } else {
    issue.state = "open";
    issue.stateReason = "reopened";
    issue.closedAt = null;
    issue.closedBy = null;
  }
}

type Filter = (issue: IssueRecord) => boolean;

function listFilters(ctx: RouteContext): Filter[] {
  const { state = "open", labels, creator, since, milestone, assignee } = ctx.request.query;
  const filters: Filter[] = [];
  if (state !== "all") filters.push((i) => i.state === state);
  if (labels) {
    const wanted = labels.split(",").map((l) => l.trim().toLowerCase()).filter((l) => l !== "");
    filters.push((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)));
  }
  if (creator) filters.push((i) => i.user.login.toLowerCase() === creator.toLowerCase());
  if (since) filters.push((i) => Date.parse(i.updatedAt) >= Date.parse(since));
  if (milestone === "none") filters.push((i) => i.milestone === null);
  else if (milestone === "*") filters.push((i) => i.milestone !== null);
  else if (milestone) filters.push((i) => i.milestone === Number(milestone));
  if (assignee === "none") filters.push((i) => i.assignees.length === 0);
  else if (assignee === "*") filters.push((i) => i.assignees.length > 0);
  else if (assignee) filters.push((i) => i.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase()));
  return filters;
}

function commentCount(repo: RepoRecord, number: number): number {
  let count = 0;
  for (const comment of repo.comments.values()) if (comment.issueNumber === number) count += 1;
  return count;
}

export const issueHandlers: Record<string, OperationHandler> = {
  "issues/create": (ctx) => {
    // Anyone who can read a repository may open issues; labels, assignees and milestone need push access.
    const repo = repoOf(ctx);
    const fields = bodyOf<IssueFields & { title: string | number }>(ctx);
    checkBodyLength("Issue", fields.body);
    const push = hasRole(ctx, { repo, min: "write" });
    const labels = push && fields.labels ? resolveLabels(ctx, { repo, inputs: fields.labels }) : [];
    const now = ctx.store.timestamp();
    const issue: IssueRecord = {
      id: ctx.store.nextId(),
      number: repo.nextNumber++,
      title: titleOf(fields.title),
      body: fields.body ?? null,
      user: actorUser(ctx),
      state: "open",
      stateReason: null,
      labels: [],
      assignees: (push && assigneesOf(ctx, fields)) || [],
      milestone: push && fields.milestone !== undefined ? milestoneNumber(repo, fields.milestone) : null,
      locked: false,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      isPull: false,
    };
    repo.issues.set(issue.number, issue);
    // Labels given at creation show in the issue's events as added by its author, as on GitHub.
    const added = addLabels(ctx.store, { repo, issue, names: labels, actor: issue.user });
    ctx.changes.push(
      { kind: "opened", repo, number: issue.number, sender: issue.user },
      ...added.map((label) => ({ kind: "labeled" as const, repo, number: issue.number, label, sender: issue.user })),
    );
    return ok(issueJson(ctx.shape, repo, issue), 201);
  },

  "issues/get": async (ctx) => {
    const repo = repoOf(ctx);
    await settleDeletedHeads(ctx.store, repo);
    return ok(issueJson(ctx.shape, repo, issueOf(ctx, repo)));
  },

  "issues/update": async (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const push = hasRole(ctx, { repo, min: "write" });
    const author = ctx.request.actor.kind !== "app" && ctx.request.actor.user.id === issue.user.id;
    // Authors may edit and close their own issues; everyone else needs push access (triage only labels).
    if (!push && !author) throw new HttpError(403, "Resource not accessible by personal access token");
    const fields = bodyOf<IssueFields>(ctx);
    // Refusals first, so a refused update changes nothing.
    checkBodyLength("Issue", fields.body);
    const milestone = push && fields.milestone !== undefined ? milestoneNumber(repo, fields.milestone) : issue.milestone;
    if (fields.title !== undefined && fields.title !== null) issue.title = titleOf(fields.title);
    if (fields.body !== undefined) issue.body = fields.body;
    if (push) {
      if (fields.labels) {
        const sender = actorUser(ctx);
        const { added, removed } = setLabels(ctx.store, { repo, issue, names: resolveLabels(ctx, { repo, inputs: fields.labels }), actor: sender });
        for (const label of removed) ctx.changes.push({ kind: "unlabeled", repo, number: issue.number, label, sender });
        for (const label of added) ctx.changes.push({ kind: "labeled", repo, number: issue.number, label, sender });
      }
      issue.milestone = milestone;
      issue.assignees = assigneesOf(ctx, fields) ?? issue.assignees;
    }
    await applyState(ctx, { repo, issue, fields });
    issue.updatedAt = ctx.store.timestamp();
    return ok(issueJson(ctx.shape, repo, issue));
  },

  "issues/list-for-repo": async (ctx) => {
    const repo = repoOf(ctx);
    await settleDeletedHeads(ctx.store, repo);
    const filters = listFilters(ctx);
    const { sort = "created", direction = "desc" } = ctx.request.query;
    const key = (i: IssueRecord): number =>
      sort === "comments" ? commentCount(repo, i.number) : Date.parse(sort === "updated" ? i.updatedAt : i.createdAt);
    const sign = direction === "asc" ? 1 : -1;
    const issues = [...repo.issues.values()]
      .filter((issue) => filters.every((f) => f(issue)))
      // Ties (same-second timestamps) fall back to the number, which follows creation order.
      .sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
    const page = paginate(ctx, issues);
    return { ...page, body: (page.body as IssueRecord[]).map((issue) => issueJson(ctx.shape, repo, issue)) };
  },

  /** The issue's (or PR's) events, oldest first. The sandbox records label changes (`labeled`, `unlabeled`). */
  "issues/list-events": (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const events = repo.issueEvents.filter((e) => e.issueNumber === issue.number);
    const page = paginate(ctx, events);
    return { ...page, body: (page.body as IssueEventRecord[]).map((e) => issueEventJson(ctx.shape, repo, e)) };
  },
};

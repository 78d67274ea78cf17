/**
 * Delivers webhooks built from the sandbox's current state, as GitHub would send them for what just
 * happened: each payload is checked against @octokit/webhooks-schemas, signed with the App's secret and
 * POSTed to the App's webhook URL. Every delivery is recorded.
 */
import { liveShas, settleDeletedHeads } from "../state/records.js";
import { shapeContextOf } from "../state/shape-context.js";
import type { Store } from "../state/store.js";
import type { AdvisoryRecord, CommentRecord, LabelRecord, RepoRecord, UserRecord, WorkflowRunRecord } from "../state/types.js";
import { deliverWebhook, type DeliveryResult } from "./deliver.js";
import { installationCreatedEvent } from "./installation-payload.js";
import {
  issueCommentEvent,
  issuesEvent,
  pullRequestEvent,
  releaseEvent,
  repositoryAdvisoryEvent,
  securityAdvisoryEvent,
  workflowRunEvent,
  type WebhookEvent,
} from "./payloads.js";
import { pushEvent, type PushCommit } from "./push-payload.js";

export interface DeliveryRecord extends DeliveryResult {
  event: string;
}

export interface SendOptions {
  /** Re-use an id to simulate GitHub re-delivering the same event. */
  deliveryId?: string;
  /** Send this signature instead of the right one. */
  signature?: string;
}

export class WebhookDriver {
  readonly deliveries: DeliveryRecord[] = [];

  constructor(private readonly options: { store: Store; origin: string; url: string; secret?: string }) {}

  private get base() {
    return { ctx: shapeContextOf(this.options.store, this.options.origin) };
  }

  private repoBase(repo: RepoRecord, sender: UserRecord | string) {
    const user = typeof sender === "string" ? this.options.store.user(sender) : sender;
    return { ...this.base, sender: user, installation: repo.installationId };
  }

  async send(event: WebhookEvent, options: SendOptions = {}): Promise<DeliveryRecord> {
    const result = await deliverWebhook({
      url: this.options.url,
      secret: this.options.secret ?? this.options.store.app.webhookSecret,
      name: event.name,
      payload: event.payload,
      ...options,
    });
    const action = typeof event.payload.action === "string" ? `.${event.payload.action}` : "";
    const record = { ...result, event: `${event.name}${action}` };
    this.deliveries.push(record);
    return record;
  }

  /** `pull_request` for a PR as it is now (merged PRs arrive as `closed` with `merged: true`). */
  async pullRequest(
    input:
      | { repo: RepoRecord; number: number; action: "opened" | "closed" | "reopened" | "edited" | "ready_for_review" | "converted_to_draft"; sender: string | UserRecord }
      /** `before`: the branch's previous head (the new one is read from the branch). */
      | { repo: RepoRecord; number: number; action: "synchronize"; before: string; sender: string | UserRecord }
      | { repo: RepoRecord; number: number; action: "labeled" | "unlabeled"; label: LabelRecord; sender: string | UserRecord },
  ): Promise<WebhookEvent> {
    const { repo, number } = input;
    const issue = repo.issues.get(number);
    const pull = repo.pulls.get(number);
    if (!issue || !pull) throw new Error(`no pull request #${number} in ${repo.name}`);
    // A head branch removed behind the sandbox's back closes the PR first, as every REST read would.
    await settleDeletedHeads(this.options.store, repo);
    const shas = await liveShas(this.options.store.git(repo), { issue, pull });
    const common = { ...this.repoBase(repo, input.sender), repo, issue, pull, ...shas };
    if (input.action === "labeled" || input.action === "unlabeled") return pullRequestEvent({ ...common, action: input.action, label: input.label });
    if (input.action === "synchronize") return pullRequestEvent({ ...common, action: input.action, before: input.before });
    return pullRequestEvent({ ...common, action: input.action });
  }

  /** `issues` for a plain issue as it is now. */
  issue(
    input:
      | { repo: RepoRecord; number: number; action: "opened" | "closed" | "reopened"; sender: string | UserRecord }
      | { repo: RepoRecord; number: number; action: "labeled" | "unlabeled"; label: LabelRecord; sender: string | UserRecord },
  ): WebhookEvent {
    const issue = input.repo.issues.get(input.number);
    if (!issue || issue.isPull) throw new Error(`no issue #${input.number} in ${input.repo.name}`);
    const common = { ...this.repoBase(input.repo, input.sender), repo: input.repo, issue };
    return "label" in input ? issuesEvent({ ...common, action: input.action, label: input.label }) : issuesEvent({ ...common, action: input.action });
  }

  issueComment({ repo, comment }: { repo: RepoRecord; comment: CommentRecord }): WebhookEvent {
    return issueCommentEvent({ ...this.repoBase(repo, comment.user), repo, comment, action: "created" });
  }

  /** `workflow_run.completed` for a run `scenario.completeRun` recorded. */
  workflowRun({ repo, run }: { repo: RepoRecord; run: WorkflowRunRecord }): WebhookEvent {
    return workflowRunEvent({ ...this.repoBase(repo, run.actor), repo, run });
  }

  /** `release` (default `published`) for the release with this tag. */
  release({ repo, tag, action = "published" }: { repo: RepoRecord; tag: string; action?: "published" | "created" | "released" | "prereleased" }): WebhookEvent {
    const release = repo.releases.find((r) => r.tagName === tag);
    if (!release) throw new Error(`no release ${tag} in ${repo.name}`);
    return releaseEvent({ ...this.repoBase(repo, release.author), repo, release, action });
  }

  repositoryAdvisory({ repo, advisory, action }: { repo: RepoRecord; advisory: AdvisoryRecord; action: "published" | "reported" }): WebhookEvent {
    return repositoryAdvisoryEvent({ ...this.repoBase(repo, advisory.publisher ?? advisory.author), repo, advisory, action });
  }

  securityAdvisory({ advisory, action }: { advisory: AdvisoryRecord; action: "published" | "updated" | "withdrawn" }): WebhookEvent {
    return securityAdvisoryEvent({ ...this.base, advisory, action });
  }

  /**
   * `push` of `after` onto `ref`, listing the commits `before` did not have (oldest first; at most 20). A new
   * branch lists the commits no other branch has; a new tag and a deletion list none.
   */
  async push(input: { repo: RepoRecord; ref: string; before: string; after: string; sender: string | UserRecord; forced?: boolean }): Promise<WebhookEvent> {
    const { repo, ref, before, after } = input;
    const git = this.options.store.git(repo);
    const created = /^0{40}$/.test(before);
    const deleted = /^0{40}$/.test(after);
    const others = async () => (await git.listRefs("refs/heads/")).filter((r) => r.ref !== ref).map((r) => r.sha);
    const exclude = created ? await others() : [before];
    const shas = deleted || ref.startsWith("refs/tags/") ? [] : ((await git.revList({ include: [after], exclude, max: 20 })) ?? []).reverse();
    const commits = (await Promise.all(shas.map((sha) => this.pushCommit(repo, sha)))).filter((c) => c !== null);
    const headCommit = deleted ? null : commits.at(-1) ?? (await this.pushCommit(repo, after));
    return pushEvent({ ...this.repoBase(repo, input.sender), repo, ref, before, after, commits, headCommit, forced: input.forced ?? false });
  }

  private async pushCommit(repo: RepoRecord, sha: string): Promise<PushCommit | null> {
    const git = this.options.store.git(repo);
    const commit = await git.readCommit(sha);
    if (!commit) return null;
    const files = (await git.diffFiles({ from: commit.parents[0] ?? null, to: sha, maxPatchBytes: 0 })) ?? [];
    return {
      id: sha,
      treeId: commit.tree,
      message: commit.message,
      timestamp: commit.committer.date,
      author: { name: commit.author.name, email: commit.author.email },
      committer: { name: commit.committer.name, email: commit.committer.email },
      added: files.filter((f) => f.status === "added").map((f) => f.filename),
      removed: files.filter((f) => f.status === "removed").map((f) => f.filename),
      modified: files.filter((f) => f.status !== "added" && f.status !== "removed").map((f) => f.filename),
    };
  }

  installationCreated({ account, sender }: { account: string; sender: string }): WebhookEvent {
    const store = this.options.store;
    const installation = store.installationFor(account);
    return installationCreatedEvent({
      ...this.base,
      installation,
      app: store.app,
      repositories: store.reposOf(installation.id),
      sender: store.user(sender),
    });
  }
}

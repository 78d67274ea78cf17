/**
 * Shadow mode (`mode: shadow` in a repository's config, `LTS_STEWARD_MODE=shadow` for a deployment): every
 * workflow reads live state and plans as usual, and no write reaches GitHub. A port decorator passes reads
 * through and turns each write into a recorded plan (operation, target, a summary of the body, the job that
 * planned it and why), answering with plausible values (a created issue gets a synthetic number) so that the
 * workflow carries on to its later writes. Within one job, what it "created" reads back (a synthetic commit,
 * branch, issue or PR); the next job plans again from live state. So switching to `mode: active` later acts on
 * what is still due, once: nothing was written, and every write is keyed (docs/STATE.md).
 *
 * What a shadow run cannot know: the result of a server-side merge (no conflict is ever planned) and
 * GitHub's answers to writes (numbers, shas). Plans are kept in memory per repository, bounded, and logged.
 */
import type { Log } from "../log.js";
import type { GitHubPort } from "../github/port.js";
import type { BranchHead, GitCommit, Issue, IssueComment, PullRequest } from "../github/types.js";

export type AppMode = "active" | "shadow";

export interface ShadowPlan {
  /** When it was planned (ISO 8601). */
  at: string;
  repo: string;
  /** The port call that would have been made (`createPull`, `updateIssue`, …). */
  operation: string;
  /** What it would have written to: a branch, `#12`, `comment 345`, `pull head → base`. */
  target: string;
  /** A short summary of the body: a title, the first line of a message, the fields an edit sets. */
  summary: string;
  /** The job that planned it (e.g. `pull_request.closed: backports`, `daily tick 2025-12-05`). */
  job: string;
  /** Why this write would be made. */
  reason: string;
}

/** The recorded plans, per repository, newest last; bounded in entries per repository and in repositories. */
export class ShadowLedger {
  private readonly byRepo = new Map<string, ShadowPlan[]>();

  constructor(private readonly limits: { perRepo: number; repos: number } = { perRepo: 500, repos: 200 }) {}

  record(plan: ShadowPlan): void {
    let plans = this.byRepo.get(plan.repo);
    if (!plans) {
      if (this.byRepo.size >= this.limits.repos) this.byRepo.delete(this.byRepo.keys().next().value!);
      plans = [];
      this.byRepo.set(plan.repo, plans);
    }
    plans.push(plan);
    if (plans.length > this.limits.perRepo) plans.splice(0, plans.length - this.limits.perRepo);
  }

  /** The plans recorded for `owner/repo`, oldest first. */
  plans(repo: string): ShadowPlan[] {
    return [...(this.byRepo.get(repo) ?? [])];
  }

  repositories(): string[] {
    return [...this.byRepo.keys()];
  }

  clear(repo?: string): void {
    if (repo === undefined) this.byRepo.clear();
    else this.byRepo.delete(repo);
  }
}

/** Synthetic numbers and ids start here: far above any real one in a test repository, and easy to spot. */
const SYNTHETIC_BASE = 900_000_000;

const firstLine = (text: string | null | undefined, max = 120): string => {
  const line = (text ?? "").split("\n", 1)[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

export interface ShadowPortOptions {
  port: GitHubPort;
  ledger: ShadowLedger;
  /** The job's name, recorded as the plan's job. */
  job: string;
  log: Pick<Log, "info">;
  /** Whether writes are shadowed; asked at the first write (it reads the repository's config). */
  shadowed: () => Promise<boolean>;
  now?: () => Date;
}

type Writes = Pick<GitHubPort,
  "createBlob" | "createTree" | "createCommit" | "createBranch" | "updateBranch" | "deleteBranch" | "merge" | "createPull" | "requestReviewers" | "createCheckRun"
  | "dispatchWorkflow" | "createIssue" | "updateIssue" | "createComment" | "updateComment" | "deleteComment" | "addReaction"
  | "updateAdvisoryVulnerabilities">;

/** The port, with writes shadowed when `shadowed()` says so (asked once per job). */
export function createShadowPort(options: ShadowPortOptions): GitHubPort {
  const { port, ledger, log } = options;
  const now = options.now ?? (() => new Date());
  const repo = `${port.owner}/${port.repo}`;
  let decided: Promise<boolean> | undefined;
  const isShadow = () => (decided ??= options.shadowed());
  let next = SYNTHETIC_BASE;
  const commits = new Map<string, GitCommit>();
  const branches = new Map<string, BranchHead | null>();
  const issues = new Map<number, Issue>();
  const pulls = new Map<number, PullRequest>();
  /** Comments this job "made", by issue number, so its later edits find them as they would on GitHub. */
  const comments = new Map<number, IssueComment[]>();

  const plan = (operation: string, target: string, summary: string, reason: string) => {
    const entry: ShadowPlan = { at: now().toISOString(), repo, operation, target, summary, job: options.job, reason };
    ledger.record(entry);
    log.info({ shadow: entry }, `shadow mode: would ${operation} ${target}: ${summary}`);
  };
  const stamp = () => now().toISOString();
  const syntheticSha = () => (next++).toString(16).padStart(40, "0");
  const url = (kind: string, number: number) => `https://github.com/${repo}/${kind}/${number}`;

  /** Each write: the real call when active, the recorded plan and a plausible answer in shadow mode. */
  const shadow = <K extends keyof Writes>(name: K, inShadow: (...args: Parameters<Writes[K]>) => ReturnType<Writes[K]>) =>
    (async (...args: Parameters<Writes[K]>) => {
      if (!(await isShadow())) return (port[name] as (...a: Parameters<Writes[K]>) => ReturnType<Writes[K]>)(...args);
      return inShadow(...args);
    }) as Writes[K];

  const shadowIssue = (fields: { number: number; title: string; body: string | null; labels: string[]; assignees: string[] }): Issue => ({
    ...fields, author: port.botLogin, state: "open", htmlUrl: url("issues", fields.number), isPullRequest: false, createdAt: stamp(), closedAt: null,
  });
  const shadowComment = (id: number, body: string): IssueComment => ({ id, body, author: port.botLogin, authorIsBot: true, createdAt: stamp(), htmlUrl: `https://github.com/${repo}#issuecomment-${id}` });

  const writes: Writes = {
    createBlob: shadow("createBlob", async (content) => {
      plan("createBlob", "new blob", `${content.length} bytes`, "a file of a commit the plan needs");
      return syntheticSha();
    }),
    createTree: shadow("createTree", async ({ base, edits }) => {
      plan("createTree", `tree on ${base.slice(0, 12)}`, edits.map((e) => e.path).slice(0, 5).join(", "), "the files of a commit the plan needs");
      return syntheticSha();
    }),
    createCommit: shadow("createCommit", async ({ message, tree, parents }) => {
      plan("createCommit", `commit on ${parents.map((p) => p.slice(0, 12)).join(", ")}`, firstLine(message), "a commit a branch of the plan needs");
      const commit: GitCommit = { sha: syntheticSha(), tree, parents, message, author: { name: port.botLogin, email: "", date: stamp() } };
      commits.set(commit.sha, commit);
      return commit;
    }),
    createBranch: shadow("createBranch", async ({ branch, sha }) => {
      plan("createBranch", branch, `at ${sha.slice(0, 12)}`, "the branch a backport or a line needs");
      const commit = commits.get(sha) ?? (await port.getCommit(sha).catch(() => null));
      branches.set(branch, { name: branch, sha, tree: commit?.tree ?? "" });
    }),
    updateBranch: shadow("updateBranch", async ({ branch, sha, force }) => {
      plan("updateBranch", branch, `to ${sha.slice(0, 12)}${force ? " (forced)" : ""}`, "the branch's next commit");
      const commit = commits.get(sha);
      branches.set(branch, { name: branch, sha, tree: commit?.tree ?? branches.get(branch)?.tree ?? "" });
    }),
    deleteBranch: shadow("deleteBranch", async (branch) => {
      plan("deleteBranch", branch, "delete", "a branch the plan no longer needs");
      branches.set(branch, null);
    }),
    merge: shadow("merge", async ({ base, head, message }) => {
      // The merged tree is GitHub's to compute: a synthetic one, so the plan goes on as if the pick applied.
      plan("merge", `${head.slice(0, 12)} into ${base}`, firstLine(message), "a server-side merge for a cherry-pick (conflicts are not known in shadow mode)");
      const commit: GitCommit = { sha: syntheticSha(), tree: syntheticSha(), parents: [branches.get(base)?.sha ?? "", head], message, author: { name: port.botLogin, email: "", date: stamp() } };
      commits.set(commit.sha, commit);
      branches.set(base, { name: base, sha: commit.sha, tree: commit.tree });
      return { status: "merged" as const, commit };
    }),
    createPull: shadow("createPull", async ({ title, body, head, base, draft }) => {
      plan("createPull", `${head} → ${base}`, firstLine(title), "a backport PR for a requested target");
      const number = next++;
      const pull: PullRequest = {
        number, title, body, state: "open", merged: false, mergedAt: null, mergeCommitSha: null, mergedBy: null, author: port.botLogin,
        head: { ref: head, sha: branches.get(head)?.sha ?? "" }, base: { ref: base, sha: branches.get(base)?.sha ?? "" }, labels: [], draft: draft ?? false, requestedReviewers: [],
        htmlUrl: url("pull", number), milestone: null, updatedAt: stamp(), createdAt: stamp(),
      };
      pulls.set(number, pull);
      return pull;
    }),
    requestReviewers: shadow("requestReviewers", async ({ number, reviewers }) => {
      plan("requestReviewers", `#${number}`, reviewers.join(", "), "reviewers for a backport PR");
    }),
    createCheckRun: shadow("createCheckRun", async ({ name, headSha, conclusion, title }) => {
      plan("createCheckRun", `${name} on ${headSha.slice(0, 12)}`, `${conclusion}: ${firstLine(title)}`, "the result of a config check");
    }),
    // A draft advisory is private: the plan names neither it nor what it says.
    updateAdvisoryVulnerabilities: shadow("updateAdvisoryVulnerabilities", async () => {
      plan("updateAdvisoryVulnerabilities", "a draft advisory", "patched versions suggested", "advisories.drafts: suggest");
    }),
    dispatchWorkflow: shadow("dispatchWorkflow", async ({ workflow, ref }) => {
      plan("dispatchWorkflow", `${workflow} on ${ref}`, "workflow_dispatch", "a workflow the policy runs");
    }),
    createIssue: shadow("createIssue", async ({ title, body, labels, assignees }) => {
      plan("createIssue", "new issue", firstLine(title), "a record the App keeps in an issue");
      const issue = shadowIssue({ number: next++, title, body, labels: labels ?? [], assignees: assignees ?? [] });
      issues.set(issue.number, issue);
      return issue;
    }),
    updateIssue: shadow("updateIssue", async (edit) => {
      const { number, ...fields } = edit;
      const changes = Object.entries(fields).map(([key, value]) => (key === "body" ? "body" : `${key}: ${Array.isArray(value) ? value.join(", ") : String(value)}`));
      plan("updateIssue", `#${number}`, changes.join("; "), "a record or decoration brought up to date");
      const current = issues.get(number) ?? pulls.get(number) ?? (await port.getIssue(number).catch(() => null));
      const base: Issue = current && "isPullRequest" in current
        ? current
        : shadowIssue({ number, title: current?.title ?? "", body: current?.body ?? null, labels: current?.labels ?? [], assignees: [] });
      const issue: Issue = { ...base, ...(fields.title !== undefined ? { title: fields.title } : {}), ...(fields.body !== undefined ? { body: fields.body } : {}), ...(fields.state ? { state: fields.state } : {}), ...(fields.labels ? { labels: fields.labels } : {}), ...(fields.assignees ? { assignees: fields.assignees } : {}) };
      if (issues.has(number) || number >= SYNTHETIC_BASE) issues.set(number, issue);
      return issue;
    }),
    createComment: shadow("createComment", async ({ number, body }) => {
      plan("createComment", `#${number}`, firstLine(body.replace(/<!--[\s\S]*?-->\s*/g, "")), "a comment the App keeps or answers with");
      const comment = shadowComment(next++, body);
      comments.set(number, [...(comments.get(number) ?? []), comment]);
      return comment;
    }),
    deleteComment: shadow("deleteComment", async (id) => {
      plan("deleteComment", `comment ${id}`, "delete", "a duplicate of one of the App's comments");
      for (const [number, list] of comments) comments.set(number, list.filter((c) => c.id !== id));
    }),
    updateComment: shadow("updateComment", async ({ id, body }) => {
      plan("updateComment", `comment ${id}`, firstLine(body.replace(/<!--[\s\S]*?-->\s*/g, "")), "a comment brought up to date");
      const comment = shadowComment(id, body);
      for (const [number, list] of comments) comments.set(number, list.map((c) => (c.id === id ? comment : c)));
      return comment;
    }),
    addReaction: shadow("addReaction", async ({ commentId, content }) => {
      plan("addReaction", `comment ${commentId}`, content, "an acknowledgement of a command");
    }),
  };

  // Reads pass through, except those of what this job "created" in shadow mode.
  const reads: Partial<GitHubPort> = {
    getCommit: async (sha) => commits.get(sha) ?? port.getCommit(sha),
    getBranch: async (name) => (branches.has(name) ? branches.get(name)! : port.getBranch(name)),
    getIssue: async (number) => issues.get(number) ?? port.getIssue(number),
    getPull: async (number) => pulls.get(number) ?? port.getPull(number),
    listComments: async (number) => [...(number >= SYNTHETIC_BASE ? [] : await port.listComments(number)), ...(comments.get(number) ?? [])],
    listPullsByHead: async (head) => [...(await port.listPullsByHead(head)), ...[...pulls.values()].filter((p) => p.head.ref === head)],
  };

  return new Proxy(port, {
    get(target, property, receiver) {
      if (typeof property === "string" && property in writes) return writes[property as keyof Writes];
      if (typeof property === "string" && property in reads) return reads[property as keyof GitHubPort];
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** LTS_STEWARD_MODE for a whole deployment, else the repository's `mode`. */
export function shadowedBy(options: { deployment: AppMode; repository: () => Promise<AppMode | undefined> }): () => Promise<boolean> {
  return async () => options.deployment === "shadow" || (await options.repository()) === "shadow";
}

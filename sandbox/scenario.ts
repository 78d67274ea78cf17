/**
 * What people do on GitHub, done straight on the sandbox's state (so it costs no API calls in the log):
 * push a commit to a branch, open a pull request, merge it with one of GitHub's methods, label it.
 * The App under test then sees the result through the REST API and webhooks, as it would on GitHub.
 */
import { HttpError } from "./http/types.js";
import { mergePull, type MergeMethod } from "./routes/pull-merge.js";
import { gitIdentity } from "./state/identity.js";
import { addComment, addLabels, addPull, closePullsWithDeletedHead, ensureLabel, liveShas, recordMerge, removeLabel } from "./state/records.js";
import type { Store } from "./state/store.js";
import type { AdvisoryRecord, IssueRecord, LabelRecord, ReleaseRecord, RepoRecord, UserRecord, WorkflowRunRecord } from "./state/types.js";

export interface CommitInput {
  repo: RepoRecord;
  branch: string;
  /** Where a new branch starts (a branch name or sha); ignored when the branch exists. */
  from?: string;
  message: string;
  /** Full new contents by path; null deletes the file. */
  files: Record<string, string | null>;
  author: string;
}

export class Scenario {
  constructor(private readonly store: Store) {}

  private identity(login: string) {
    return gitIdentity(this.store.user(login), this.store.timestamp());
  }

  /** Commits `files` on top of `branch` (created from `from` if missing); returns the new sha. */
  async commit(input: CommitInput): Promise<string> {
    const git = this.store.git(input.repo);
    const ref = `refs/heads/${input.branch}`;
    const current = await git.readRef(ref);
    const parent = current ?? (await git.resolveCommit(input.from ?? input.repo.defaultBranch));
    if (!parent) throw new Error(`no commit ${input.from ?? input.repo.defaultBranch} in ${input.repo.name}`);
    const baseTree = (await git.readCommit(parent))?.tree ?? null;
    const edits = await Promise.all(
      Object.entries(input.files).map(async ([path, content]) => ({
        path,
        mode: "100644" as const,
        sha: content === null ? null : await git.writeBlob(content),
      })),
    );
    const tree = await git.createTree({ base: baseTree, edits });
    if (!tree) throw new Error(`could not build the tree for ${input.branch}`);
    const identity = this.identity(input.author);
    const sha = await git.createCommit({ tree, parents: [parent], message: input.message, author: identity, committer: identity });
    if (!sha || (await git.updateRef({ ref, sha, expectedOld: current })) !== "ok") throw new Error(`could not move ${input.branch}`);
    return sha;
  }

  /** Opens a pull request from `head` into `base` (default: the default branch). */
  async openPull({ repo, head, base, title, body, author }: { repo: RepoRecord; head: string; base?: string; title: string; body?: string; author: string }) {
    const git = this.store.git(repo);
    const baseRef = base ?? repo.defaultBranch;
    const headSha = await git.readRef(`refs/heads/${head}`);
    const baseSha = await git.readRef(`refs/heads/${baseRef}`);
    if (!headSha || !baseSha) throw new Error(`no branch ${headSha ? baseRef : head} in ${repo.name}`);
    return addPull(this.store, { repo, title, body: body ?? null, author: this.store.user(author), head, headSha, base: baseRef, baseSha });
  }

  /** A fix in one step: a topic branch with one commit from the default branch, and its PR. */
  async proposeFix(input: { repo: RepoRecord; branch: string; title: string; body?: string; files: Record<string, string | null>; author: string; labels?: string[] }) {
    await this.commit({ repo: input.repo, branch: input.branch, message: input.title, files: input.files, author: input.author });
    const opened = await this.openPull({ repo: input.repo, head: input.branch, title: input.title, author: input.author, ...(input.body ? { body: input.body } : {}) });
    for (const label of input.labels ?? []) this.label({ repo: input.repo, number: opened.issue.number, label, by: input.author });
    return opened;
  }

  /** Merges the PR as GitHub's merge button does; returns the sha its base now points to. */
  async merge({ repo, number, method = "squash", by }: { repo: RepoRecord; number: number; method?: MergeMethod; by: string }): Promise<string> {
    const issue = repo.issues.get(number);
    const pull = repo.pulls.get(number);
    if (!issue || !pull || issue.state !== "open") throw new Error(`#${number} is not an open pull request`);
    const git = this.store.git(repo);
    const { headSha, baseSha } = await liveShas(git, { issue, pull });
    const commits = (await git.revList({ include: [headSha], exclude: [baseSha], reverse: true })) ?? [];
    const merger: UserRecord = this.store.user(by);
    const now = this.store.timestamp();
    try {
      const sha = await mergePull({ git, view: { repo, issue, pull, headSha, baseSha }, commits, method, merger, now });
      recordMerge({ issue, pull, sha, commits, headSha, baseSha, merger, now });
      return sha;
    } catch (error) {
      if (error instanceof HttpError) throw new Error(`cannot merge #${number}: ${error.message}`);
      throw error;
    }
  }

  /**
   * Puts a label on an issue or PR, creating the repository label if needed. `by` (default: the repository's
   * owner, an admin) is who the issue's `labeled` event names.
   */
  label({ repo, number, label, by }: { repo: RepoRecord; number: number; label: string; by?: string }): LabelRecord {
    const issue = repo.issues.get(number);
    if (!issue) throw new Error(`no issue #${number}`);
    const record = ensureLabel(this.store, { repo, name: label });
    const actor = by === undefined ? repo.owner : this.store.user(by);
    addLabels(this.store, { repo, issue, names: [record.name], actor });
    return record;
  }

  /** Takes a label off an issue or PR (an `unlabeled` event by `by`, default the owner); false when it was not there. */
  unlabel({ repo, number, label, by }: { repo: RepoRecord; number: number; label: string; by?: string }): boolean {
    const issue = repo.issues.get(number);
    if (!issue) throw new Error(`no issue #${number}`);
    return removeLabel(this.store, { repo, issue, name: label, actor: by === undefined ? repo.owner : this.store.user(by) });
  }

  /**
   * Marks a draft PR ready for review (or, with `draft: true`, converts it back), as its author does in the web
   * interface; GitHub's REST API has no call for it. Deliver `driver.pullRequest` with `ready_for_review`.
   */
  setDraft({ repo, number, draft }: { repo: RepoRecord; number: number; draft: boolean }): void {
    const pull = repo.pulls.get(number);
    const issue = repo.issues.get(number);
    if (!pull || !issue || issue.state !== "open") throw new Error(`#${number} is not an open pull request`);
    pull.draft = draft;
    issue.updatedAt = this.store.timestamp();
  }

  /** Deletes a branch as a person would; open PRs whose head it is close (not merged), as on GitHub. */
  async deleteBranch({ repo, branch, by }: { repo: RepoRecord; branch: string; by: string }): Promise<void> {
    const git = this.store.git(repo);
    const ref = `refs/heads/${branch}`;
    const sha = await git.readRef(ref);
    if (!sha || !(await git.deleteRef(ref))) throw new Error(`no branch ${branch} in ${repo.name}`);
    await closePullsWithDeletedHead(this.store, { repo, branch, sha, by: this.store.user(by) });
  }

  /** An issue opened by a person (no labels, no assignees). */
  openIssue({ repo, title, body, author }: { repo: RepoRecord; title: string; body?: string; author: string }): IssueRecord {
    const now = this.store.timestamp();
    const issue: IssueRecord = {
      id: this.store.nextId(), number: repo.nextNumber++, title, body: body ?? null, user: this.store.user(author), state: "open", stateReason: null,
      labels: [], assignees: [], milestone: null, locked: false, createdAt: now, updatedAt: now, closedAt: null, closedBy: null, isPull: false,
    };
    repo.issues.set(issue.number, issue);
    return issue;
  }

  /** A comment by a person on an issue or PR. */
  comment({ repo, number, body, author }: { repo: RepoRecord; number: number; body: string; author: string }) {
    const issue = repo.issues.get(number);
    if (!issue) throw new Error(`no issue #${number}`);
    return addComment(this.store, { repo, issue, body, user: this.store.user(author) });
  }

  /** Publishes a release; the tag is created at `target` (default: the default branch head) if missing. */
  async release({ repo, tag, target, by, prerelease = false }: { repo: RepoRecord; tag: string; target?: string; by: string; prerelease?: boolean }): Promise<ReleaseRecord> {
    const git = this.store.git(repo);
    if (!(await git.readRef(`refs/tags/${tag}`))) {
      const sha = await git.resolveCommit(target ?? repo.defaultBranch);
      if (!sha || (await git.updateRef({ ref: `refs/tags/${tag}`, sha, expectedOld: null })) !== "ok") throw new Error(`cannot tag ${tag}`);
    }
    const now = this.store.timestamp();
    const release: ReleaseRecord = {
      id: this.store.nextId(), tagName: tag, targetCommitish: target ?? repo.defaultBranch, name: tag, body: null, draft: false,
      prerelease, author: this.store.user(by), createdAt: now, publishedAt: now,
    };
    repo.releases.push(release);
    return release;
  }

  /**
   * A CI run of `workflow` (`main.yml`) on the tip of `branch` that has finished with `conclusion`, as a push
   * would have started it; deliver it with `driver.workflowRun`.
   */
  async completeRun({ repo, workflow, branch, conclusion, by }: { repo: RepoRecord; workflow: string; branch: string; conclusion: string; by: string }): Promise<WorkflowRunRecord> {
    const git = this.store.git(repo);
    const sha = await git.readRef(`refs/heads/${branch}`);
    const commit = sha && (await git.readCommit(sha));
    if (!sha || !commit) throw new Error(`no branch ${branch} in ${repo.name}`);
    const path = workflow.startsWith(".github/") ? workflow : `.github/workflows/${workflow}`;
    const run: WorkflowRunRecord = {
      id: this.store.nextRunId(),
      runNumber: repo.workflowRuns.filter((r) => r.path === path).length + 1,
      path, headBranch: branch, headSha: sha,
      headCommit: {
        treeId: commit.tree, message: commit.message, timestamp: commit.committer.date,
        author: { name: commit.author.name, email: commit.author.email }, committer: { name: commit.committer.name, email: commit.committer.email },
      },
      event: "push", status: "completed", conclusion, createdAt: this.store.timestamp(), actor: this.store.user(by),
    };
    repo.workflowRuns.push(run);
    return run;
  }

  /** Creates or updates a repository security advisory (state `triage` is a private report). */
  advisory(input: { repo: RepoRecord; ghsaId: string; state: AdvisoryRecord["state"]; summary: string; cveId?: string; severity?: AdvisoryRecord["severity"]; vulnerabilities: { name: string; ecosystem?: string; vulnerable: string; patched?: string }[]; by: string }): AdvisoryRecord {
    const now = this.store.timestamp();
    const existing = input.repo.advisories.get(input.ghsaId);
    const advisory: AdvisoryRecord = {
      ghsaId: input.ghsaId,
      cveId: input.cveId ?? null,
      summary: input.summary,
      description: existing?.description ?? `${input.summary}.`,
      severity: input.severity ?? "high",
      state: input.state,
      vulnerabilities: input.vulnerabilities.map((v) => ({
        package: { ecosystem: v.ecosystem ?? "rust", name: v.name },
        vulnerableVersionRange: v.vulnerable,
        patchedVersions: v.patched ?? null,
        vulnerableFunctions: [],
      })),
      author: existing?.author ?? this.store.user(input.by),
      publisher: input.state === "published" ? this.store.user(input.by) : null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      publishedAt: input.state === "published" ? (existing?.publishedAt ?? now) : null,
      closedAt: null,
      withdrawnAt: input.state === "withdrawn" ? now : null,
    };
    input.repo.advisories.set(advisory.ghsaId, advisory);
    return advisory;
  }
}

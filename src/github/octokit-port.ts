/**
 * The GitHub port over Octokit: works with Probot's `context.octokit` and with `@octokit/rest`'s `Octokit`
 * (only their `request` function is used). Every call goes through `withRetry`; writes also go through the
 * installation's `WritePacer` lane, inside the retry, so every attempt is paced. Responses are mapped into
 * our shapes (octokit-shapes.ts) and failures into `GitHubError`s (octokit-errors.ts).
 */
import type { Log } from "../log.js";
import { fromAdvisory, type RawAdvisory } from "./advisory-shapes.js";
import { GitHubError, isAmbiguous, isGitHubError } from "./errors.js";
import {
  filePaths, fromComment, fromComparison, fromGitCommit, fromIssue, fromMilestone, fromPermission, fromPull, fromRelease, fromRepoCommit, toSummary,
  type RawComment, type RawComparison, type RawContent, type RawGitCommit, type RawIssue, type RawMilestone, type RawPermission, type RawPull,
  type RawRelease, type RawRepoCommit,
} from "./octokit-shapes.js";
import type { WritePacer } from "./pacer.js";
import type { GitHubPort } from "./port.js";
import type { PullRequest } from "./types.js";
import { realSleep, retryDelay, withRetry, type RetryPolicy } from "./retry.js";

export interface OctokitResponseLike {
  status: number;
  headers: Record<string, unknown>;
  data: unknown;
}

/** What we need of an Octokit instance: `request("GET /route/{param}", params)`. */
export interface OctokitLike {
  request(route: string, parameters?: Record<string, unknown>): Promise<OctokitResponseLike>;
}

export interface OctokitPortOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  installationId: number;
  /** The App's own login, `<slug>[bot]`. */
  botLogin: string;
  pacer: WritePacer;
  retry: RetryPolicy;
  /** How long one request may take before it counts as failed (ambiguous, for a write). */
  timeoutMs?: number;
  log?: Pick<Log, "debug" | "warn">;
  /** The clock for dispatch look-ups (tests). */
  now?: () => number;
}

/** GitHub answers almost every call within seconds; a request with no answer after this long has failed. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

type Params = Record<string, unknown>;

const PER_PAGE = 100;
const DEFAULT_MAX_COMMITS = 300;
const hasNextPage = (headers: Record<string, unknown>): boolean => /rel="next"/.test(String(headers.link ?? ""));
const isWriteRoute = (route: string): boolean => !/^(GET|HEAD)\s/i.test(route);

export function createOctokitPort(options: OctokitPortOptions): GitHubPort {
  const { octokit, owner, repo, installationId, pacer, retry, log } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const now = options.now ?? Date.now;

  /** One attempt, abandoned after `timeoutMs`: a request that never answers must not hold a repository's queue. */
  async function send(route: string, params: Params): Promise<OctokitResponseLike> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await octokit.request(route, { owner, repo, ...params, request: { signal } });
    } catch (error) {
      if (signal.aborted) throw new GitHubError({ code: "network", status: null, operation: route, message: `no answer within ${timeoutMs} ms` });
      throw error;
    }
  }

  /**
   * One REST call: retried when transient; a write is paced per installation on every attempt. With
   * `once`, a write whose fate is unknown (5xx, dropped, timed out) is not sent again here: the caller
   * looks its record up by key first (exactly-once, docs/STATE.md). Rate limits are still retried.
   */
  async function call(route: string, params: Params = {}, callOptions: { once?: boolean } = {}): Promise<OctokitResponseLike> {
    const attempt = isWriteRoute(route) ? () => pacer.schedule(installationId, () => send(route, params)) : () => send(route, params);
    const response = await withRetry(attempt, {
      policy: retry,
      operation: route,
      ...(callOptions.once ? { retryable: (error: GitHubError) => !error.ambiguous } : {}),
      onRetry: ({ attempt: retryNumber, delayMs, error }) =>
        log?.warn({ operation: route, retry: retryNumber, delayMs, code: error.code, status: error.status }, `retrying GitHub request: ${error.message}`),
    });
    log?.debug({ operation: route, status: response.status }, "GitHub request");
    return response;
  }

  const data = async <T>(route: string, params?: Params): Promise<T> => (await call(route, params)).data as T;

  /**
   * A create GitHub does not make idempotent, with its key: sent once; when its fate is unknown, the record
   * is looked up by that key and, if GitHub applied it, taken as done; otherwise sent again (bounded).
   */
  async function createKeyed(route: string, params: Params, find: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await call(route, params, { once: true });
        return;
      } catch (error) {
        if (!isAmbiguous(error) || attempt >= retry.retries) throw error;
        log?.warn({ operation: route, code: error.code }, "write may have been applied: looking it up before sending it again");
        if (await find()) return;
        await (retry.sleep ?? realSleep)(retryDelay(retry, { attempt, error }));
      }
    }
  }

  /** Every page of a list (per_page 100), or the first `max` items. */
  async function pages<T>(route: string, params: Params = {}, max = Number.POSITIVE_INFINITY): Promise<T[]> {
    const items: T[] = [];
    const perPage = Math.min(PER_PAGE, Math.max(1, max));
    for (let page = 1; items.length < max; page++) {
      const response = await call(route, { ...params, per_page: perPage, page });
      const batch = Array.isArray(response.data) ? (response.data as T[]) : [];
      items.push(...batch);
      if (batch.length === 0 || !hasNextPage(response.headers)) break;
    }
    return items.slice(0, max);
  }

  /** A read whose 404 means "absent". */
  async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (isGitHubError(error, "not-found")) return null;
      throw error;
    }
  }

  return {
    owner,
    repo,
    botLogin: options.botLogin,

    async getDefaultBranch() {
      return (await data<{ default_branch: string }>("GET /repos/{owner}/{repo}")).default_branch;
    },

    async getBranch(name) {
      const branch = await orNull(() => data<{ name: string; commit: RawRepoCommit }>("GET /repos/{owner}/{repo}/branches/{branch}", { branch: name }));
      return branch ? { name: branch.name, sha: branch.commit.sha, tree: branch.commit.commit.tree.sha } : null;
    },

    async listBranches(prefix) {
      const refs = await data<{ ref: string }[]>("GET /repos/{owner}/{repo}/git/matching-refs/{ref}", { ref: `heads/${prefix}` });
      return refs.map((r) => r.ref.replace(/^refs\/heads\//, ""));
    },

    async getCommit(sha) {
      return fromGitCommit(await data<RawGitCommit>("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { commit_sha: sha }));
    },

    async getCommitFiles(sha) {
      return filePaths((await data<RawRepoCommit>("GET /repos/{owner}/{repo}/commits/{ref}", { ref: sha })).files);
    },

    async getCommitRenames(sha) {
      const files = (await data<RawRepoCommit>("GET /repos/{owner}/{repo}/commits/{ref}", { ref: sha })).files ?? [];
      return Object.fromEntries(files.flatMap((f) => (f.previous_filename ? [[f.filename, f.previous_filename]] : [])));
    },

    async compare(base, head) {
      return fromComparison(await data<RawComparison>("GET /repos/{owner}/{repo}/compare/{basehead}", { basehead: `${base}...${head}` }));
    },

    async listCommits({ sha, path, since, max = DEFAULT_MAX_COMMITS }) {
      const params: Params = { sha, ...(path !== undefined ? { path } : {}), ...(since !== undefined ? { since } : {}) };
      return (await pages<RawRepoCommit>("GET /repos/{owner}/{repo}/commits", params, max)).map(toSummary);
    },

    async listReleases() {
      return (await pages<RawRelease>("GET /repos/{owner}/{repo}/releases")).map(fromRelease);
    },

    async getFileText({ path, ref }) {
      const params: Params = { path, ...(ref !== undefined ? { ref } : {}) };
      const content = await orNull(() => data<RawContent | unknown[]>("GET /repos/{owner}/{repo}/contents/{path}", params));
      // A directory (an array), a symlink or a submodule is not a file's text.
      if (content === null || Array.isArray(content) || content.type !== "file") return null;
      if (content.encoding === "base64") return Buffer.from(content.content ?? "", "base64").toString("utf8");
      // Files over 1 MB come without content (encoding "none"): ask for the raw bytes.
      return data<string>("GET /repos/{owner}/{repo}/contents/{path}", { ...params, mediaType: { format: "raw" } });
    },

    async getPermission(login) {
      const raw = await orNull(() => data<RawPermission>("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { username: login }));
      return raw ? fromPermission(raw) : "none";
    },

    async getTree(sha) {
      const raw = await data<{ tree: { path: string; mode: string; type: string; sha: string; size?: number }[] }>("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { tree_sha: sha });
      return raw.tree.flatMap((e) =>
        e.type === "blob" || e.type === "tree" || e.type === "commit" ? [{ name: e.path, mode: e.mode, type: e.type, sha: e.sha, size: e.size ?? null }] : []);
    },

    async getBlob(sha) {
      const raw = await data<{ content: string; encoding: string }>("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { file_sha: sha });
      return Buffer.from(raw.content, raw.encoding === "base64" ? "base64" : "utf8");
    },

    async createBlob(content) {
      return (await data<{ sha: string }>("POST /repos/{owner}/{repo}/git/blobs", { content: content.toString("base64"), encoding: "base64" })).sha;
    },

    async createTree({ base, edits }) {
      const tree = edits.map((e) => ({ path: e.path, mode: e.mode, type: e.mode === "040000" ? "tree" : e.mode === "160000" ? "commit" : "blob", sha: e.sha }));
      return (await data<{ sha: string }>("POST /repos/{owner}/{repo}/git/trees", { base_tree: base, tree })).sha;
    },

    async createCommit({ message, tree, parents }) {
      // No author or committer: GitHub then records the App and signs the commit.
      return fromGitCommit(await data<RawGitCommit>("POST /repos/{owner}/{repo}/git/commits", { message, tree, parents }));
    },

    async createBranch({ branch, sha }) {
      await call("POST /repos/{owner}/{repo}/git/refs", { ref: `refs/heads/${branch}`, sha });
    },

    async updateBranch({ branch, sha, force }) {
      await call("PATCH /repos/{owner}/{repo}/git/refs/{ref}", { ref: `heads/${branch}`, sha, force });
    },

    async deleteBranch(branch) {
      try {
        await call("DELETE /repos/{owner}/{repo}/git/refs/{ref}", { ref: `heads/${branch}` });
      } catch (error) {
        // Already gone: done.
        if (isGitHubError(error, "not-found")) return;
        if (isGitHubError(error, "invalid") && /Reference does not exist/i.test(error.message)) return;
        throw error;
      }
    },

    async merge({ base, head, message }) {
      const response = await call("POST /repos/{owner}/{repo}/merges", { base, head, commit_message: message });
      if (response.status === 204) return { status: "nothing-to-merge" };
      return { status: "merged", commit: fromRepoCommit(response.data as RawRepoCommit) };
    },

    async getPull(number) {
      return fromPull(await data<RawPull>("GET /repos/{owner}/{repo}/pulls/{pull_number}", { pull_number: number }));
    },

    async listPullsByHead(head) {
      return (await pages<RawPull>("GET /repos/{owner}/{repo}/pulls", { state: "all", head: `${owner}:${head}` })).map(fromPull);
    },

    async listPullsForCommit(sha) {
      return (await pages<RawPull>("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", { commit_sha: sha })).map(fromPull);
    },

    async listClosedPulls({ base, since, max = 300 }) {
      const found: PullRequest[] = [];
      for (let page = 1; found.length < max; page++) {
        const params = { state: "closed", base, sort: "updated", direction: "desc", per_page: PER_PAGE, page };
        const response = await call("GET /repos/{owner}/{repo}/pulls", params);
        const batch = (response.data as RawPull[]).map(fromPull);
        found.push(...batch.filter((p) => p.updatedAt >= since));
        if (batch.length < PER_PAGE || batch.some((p) => p.updatedAt < since) || !hasNextPage(response.headers)) break;
      }
      return found.slice(0, max);
    },

    async listPullsCreatedSince(since) {
      const found: PullRequest[] = [];
      for (let page = 1; page <= 10; page++) {
        const response = await call("GET /repos/{owner}/{repo}/pulls", { state: "all", sort: "created", direction: "desc", per_page: PER_PAGE, page });
        const batch = (response.data as RawPull[]).map(fromPull);
        found.push(...batch.filter((p) => p.createdAt >= since));
        if (batch.length < PER_PAGE || batch.some((p) => p.createdAt < since) || !hasNextPage(response.headers)) break;
      }
      return found;
    },

    async listOpenPulls({ base }) {
      return (await pages<RawPull>("GET /repos/{owner}/{repo}/pulls", { state: "open", ...(base ? { base } : {}) })).map(fromPull);
    },

    async listPullFiles(number) {
      const files = await pages<{ filename: string; previous_filename?: string }>("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { pull_number: number });
      return [...new Set(files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename])))];
    },

    async createCheckRun({ name, headSha, conclusion, title, summary, text }) {
      // Keyed by check name and head sha: a run GitHub created before losing the answer is found, not repeated.
      const params = {
        name, head_sha: headSha, status: "completed", conclusion, completed_at: new Date(now()).toISOString(),
        output: { title, summary, ...(text ? { text } : {}) },
      };
      await createKeyed("POST /repos/{owner}/{repo}/check-runs", params, async () => {
        const found = await data<{ check_runs: { name: string }[] }>("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ref: headSha, check_name: name, filter: "latest" });
        return found.check_runs.some((r) => r.name === name);
      });
    },

    async hasDispatchedRun({ workflow, ref, since }) {
      const runs = await data<{ workflow_runs: unknown[] }>("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", {
        workflow_id: workflow, branch: ref, event: "workflow_dispatch", created: `>=${since}`, per_page: 1,
      });
      return runs.workflow_runs.length > 0;
    },

    async dispatchWorkflow({ workflow, ref, inputs }) {
      // Keyed by workflow, branch and time: a dispatch GitHub accepted before losing the answer shows as a run created since.
      const since = new Date(now() - 5_000).toISOString().replace(/\.\d{3}Z$/, "Z");
      const params = { workflow_id: workflow, ref, ...(inputs ? { inputs } : {}) };
      await createKeyed("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", params, async () => {
        const runs = await data<{ workflow_runs: unknown[] }>("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", {
          workflow_id: workflow, branch: ref, event: "workflow_dispatch", created: `>=${since}`, per_page: 1,
        });
        return runs.workflow_runs.length > 0;
      });
    },

    async getRepositoryAdvisory(ghsaId) {
      return orNull(async () => fromAdvisory(await data<RawAdvisory>("GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}", { ghsa_id: ghsaId })));
    },

    async listPublishedAdvisories() {
      const raw = await data<RawAdvisory[]>("GET /repos/{owner}/{repo}/security-advisories", { state: "published", sort: "published", direction: "desc", per_page: 100 });
      return raw.map(fromAdvisory);
    },

    async listDraftAdvisories() {
      const raw = await data<RawAdvisory[]>("GET /repos/{owner}/{repo}/security-advisories", { state: "draft", sort: "updated", direction: "desc", per_page: 100 });
      return raw.map(fromAdvisory);
    },

    async updateAdvisoryVulnerabilities({ ghsaId, vulnerabilities }) {
      // Idempotent (the same list again changes nothing), so retried like any edit.
      await call("PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}", {
        ghsa_id: ghsaId,
        vulnerabilities: vulnerabilities.map((v) => ({
          package: { ecosystem: v.package.ecosystem, name: v.package.name },
          vulnerable_version_range: v.vulnerableRange,
          patched_versions: v.patched,
          vulnerable_functions: v.functions ?? [],
        })),
      });
    },

    async listPullCommits(number) {
      return (await pages<RawRepoCommit>("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", { pull_number: number })).map(fromRepoCommit);
    },

    async createPull({ title, body, head, base, draft }) {
      const params: Params = { title, body, head, base, ...(draft !== undefined ? { draft } : {}) };
      return fromPull(await data<RawPull>("POST /repos/{owner}/{repo}/pulls", params));
    },

    async requestReviewers({ number, reviewers }) {
      await call("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", { pull_number: number, reviewers });
    },

    async getIssue(number) {
      return fromIssue(await data<RawIssue>("GET /repos/{owner}/{repo}/issues/{issue_number}", { issue_number: number }));
    },

    async listIssues({ labels, state }) {
      const params: Params = { state, ...(labels.length > 0 ? { labels: labels.join(",") } : {}) };
      const issues = await pages<RawIssue>("GET /repos/{owner}/{repo}/issues", params);
      return issues.filter((issue) => issue.pull_request === undefined || issue.pull_request === null).map(fromIssue);
    },

    async createIssue({ title, body, labels, assignees }) {
      const params: Params = { title, body, ...(labels !== undefined ? { labels } : {}), ...(assignees !== undefined ? { assignees } : {}) };
      // Not idempotent: sent once; the state layer looks a lost create up by its marker (src/state/records.ts).
      return fromIssue((await call("POST /repos/{owner}/{repo}/issues", params, { once: true })).data as RawIssue);
    },

    async updateIssue({ number, ...fields }) {
      // Only the fields given: an absent field stays as it is on GitHub (`milestone: null` clears it).
      const params: Params = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      return fromIssue(await data<RawIssue>("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { issue_number: number, ...params }));
    },

    async listComments(number) {
      return (await pages<RawComment>("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { issue_number: number })).map(fromComment);
    },

    async createComment({ number, body }) {
      // Not idempotent: sent once; the state layer looks a lost create up by its marker (src/state/records.ts).
      return fromComment((await call("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { issue_number: number, body }, { once: true })).data as RawComment);
    },

    async updateComment({ id, body }) {
      return fromComment(await data<RawComment>("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { comment_id: id, body }));
    },

    async deleteComment(id) {
      try {
        await call("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", { comment_id: id });
      } catch (error) {
        if (!isGitHubError(error, "not-found")) throw error;
      }
    },

    async listLabelEvents(number) {
      const events = await pages<{ event: string; label?: { name: string } | null; actor?: { login: string } | null; created_at: string }>(
        "GET /repos/{owner}/{repo}/issues/{issue_number}/events", { issue_number: number }, 1000,
      );
      return events.flatMap((e) =>
        (e.event === "labeled" || e.event === "unlabeled") && e.label
          ? [{ action: e.event, label: e.label.name, actor: e.actor?.login ?? "", createdAt: e.created_at }]
          : []);
    },

    async addReaction({ commentId, content }) {
      await call("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { comment_id: commentId, content });
    },

    async listMilestones() {
      return (await pages<RawMilestone>("GET /repos/{owner}/{repo}/milestones", { state: "all" })).map(fromMilestone);
    },
  };
}

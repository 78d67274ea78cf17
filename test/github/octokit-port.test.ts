/**
 * The Octokit adapter of the GitHub port against the sandbox (a Wasmtime-like repository through
 * 2025-10-10), as the App's installation: reads, git writes and merges, pull requests, issues and
 * comments, faults retried or not, and writes paced per installation. Waits are a few milliseconds.
 */
import type { Octokit } from "@octokit/rest";
import type { ProbotOctokit } from "probot";
import { GitHubError } from "../../src/github/errors.js";
import { createOctokitPort, type OctokitLike } from "../../src/github/octokit-port.js";
import { WritePacer } from "../../src/github/pacer.js";
import type { GitHubPort } from "../../src/github/port.js";
import type { RetryPolicy } from "../../src/github/retry.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { WasmtimeLike } from "../../sandbox/seed/wasmtime-like.js";
import type { RepoRecord } from "../../sandbox/state/types.js";

/** Probot's `context.octokit` fits the port as well as `@octokit/rest` does (checked by the type checker). */
export const probotClientFits = (client: InstanceType<typeof ProbotOctokit>): OctokitLike => client;

const RETRY: RetryPolicy = { retries: 4, baseDelayMs: 1, maxDelayMs: 5 };

let sandbox: Sandbox;
let repo: RepoRecord;
let history: WasmtimeLike;
let octokit: Octokit;
let pacer: WritePacer;
let port: GitHubPort;
/** Every request the port made, with its parameters. */
const sent: { route: string; params: Record<string, unknown> }[] = [];

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo, history } = await sandbox.seedWasmtime({ through: "2025-10-10" }));
  octokit = await sandbox.client({ installationOf: repo.owner.login });
  const recording: OctokitLike = {
    request: (route, params = {}) => {
      sent.push({ route, params });
      return octokit.request(route, params);
    },
  };
  pacer = new WritePacer({ intervalMs: 0 });
  port = createOctokitPort({ octokit: recording, owner: repo.owner.login, repo: repo.name, installationId: repo.installationId, botLogin: "lts-steward[bot]", pacer, retry: RETRY });
});

afterAll(async () => {
  await sandbox?.stop();
});

afterEach(() => {
  sandbox.faults.clear();
  sandbox.assertNoViolations();
});

const statuses = (mark: number, operationId: string) => sandbox.log.since(mark).filter((c) => c.operationId === operationId).map((c) => c.status);
const bot = () => sandbox.store.app.bot.login;

/** A tree holding `files` on top of `from`, made on a scratch branch (the port has no tree API, as the App needs none). */
async function treeWith(from: string, files: Record<string, string>): Promise<string> {
  const branch = `scratch/${Math.random().toString(36).slice(2)}`;
  const sha = await sandbox.scenario.commit({ repo, branch, from, message: "scratch", files, author: WASMTIME_PEOPLE.committer });
  return (await port.getCommit(sha)).tree;
}

describe("reads", () => {
  test("a release branch, its commit, files and history", async () => {
    expect(await port.getDefaultBranch()).toBe("main");
    const branch = await port.getBranch("release-37.0.0");
    expect(branch).toMatchObject({ name: "release-37.0.0", sha: expect.stringMatching(/^[0-9a-f]{40}$/), tree: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const commit = await port.getCommit(branch!.sha);
    expect(commit.tree).toBe(branch!.tree);
    expect(commit.parents.length).toBeGreaterThan(0);
    expect(commit.author).toMatchObject({ name: expect.any(String), email: expect.any(String), date: expect.any(String) });
    expect(await port.getBranch("release-99.0.0")).toBeNull();

    const lines = await port.listBranches("release-");
    expect(lines).toEqual(expect.arrayContaining(history.branches));
    expect(lines.every((name) => name.startsWith("release-"))).toBe(true);
    expect(lines).toHaveLength(history.lines.length);

    const files = await port.getCommitFiles(branch!.sha);
    expect(files.length).toBeGreaterThan(0);
    const cargo = await port.getFileText({ path: "Cargo.toml", ref: "release-37.0.0" });
    expect(cargo).toContain("[workspace");
    expect(await port.getFileText({ path: "no/such/file.txt" })).toBeNull();
    expect(await port.getFileText({ path: "crates" })).toBeNull();
  });

  test("compare, commits by path (paged up to max), releases (every page)", async () => {
    const comparison = await port.compare("release-36.0.0", "release-37.0.0");
    expect(comparison.status).toBe("diverged");
    expect(comparison.commits.length).toBeGreaterThan(0);
    expect(comparison.files.length).toBeGreaterThan(0);
    expect(comparison.mergeBase.sha).toMatch(/^[0-9a-f]{40}$/);

    const mark = sandbox.log.mark();
    const commits = await port.listCommits({ sha: "main", max: 150 });
    expect(commits).toHaveLength(150);
    expect(new Set(commits.map((c) => c.sha)).size).toBe(150);
    expect(statuses(mark, "repos/list-commits")).toEqual([200, 200]);
    // Newest first, by committer date.
    expect(commits[0]!.date >= commits[149]!.date).toBe(true);

    const touching = await port.listCommits({ sha: "main", path: "crates/runtime/src/memory.rs", since: "2025-01-01T00:00:00Z" });
    expect(touching.length).toBeGreaterThan(0);
    expect(touching.every((c) => c.date >= "2025-01-01")).toBe(true);

    const releases = await port.listReleases();
    expect(releases.map((r) => r.tagName).sort()).toEqual(history.releases.map((r) => r.tagName).sort());
    expect(releases.every((r) => r.publishedAt !== null && !r.draft)).toBe(true);
  });

  test("permissions: the role for built-in roles, none for an unknown login", async () => {
    expect(await port.getPermission(WASMTIME_PEOPLE.maintainer)).toBe("maintain");
    expect(await port.getPermission(WASMTIME_PEOPLE.committer)).toBe("write");
    expect(await port.getPermission(WASMTIME_PEOPLE.triager)).toBe("triage");
    expect(await port.getPermission(WASMTIME_PEOPLE.outsider)).toBe("read");
    expect(await port.getPermission("nobody-we-know")).toBe("none");
  });
});

describe("git writes", () => {
  let base: string;
  let shared: string;
  let ours: string;
  let theirs: string;

  beforeAll(async () => {
    base = (await port.getBranch("main"))!.sha;
    // A shared parent adding a line, and two children changing that line differently.
    const sharedTree = await treeWith(base, { "NOTES.md": "the line\n" });
    shared = (await port.createCommit({ message: "Add notes", tree: sharedTree, parents: [base] })).sha;
    const oursTree = await treeWith(shared, { "NOTES.md": "our line\n" });
    const theirsTree = await treeWith(shared, { "NOTES.md": "their line\n" });
    ours = (await port.createCommit({ message: "Ours", tree: oursTree, parents: [shared] })).sha;
    theirs = (await port.createCommit({ message: "Theirs", tree: theirsTree, parents: [shared] })).sha;
  });

  test("a commit is created from message, tree and parents only, so GitHub authors and signs it", async () => {
    const tree = await treeWith(base, { "signed.txt": "signed\n" });
    const created = await port.createCommit({ message: "Signed by GitHub", tree, parents: [base] });
    expect(created).toMatchObject({ tree, parents: [base], message: "Signed by GitHub" });
    expect(await port.getCommit(created.sha)).toEqual(created);
    const request = sent.filter((s) => s.route === "POST /repos/{owner}/{repo}/git/commits").at(-1)!;
    expect(Object.keys(request.params).filter((k) => k !== "request").sort()).toEqual(["message", "owner", "parents", "repo", "tree"]);
  });

  test("blobs and trees: bytes round-trip, a tree edited by path (put, remove, nested), one level read; removing a missing file is refused", async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x0a, 0x41, 0x0d, 0x0a]);
    const blob = await port.createBlob(bytes);
    expect(await port.getBlob(blob)).toEqual(bytes);
    const text = await port.createBlob(Buffer.from("x".repeat(200) + "\n"));
    expect((await port.getBlob(text)).toString()).toBe("x".repeat(200) + "\n");
    const root = (await port.getCommit(shared)).tree;
    const tree = await port.createTree({ base: root, edits: [{ path: "NOTES.md", mode: "100644", sha: null }, { path: "deep/dir/bin.dat", mode: "100755", sha: blob }] });
    const entries = await port.getTree(tree);
    expect(entries.find((e) => e.name === "NOTES.md")).toBeUndefined();
    const deep = entries.find((e) => e.name === "deep");
    expect(deep).toMatchObject({ type: "tree", mode: "040000", size: null });
    const [dir] = await port.getTree(deep!.sha);
    expect(await port.getTree(dir!.sha)).toEqual([{ name: "bin.dat", mode: "100755", type: "blob", sha: blob, size: 6 }]);
    await expect(port.createTree({ base: tree, edits: [{ path: "NOTES.md", mode: "100644", sha: null }] })).rejects.toMatchObject({ code: "invalid" });
  });

  test("branches: create, already-exists, fast-forward, refuse a non-fast-forward unless forced, delete twice", async () => {
    await port.createBranch({ branch: "steward/ff", sha: shared });
    expect((await port.getBranch("steward/ff"))!.sha).toBe(shared);
    const again = port.createBranch({ branch: "steward/ff", sha: shared });
    await expect(again).rejects.toBeInstanceOf(GitHubError);
    await expect(again).rejects.toMatchObject({ code: "already-exists", status: 422 });

    await port.updateBranch({ branch: "steward/ff", sha: ours, force: false });
    expect((await port.getBranch("steward/ff"))!.sha).toBe(ours);
    await expect(port.updateBranch({ branch: "steward/ff", sha: theirs, force: false })).rejects.toMatchObject({ code: "invalid", status: 422 });
    await port.updateBranch({ branch: "steward/ff", sha: theirs, force: true });
    expect((await port.getBranch("steward/ff"))!.sha).toBe(theirs);
    expect(await port.listBranches("steward/")).toContain("steward/ff");

    await port.deleteBranch("steward/ff");
    expect(await port.getBranch("steward/ff")).toBeNull();
    await expect(port.deleteBranch("steward/ff")).resolves.toBeUndefined();
  });

  test("merge: 201 with the merge commit, 204 when already merged, a real 409 conflict (not retried)", async () => {
    await port.createBranch({ branch: "steward/merge", sha: ours });
    const otherTree = await treeWith(shared, { "OTHER.md": "elsewhere\n" });
    const other = await port.createCommit({ message: "Elsewhere", tree: otherTree, parents: [shared] });

    const merged = await port.merge({ base: "steward/merge", head: other.sha, message: "Merge elsewhere" });
    expect(merged.status).toBe("merged");
    if (merged.status !== "merged") throw new Error("unreachable");
    expect(merged.commit).toMatchObject({ parents: [ours, other.sha], message: "Merge elsewhere", tree: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(merged.commit.author.name).not.toBe("");
    expect((await port.getBranch("steward/merge"))!).toMatchObject({ sha: merged.commit.sha, tree: merged.commit.tree });

    expect(await port.merge({ base: "steward/merge", head: shared, message: "Nothing" })).toEqual({ status: "nothing-to-merge" });

    const mark = sandbox.log.mark();
    const conflict = port.merge({ base: "steward/merge", head: theirs, message: "Conflicts" });
    await expect(conflict).rejects.toBeInstanceOf(GitHubError);
    await expect(conflict).rejects.toMatchObject({ code: "conflict", status: 409 });
    expect(statuses(mark, "repos/merge")).toEqual([409]);
    // Nothing moved.
    expect((await port.getBranch("steward/merge"))!.sha).toBe(merged.commit.sha);
  });
});

describe("faults", () => {
  test("a 502 on git/create-commit is retried to success, and each attempt is paced", async () => {
    const tree = (await port.getBranch("main"))!.tree;
    const parent = (await port.getBranch("main"))!.sha;
    sandbox.faults.add({ kind: "502", match: "git/create-commit", times: 1 });
    const mark = sandbox.log.mark();
    const writesBefore = pacer.writes(repo.installationId);
    const commit = await port.createCommit({ message: "After a 502", tree, parents: [parent] });
    expect(commit.message).toBe("After a 502");
    expect(statuses(mark, "git/create-commit")).toEqual([502, 201]);
    expect(pacer.writes(repo.installationId) - writesBefore).toBe(2);
  });

  test("a secondary rate limit is waited out (retry-after, capped by the policy) and retried", async () => {
    const main = (await port.getBranch("main"))!.sha;
    sandbox.faults.add({ kind: "secondary-rate-limit", match: "git/create-ref", times: 2, retryAfter: 30 });
    const mark = sandbox.log.mark();
    await port.createBranch({ branch: "steward/limited", sha: main });
    expect(statuses(mark, "git/create-ref")).toEqual([403, 403, 201]);
    expect((await port.getBranch("steward/limited"))!.sha).toBe(main);
  });

  test("a dropped connection on a read is a network failure, retried", async () => {
    sandbox.faults.add({ kind: "drop", match: "repos/get-branch", times: 1 });
    const mark = sandbox.log.mark();
    expect(await port.getBranch("main")).not.toBeNull();
    expect(statuses(mark, "repos/get-branch")).toEqual([0, 200]);
  });

  test("a 422 is invalid and not retried", async () => {
    const parent = (await port.getBranch("main"))!.sha;
    const mark = sandbox.log.mark();
    const refused = port.createCommit({ message: "No such tree", tree: "0".repeat(40), parents: [parent] });
    await expect(refused).rejects.toBeInstanceOf(GitHubError);
    await expect(refused).rejects.toMatchObject({ code: "invalid", status: 422, operation: "POST /repos/{owner}/{repo}/git/commits" });
    expect(statuses(mark, "git/create-commit")).toEqual([422]);
  });

  test("a 5xx that persists is given up after the policy's retries", async () => {
    sandbox.faults.add({ kind: "500", match: "repos/get" });
    const mark = sandbox.log.mark();
    await expect(port.getDefaultBranch()).rejects.toMatchObject({ code: "server-error", status: 500 });
    expect(statuses(mark, "repos/get")).toEqual([500, 500, 500, 500, 500]);
  });

  test("an injected 'Reference already exists' is already-exists", async () => {
    sandbox.faults.add({ kind: "ref-exists", match: "git/create-ref", times: 1 });
    const main = (await port.getBranch("main"))!.sha;
    await expect(port.createBranch({ branch: "steward/never", sha: main })).rejects.toMatchObject({ code: "already-exists" });
    expect(await port.getBranch("steward/never")).toBeNull();
  });
});

describe("pull requests", () => {
  test("create, duplicate, list by head, commits oldest first, reviewers; a merged PR maps merged and mergedBy", async () => {
    const main = (await port.getBranch("main"))!;
    const tree = await treeWith(main.sha, { "PR.md": "one\n" });
    const first = await port.createCommit({ message: "First", tree, parents: [main.sha] });
    const tree2 = await treeWith(first.sha, { "PR.md": "two\n" });
    const second = await port.createCommit({ message: "Second", tree: tree2, parents: [first.sha] });
    await port.createBranch({ branch: "steward/pr", sha: second.sha });

    const pull = await port.createPull({ title: "[release-37.0.0] Backport", body: "Backport body", head: "steward/pr", base: "main" });
    expect(pull).toMatchObject({
      title: "[release-37.0.0] Backport", body: "Backport body", state: "open", merged: false, mergedAt: null, mergedBy: null,
      author: bot(), head: { ref: "steward/pr", sha: second.sha }, base: { ref: "main", sha: main.sha }, labels: [], milestone: null,
    });
    await expect(port.createPull({ title: "Again", body: "", head: "steward/pr", base: "main" })).rejects.toMatchObject({ code: "already-exists", status: 422 });

    expect((await port.listPullsByHead("steward/pr")).map((p) => p.number)).toEqual([pull.number]);
    expect(await port.listPullsByHead("steward/none")).toEqual([]);
    expect((await port.listPullCommits(pull.number)).map((c) => [c.sha, c.message, c.parents])).toEqual([
      [first.sha, "First", [main.sha]],
      [second.sha, "Second", [first.sha]],
    ]);
    await port.requestReviewers({ number: pull.number, reviewers: [WASMTIME_PEOPLE.maintainer] });
    expect(repo.pulls.get(pull.number)!.requestedReviewers).toEqual([WASMTIME_PEOPLE.maintainer]);
    expect(await port.getPull(pull.number)).toMatchObject({ number: pull.number, htmlUrl: pull.htmlUrl });

    const fix = await sandbox.scenario.proposeFix({ repo, branch: "fix/merged", title: "A fix", files: { "FIX.md": "fixed\n" }, author: WASMTIME_PEOPLE.committer, labels: ["bug"] });
    const mergeSha = await sandbox.scenario.merge({ repo, number: fix.issue.number, by: WASMTIME_PEOPLE.maintainer });
    expect(await port.getPull(fix.issue.number)).toMatchObject({
      state: "closed", merged: true, mergedAt: expect.any(String), mergeCommitSha: mergeSha, mergedBy: WASMTIME_PEOPLE.maintainer,
      author: WASMTIME_PEOPLE.committer, labels: ["bug"],
    });
    const [listed] = await port.listPullsByHead("fix/merged");
    expect(listed).toMatchObject({ merged: true, mergeCommitSha: mergeSha });
  });
});

describe("issues and comments", () => {
  test("create, list by labels (PRs left out), update only what is given, milestones", async () => {
    repo.milestones.push({ id: sandbox.store.nextId(), number: 1, title: "38.0.0", state: "open" });
    const issue = await port.createIssue({ title: "Backport tracking", body: "Tracking", labels: ["security"], assignees: [WASMTIME_PEOPLE.maintainer] });
    expect(issue).toMatchObject({ title: "Backport tracking", body: "Tracking", state: "open", labels: ["security"], assignees: [WASMTIME_PEOPLE.maintainer], isPullRequest: false });
    const fix = await sandbox.scenario.proposeFix({ repo, branch: "fix/labelled", title: "Labelled fix", files: { "LABEL.md": "x\n" }, author: WASMTIME_PEOPLE.committer, labels: ["security"] });

    const listed = await port.listIssues({ labels: ["security"], state: "open" });
    expect(listed.map((i) => i.number)).toContain(issue.number);
    expect(listed.map((i) => i.number)).not.toContain(fix.issue.number);
    expect(await port.listIssues({ labels: ["security", "bug"], state: "all" })).toEqual([]);
    expect((await port.getIssue(fix.issue.number)).isPullRequest).toBe(true);

    const mark = sent.length;
    const closed = await port.updateIssue({ number: issue.number, state: "closed", milestone: 1 });
    expect(closed).toMatchObject({ title: "Backport tracking", body: "Tracking", state: "closed", labels: ["security"] });
    expect(Object.keys(sent[mark]!.params).filter((k) => k !== "request").sort()).toEqual(["issue_number", "milestone", "owner", "repo", "state"]);
    await port.updateIssue({ number: issue.number, milestone: null, labels: ["bug"] });
    expect(repo.issues.get(issue.number)).toMatchObject({ milestone: null, labels: ["bug"], state: "closed" });
    expect(await port.listIssues({ labels: ["security"], state: "closed" })).toEqual([]);

    expect(await port.listMilestones()).toEqual([{ number: 1, title: "38.0.0", state: "open" }]);
  });

  test("comments: the App's are bots', people's are not; update, reaction", async () => {
    const issue = await port.createIssue({ title: "Comments", body: "" });
    sandbox.scenario.comment({ repo, number: issue.number, body: "/backport release-37.0.0", author: WASMTIME_PEOPLE.maintainer });
    const reply = await port.createComment({ number: issue.number, body: "On it" });
    expect(reply).toMatchObject({ body: "On it", author: bot(), authorIsBot: true });
    const edited = await port.updateComment({ id: reply.id, body: "Done" });
    expect(edited).toMatchObject({ id: reply.id, body: "Done" });
    const comments = await port.listComments(issue.number);
    expect(comments.map((c) => [c.author, c.authorIsBot, c.body])).toEqual([
      [WASMTIME_PEOPLE.maintainer, false, "/backport release-37.0.0"],
      [bot(), true, "Done"],
    ]);
    await port.addReaction({ commentId: comments[0]!.id, content: "eyes" });
    expect(repo.reactions.filter((r) => r.subject.id === comments[0]!.id).map((r) => r.content)).toEqual(["eyes"]);
  });

  test("listComments reads every page", async () => {
    const issue = await port.createIssue({ title: "Many comments", body: "" });
    for (let i = 0; i < 105; i++) sandbox.scenario.comment({ repo, number: issue.number, body: `#${i}`, author: WASMTIME_PEOPLE.outsider });
    const mark = sandbox.log.mark();
    const comments = await port.listComments(issue.number);
    expect(comments).toHaveLength(105);
    expect(comments.at(-1)!.body).toBe("#104");
    expect(statuses(mark, "issues/list-comments")).toEqual([200, 200]);
  });
});

describe("pacing per installation", () => {
  test("one installation's writes run in the order they were asked for; another installation has its own lane", async () => {
    const { repo: other } = await sandbox.seedRepository({
      owner: "acme",
      name: "widget",
      script: [{ commit: { branch: "main", label: "root", message: "Initial commit", files: { "README.md": "widget\n" }, date: "2025-01-02" } }],
    });
    expect(other.installationId).not.toBe(repo.installationId);
    const otherPort = createOctokitPort({
      octokit: await sandbox.client({ installationOf: "acme" }), owner: "acme", repo: "widget", installationId: other.installationId, botLogin: "lts-steward[bot]", pacer, retry: RETRY,
    });
    const issue = await port.createIssue({ title: "Paced", body: "" });
    const otherIssue = await otherPort.createIssue({ title: "Paced elsewhere", body: "" });
    const before = { ours: pacer.writes(repo.installationId), theirs: pacer.writes(other.installationId) };

    await Promise.all([
      ...["1", "2", "3", "4", "5"].map((body) => port.createComment({ number: issue.number, body })),
      ...["a", "b", "c"].map((body) => otherPort.createComment({ number: otherIssue.number, body })),
    ]);
    expect((await port.listComments(issue.number)).map((c) => c.body)).toEqual(["1", "2", "3", "4", "5"]);
    expect((await otherPort.listComments(otherIssue.number)).map((c) => c.body)).toEqual(["a", "b", "c"]);
    expect(pacer.writes(repo.installationId) - before.ours).toBe(5);
    expect(pacer.writes(other.installationId) - before.theirs).toBe(3);
  });
});

/**
 * What the App needs to look up after a lost answer or a restart, over HTTP and checked against GitHub's
 * OpenAPI description: check runs by ref, the runs a workflow dispatch queued, who labelled an issue; and
 * GitHub's rules that the App has to live with: 65,536-character bodies, a PR closes when its head branch is
 * deleted, reviewers show on the PR, issues filter by creator, comments can be deleted.
 */
import type { Octokit } from "@octokit/rest";
import { parseDateQualifier } from "../../sandbox/routes/date-qualifier.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";

const owner = "acme";
const name = "widget";
let clock = new Date("2025-06-01T12:00:00Z");
let sandbox: Sandbox;
let repo: RepoRecord;
let octokit: Octokit;
/** The first commit; `release-1` and `v1.0.0` stay there while `main` moves on. */
let root: string;

/** Moves the sandbox's clock on; returns the new time as GitHub writes it. */
const tick = (seconds = 60): string => {
  clock = new Date(clock.getTime() + seconds * 1000);
  return stamp();
};
const stamp = (): string => clock.toISOString().replace(/\.\d{3}Z$/, "Z");

beforeAll(async () => {
  sandbox = await Sandbox.start({ now: () => clock });
  ({ repo } = await sandbox.seedRepository({
    owner,
    name,
    collaborators: { maya: "maintain", rita: "read", tom: "triage" },
    script: [
      { commit: { branch: "main", label: "root", message: "Initial commit", files: { "README.md": "widget\n" }, date: "2025-01-02" } },
      { branch: { name: "release-1", from: "root" } },
      { tag: { name: "v1.0.0", at: "root", date: "2025-01-03" } },
    ],
    workflows: ["ci.yml", "release.yml"],
  }));
  root = (await sandbox.store.git(repo).readRef("refs/heads/main"))!;
  octokit = await sandbox.client({ installationOf: owner });
});

afterAll(async () => {
  await sandbox.stop();
});

afterEach(() => {
  sandbox.faults.clear();
  sandbox.assertNoViolations();
});

let topics = 0;
async function openPull(author = "maya"): Promise<{ number: number; branch: string }> {
  topics += 1;
  const branch = `topic-${topics}`;
  await sandbox.scenario.commit({ repo, branch, message: `topic ${topics}`, files: { [`t${topics}.txt`]: `${topics}\n` }, author });
  const { issue } = await sandbox.scenario.openPull({ repo, head: branch, title: `Topic ${topics}`, author });
  return { number: issue.number, branch };
}

describe("GitHub's 65,536-character limit on bodies", () => {
  const atLimit = "x".repeat(65_536);
  const tooLong = `${atLimit}y`;
  const issueError = { resource: "Issue", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" };
  const pullError = { resource: "PullRequest", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" };
  const commentError = { resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" };
  const refused = (errors: unknown) => ({ status: 422, response: { data: { message: "Validation Failed", errors: [errors] } } });

  test("issues and comments: 422 Validation Failed past the limit, nothing changes; the limit itself is fine", async () => {
    const before = repo.issues.size;
    await expect(octokit.issues.create({ owner, repo: name, title: "Too long", body: tooLong })).rejects.toMatchObject(refused(issueError));
    expect(repo.issues.size).toBe(before);
    const issue = (await octokit.issues.create({ owner, repo: name, title: "At the limit", body: atLimit })).data;
    expect(issue.body).toHaveLength(65_536);

    await expect(octokit.issues.update({ owner, repo: name, issue_number: issue.number, body: tooLong, title: "renamed" })).rejects.toMatchObject(refused(issueError));
    expect(repo.issues.get(issue.number)).toMatchObject({ title: "At the limit", body: atLimit });

    await expect(octokit.issues.createComment({ owner, repo: name, issue_number: issue.number, body: tooLong })).rejects.toMatchObject(refused(commentError));
    const comment = (await octokit.issues.createComment({ owner, repo: name, issue_number: issue.number, body: "short" })).data;
    await expect(octokit.issues.updateComment({ owner, repo: name, comment_id: comment.id, body: tooLong })).rejects.toMatchObject(refused(commentError));
    expect(repo.comments.get(comment.id)?.body).toBe("short");
    // Characters, not UTF-16 units: 65,536 emoji fit.
    expect((await octokit.issues.updateComment({ owner, repo: name, comment_id: comment.id, body: "🦀".repeat(65_536) })).status).toBe(200);
  });

  test("pull requests: create and update refuse a body past the limit", async () => {
    await sandbox.scenario.commit({ repo, branch: "long-body", message: "long", files: { "long.txt": "l\n" }, author: "maya" });
    await expect(octokit.pulls.create({ owner, repo: name, head: "long-body", base: "main", title: "Long", body: tooLong })).rejects.toMatchObject(refused(pullError));
    expect([...repo.pulls.values()].some((p) => p.headRef === "long-body")).toBe(false);
    const pull = (await octokit.pulls.create({ owner, repo: name, head: "long-body", base: "main", title: "Long", body: atLimit })).data;
    await expect(octokit.pulls.update({ owner, repo: name, pull_number: pull.number, body: tooLong, base: "release-1" })).rejects.toMatchObject(refused(pullError));
    expect(repo.pulls.get(pull.number)?.baseRef).toBe("main");
  });
});

describe("deleting a PR's head branch closes the PR", () => {
  test("through git/delete-ref: closed, not merged, closed by whoever deleted it, keeping its last head", async () => {
    const { number, branch } = await openPull();
    const head = (await octokit.git.getRef({ owner, repo: name, ref: `heads/${branch}` })).data.object.sha;
    const deletedAt = tick();
    await octokit.git.deleteRef({ owner, repo: name, ref: `heads/${branch}` });
    const pull = (await octokit.pulls.get({ owner, repo: name, pull_number: number })).data;
    expect(pull).toMatchObject({ state: "closed", merged: false, merged_at: null, closed_at: deletedAt, head: { ref: branch, sha: head } });
    const issue = (await octokit.issues.get({ owner, repo: name, issue_number: number })).data;
    expect(issue).toMatchObject({ state: "closed", closed_by: { login: `${sandbox.store.app.slug}[bot]` } });
    expect((await octokit.pulls.list({ owner, repo: name, head: `${owner}:${branch}` })).data).toEqual([]);
  });

  test("a merged PR stays merged, other PRs stay open", async () => {
    const merged = await openPull();
    await sandbox.scenario.merge({ repo, number: merged.number, by: "maya" });
    const other = await openPull();
    await octokit.git.deleteRef({ owner, repo: name, ref: `heads/${merged.branch}` });
    expect((await octokit.pulls.get({ owner, repo: name, pull_number: merged.number })).data).toMatchObject({ state: "closed", merged: true });
    expect((await octokit.pulls.get({ owner, repo: name, pull_number: other.number })).data.state).toBe("open");
  });

  test("by a person (scenario) or behind the sandbox's back (git itself); the webhook says closed, not merged", async () => {
    const byPerson = await openPull();
    await sandbox.scenario.deleteBranch({ repo, branch: byPerson.branch, by: "maya" });
    expect(repo.issues.get(byPerson.number)).toMatchObject({ state: "closed", closedBy: { login: "maya" } });

    const byGit = await openPull();
    await sandbox.store.git(repo).deleteRef(`refs/heads/${byGit.branch}`);
    const listed = await octokit.pulls.list({ owner, repo: name, state: "closed", per_page: 100 });
    expect(listed.data.find((p) => p.number === byGit.number)).toMatchObject({ state: "closed", merged_at: null });

    const driver = sandbox.webhooks("http://127.0.0.1:9/unused");
    const event = await driver.pullRequest({ repo, number: byPerson.number, action: "closed", sender: "maya" });
    expect(event.payload).toMatchObject({ action: "closed", pull_request: { state: "closed", merged: false } });
  });
});

describe("check runs for a ref", () => {
  test("by sha, branch or tag; check_name, status and filter=latest|all; paginated", async () => {
    const create = async (checkName: string, status?: "queued" | "completed") =>
      (await octokit.checks.create({ owner, repo: name, name: checkName, head_sha: root, ...(status === "completed" ? { conclusion: "success" } : {}) })).data.id;
    const first = await create("lts-steward");
    const second = await create("lts-steward", "completed");
    const other = await create("other-check");
    const names = (data: { check_runs: { id: number }[] }) => data.check_runs.map((r) => r.id);

    const latest = await octokit.checks.listForRef({ owner, repo: name, ref: root });
    expect(latest.data.total_count).toBe(2);
    expect(names(latest.data)).toEqual([other, second]);
    expect(names((await octokit.checks.listForRef({ owner, repo: name, ref: "release-1", filter: "all" })).data)).toEqual([other, second, first]);
    expect(names((await octokit.checks.listForRef({ owner, repo: name, ref: "v1.0.0", check_name: "lts-steward", filter: "all" })).data)).toEqual([second, first]);
    expect(names((await octokit.checks.listForRef({ owner, repo: name, ref: "heads/release-1", status: "queued" })).data)).toEqual([other]);
    expect((await octokit.checks.listForRef({ owner, repo: name, ref: root, check_name: "nope" })).data).toEqual({ total_count: 0, check_runs: [] });

    const page = await octokit.checks.listForRef({ owner, repo: name, ref: root, filter: "all", per_page: 2 });
    expect(page.data.total_count).toBe(3);
    expect(page.data.check_runs).toHaveLength(2);
    expect(page.headers.link).toContain('rel="next"');
    await expect(octokit.checks.listForRef({ owner, repo: name, ref: "no-such-branch" })).rejects.toMatchObject({ status: 422 });
  });
});

describe("workflow runs", () => {
  test("every dispatch queues a run that lists with branch, event and created filters; dispatch records stay as they were", async () => {
    const dispatchesBefore = repo.dispatches.length;
    const firstAt = tick();
    const main = await sandbox.store.git(repo).readRef("refs/heads/main");
    await octokit.actions.createWorkflowDispatch({ owner, repo: name, workflow_id: "ci.yml", ref: "main" });
    const since = tick(3600);
    await octokit.actions.createWorkflowDispatch({ owner, repo: name, workflow_id: "ci.yml", ref: "release-1", inputs: { why: "weekly" } });
    await octokit.actions.createWorkflowDispatch({ owner, repo: name, workflow_id: "release.yml", ref: "v1.0.0" });
    expect(repo.dispatches.slice(dispatchesBefore).map((d) => [d.workflowId, d.ref])).toEqual([["ci.yml", "main"], ["ci.yml", "release-1"], ["release.yml", "v1.0.0"]]);

    const all = (await octokit.actions.listWorkflowRuns({ owner, repo: name, workflow_id: "ci.yml" })).data;
    expect(all.total_count).toBe(2);
    expect(all.workflow_runs.map((r) => [r.head_branch, r.event, r.status, r.run_number, r.path])).toEqual([
      ["release-1", "workflow_dispatch", "queued", 2, ".github/workflows/ci.yml"],
      ["main", "workflow_dispatch", "queued", 1, ".github/workflows/ci.yml"],
    ]);
    expect(all.workflow_runs[1]).toMatchObject({ head_sha: main, actor: { login: `${sandbox.store.app.slug}[bot]` }, created_at: firstAt });

    const runs = async (query: Record<string, string | number>) =>
      (await octokit.actions.listWorkflowRuns({ owner, repo: name, workflow_id: "ci.yml", ...query })).data.workflow_runs.map((r) => r.head_branch);
    expect(await runs({ branch: "main" })).toEqual(["main"]);
    expect(await runs({ event: "push" })).toEqual([]);
    expect(await runs({ branch: "release-1", event: "workflow_dispatch", created: `>=${since}`, per_page: 1 })).toEqual(["release-1"]);
    expect(await runs({ created: `>${since}` })).toEqual([]);
    expect(await runs({ created: `<${since}` })).toEqual(["main"]);
    expect(await runs({ created: `${since.slice(0, 10)}..*` })).toEqual(["release-1", "main"]);
    expect(await runs({ per_page: 1, page: 2 })).toEqual(["main"]);
    // A run's numeric workflow id names the workflow too.
    expect((await octokit.actions.listWorkflowRuns({ owner, repo: name, workflow_id: all.workflow_runs[0]!.workflow_id })).data.total_count).toBe(2);
    expect((await octokit.actions.listWorkflowRuns({ owner, repo: name, workflow_id: "release.yml" })).data.workflow_runs.map((r) => r.head_branch)).toEqual(["v1.0.0"]);
    await expect(octokit.actions.listWorkflowRuns({ owner, repo: name, workflow_id: "nope.yml" })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.actions.listWorkflowRuns({ owner, repo: name, workflow_id: "ci.yml", created: "last tuesday" })).rejects.toMatchObject({ status: 422 });
  });

  test("a dispatch whose answer was lost shows as a run, which is how the App tells it went through", async () => {
    sandbox.faults.add({ kind: "apply-then-502", match: "actions/create-workflow-dispatch", times: 1 });
    const since = tick();
    await expect(octokit.actions.createWorkflowDispatch({ owner, repo: name, workflow_id: "release.yml", ref: "main" })).rejects.toMatchObject({ status: 502 });
    const found = await octokit.actions.listWorkflowRuns({ owner, repo: name, workflow_id: "release.yml", branch: "main", event: "workflow_dispatch", created: `>=${since}`, per_page: 1 });
    expect(found.data.workflow_runs).toHaveLength(1);
  });
});

describe("search-syntax dates", () => {
  const at = "2025-06-01T12:00:00Z";
  test.each([
    [">=2025-06-01T12:00:00Z", true],
    [">2025-06-01T12:00:00Z", false],
    ["<=2025-06-01T12:00:00Z", true],
    ["<2025-06-01T12:00:00Z", false],
    [">=2025-06-01T14:00:00+02:00", true],
    [">2025-05-31", true],
    [">2025-06-01", false],
    ["<=2025-06-01", true],
    ["2025-06-01", true],
    ["2025-06-02", false],
    ["2025-05-01..2025-06-01", true],
    ["*..2025-05-31", false],
    ["2025-06-01T12:00..*", true],
  ])(`%s holds for ${at}: %s`, (qualifier, expected) => {
    expect(parseDateQualifier(qualifier)?.(at)).toBe(expected);
  });

  test("anything else is not a qualifier", () => {
    expect(parseDateQualifier("yesterday")).toBeNull();
    expect(parseDateQualifier(">=2025-13-45")).toBeNull();
  });
});

describe("issue events: who added or removed a label", () => {
  test("labels added, removed and set, by the App and by people, with the actor and the time", async () => {
    const { number } = await openPull();
    const triager = await sandbox.client({ login: "tom" });
    const added = tick();
    await octokit.issues.addLabels({ owner, repo: name, issue_number: number, labels: ["backport:lts", "bug"] });
    const removed = tick();
    await triager.issues.removeLabel({ owner, repo: name, issue_number: number, name: "bug" });
    const set = tick();
    await octokit.issues.update({ owner, repo: name, issue_number: number, labels: ["security"] });
    const byPeople = tick();
    sandbox.scenario.label({ repo, number, label: "backport:release-1", by: "maya" });
    sandbox.scenario.label({ repo, number, label: "by-owner" });
    const events = (await octokit.issues.listEvents({ owner, repo: name, issue_number: number })).data;
    const bot = `${sandbox.store.app.slug}[bot]`;
    expect(events.map((e) => [e.event, "label" in e ? e.label?.name : undefined, e.actor?.login, e.created_at])).toEqual([
      ["labeled", "backport:lts", bot, added],
      ["labeled", "bug", bot, added],
      ["unlabeled", "bug", "tom", removed],
      ["unlabeled", "backport:lts", bot, set],
      ["labeled", "security", bot, set],
      ["labeled", "backport:release-1", "maya", byPeople],
      ["labeled", "by-owner", owner, byPeople],
    ]);
    expect(events[0]).toMatchObject({ performed_via_github_app: { slug: sandbox.store.app.slug } });
    expect(events[2]).toMatchObject({ performed_via_github_app: null });
    // Adding a label the issue already has is no event.
    await octokit.issues.addLabels({ owner, repo: name, issue_number: number, labels: ["security"] });
    expect((await octokit.issues.listEvents({ owner, repo: name, issue_number: number })).data).toHaveLength(7);
    const page = await octokit.issues.listEvents({ owner, repo: name, issue_number: number, per_page: 3, page: 3 });
    expect(page.data.map((e) => e.event)).toEqual(["labeled"]);
  });

  test("labels given when an issue is created are events by its author", async () => {
    const issue = (await octokit.issues.create({ owner, repo: name, title: "Labelled at birth", labels: ["tracking"] })).data;
    const events = (await octokit.issues.listEvents({ owner, repo: name, issue_number: issue.number })).data;
    expect(events.map((e) => [e.event, "label" in e ? e.label?.name : undefined, e.actor?.login])).toEqual([["labeled", "tracking", `${sandbox.store.app.slug}[bot]`]]);
    await expect(octokit.issues.listEvents({ owner, repo: name, issue_number: 99_999 })).rejects.toMatchObject({ status: 404 });
  });
});

describe("what the App reads back", () => {
  test("PR JSON carries requested_reviewers, filled by pulls/request-reviewers", async () => {
    const { number } = await openPull("rita");
    expect((await octokit.pulls.get({ owner, repo: name, pull_number: number })).data.requested_reviewers).toEqual([]);
    await octokit.pulls.requestReviewers({ owner, repo: name, pull_number: number, reviewers: ["maya"] });
    expect((await octokit.pulls.get({ owner, repo: name, pull_number: number })).data.requested_reviewers?.map((u) => u.login)).toEqual(["maya"]);
    const listed = (await octokit.pulls.list({ owner, repo: name, per_page: 100 })).data.find((p) => p.number === number);
    expect(listed?.requested_reviewers?.map((u) => u.login)).toEqual(["maya"]);
  });

  test("issues/list-for-repo filters by creator", async () => {
    const rita = await sandbox.client({ login: "rita" });
    const mine = (await rita.issues.create({ owner, repo: name, title: "Rita's report" })).data.number;
    const byRita = await octokit.issues.listForRepo({ owner, repo: name, creator: "rita", state: "all", per_page: 100 });
    expect(byRita.data.map((i) => i.number)).toContain(mine);
    expect(byRita.data.every((i) => i.user?.login === "rita")).toBe(true);
    const byBot = await octokit.issues.listForRepo({ owner, repo: name, creator: `${sandbox.store.app.slug}[bot]`, state: "all", per_page: 100 });
    expect(byBot.data.map((i) => i.number)).not.toContain(mine);
  });

  test("issues/delete-comment: 204, then 404; only its author or a writer may", async () => {
    const issue = (await octokit.issues.create({ owner, repo: name, title: "Chatty" })).data;
    const comment = (await octokit.issues.createComment({ owner, repo: name, issue_number: issue.number, body: "to be deleted" })).data;
    await octokit.reactions.createForIssueComment({ owner, repo: name, comment_id: comment.id, content: "+1" });
    const rita = await sandbox.client({ login: "rita" });
    await expect(rita.issues.deleteComment({ owner, repo: name, comment_id: comment.id })).rejects.toMatchObject({ status: 403 });
    expect((await octokit.issues.deleteComment({ owner, repo: name, comment_id: comment.id })).status).toBe(204);
    expect(repo.comments.has(comment.id)).toBe(false);
    expect(repo.reactions.some((r) => r.subject.kind === "comment" && r.subject.id === comment.id)).toBe(false);
    await expect(octokit.issues.deleteComment({ owner, repo: name, comment_id: comment.id })).rejects.toMatchObject({ status: 404 });
    const own = (await rita.issues.createComment({ owner, repo: name, issue_number: issue.number, body: "mine" })).data;
    expect((await rita.issues.deleteComment({ owner, repo: name, comment_id: own.id })).status).toBe(204);
  });
});

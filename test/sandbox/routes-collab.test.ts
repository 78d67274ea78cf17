import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Actor, OperationRequest, OperationResult } from "../../sandbox/http/types.js";
import { describeViolation, validateRequest, validateResponse } from "../../sandbox/openapi/contract.js";
import { actionHandlers } from "../../sandbox/routes/actions.js";
import { advisoryHandlers } from "../../sandbox/routes/advisories.js";
import { checkHandlers } from "../../sandbox/routes/checks.js";
import { collaborationHandlers } from "../../sandbox/routes/collaboration.js";
import { commentHandlers } from "../../sandbox/routes/comments.js";
import type { OperationHandler } from "../../sandbox/routes/context.js";
import { issueHandlers } from "../../sandbox/routes/issues.js";
import { labelHandlers } from "../../sandbox/routes/labels.js";
import { releaseHandlers } from "../../sandbox/routes/releases.js";
import { Store } from "../../sandbox/state/store.js";
import type { AdvisoryRecord, IssueRecord, RepoRecord } from "../../sandbox/state/types.js";

const HANDLERS: Record<string, OperationHandler> = {
  ...issueHandlers, ...commentHandlers, ...labelHandlers, ...releaseHandlers,
  ...checkHandlers, ...actionHandlers, ...advisoryHandlers, ...collaborationHandlers,
};

type Json = Record<string, any>;

interface Call {
  params?: Record<string, string | number>;
  query?: Record<string, string>;
  body?: unknown;
  as?: string;
}

let root: string;
let store: Store;
let repo: RepoRecord;
let clock: Date;
let main: string;
/** Contract problems in the requests the tests send and the answers the handlers give, checked after each test. */
let violations: string[];

const tick = (seconds = 60): void => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

function actorFor(as: string | undefined): Actor {
  if (!as) return { kind: "installation", installationId: repo.installationId, user: store.app.bot };
  return { kind: "user", user: store.user(as) };
}

async function call(operationId: string, { params = {}, query = {}, body, as }: Call = {}): Promise<OperationResult & { json: any }> {
  const handler = HANDLERS[operationId];
  if (!handler) throw new Error(`no handler for ${operationId}`);
  const url = new URL(`http://sandbox.test/api/v3/repos/acme/widget/${operationId}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const request: OperationRequest = {
    operationId,
    accept: "application/vnd.github+json",
    params: Object.fromEntries(Object.entries({ owner: "acme", repo: "widget", ...params }).map(([k, v]) => [k, String(v)])),
    query,
    body,
    actor: actorFor(as),
  };
  violations.push(...validateRequest(operationId, request).map(describeViolation));
  const result = await handler({ store, shape: { apiUrl: "http://sandbox.test/api/v3", webUrl: "http://sandbox.test" }, request, url, changes: [] });
  violations.push(...validateResponse(operationId, result.status, result.body).map(describeViolation));
  return { ...result, json: result.body };
}

/** A pull request's issue half, as the pulls routes create it: the number comes from the same counter. */
function seedPullIssue(title: string): IssueRecord {
  const now = store.timestamp();
  const issue: IssueRecord = {
    id: store.nextId(), number: repo.nextNumber++, title, body: null, user: store.user("alice"), state: "open",
    stateReason: null, labels: [], assignees: [], milestone: null, locked: false, createdAt: now, updatedAt: now,
    closedAt: null, closedBy: null, isPull: true,
  };
  repo.issues.set(issue.number, issue);
  return issue;
}

/** One App key for every store in this file: generating an RSA key per test would dominate its time. */
const appKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

beforeEach(async () => {
  violations = [];
  root = await mkdtemp(join(tmpdir(), "routes-collab-"));
  clock = new Date("2025-06-01T12:00:00Z");
  store = new Store({ root, now: () => clock, app: { privateKey: appKey } });
  repo = await store.createRepo({
    owner: "acme", name: "widget",
    collaborators: { alice: "write", bob: "read", carol: "maintain", dave: "triage", erin: "none" },
  });
  const git = store.git(repo);
  const blob = await git.writeBlob("hello\n");
  const tree = await git.createTree({ base: null, edits: [{ path: "README.md", mode: "100644", sha: blob }] });
  const author = { name: "Alice", email: "alice@example.com", date: "2025-06-01T00:00:00Z" };
  main = (await git.createCommit({ tree: tree!, parents: [], message: "initial", author }))!;
  await git.updateRef({ ref: "refs/heads/main", sha: main, expectedOld: null });
});

afterEach(async () => {
  expect(violations).toEqual([]);
  await rm(root, { recursive: true, force: true });
});

describe("issues", () => {
  test("issue and pull request numbers come from one sequence; the issues API shows PRs with pull_request", async () => {
    const first = await call("issues/create", { body: { title: "Bug", labels: ["bug"] } });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ number: 1, title: "Bug", state: "open", user: { login: "lts-steward[bot]" } });
    seedPullIssue("Fix bug");
    const third = await call("issues/create", { body: { title: 42 } });
    expect(third.json).toMatchObject({ number: 3, title: "42" });
    const pr = await call("issues/get", { params: { issue_number: 2 } });
    expect(pr.json.pull_request).toBeDefined();
    expect(first.json.pull_request).toBeUndefined();
    const all = await call("issues/list-for-repo");
    expect(all.json.map((i: Json) => i.number)).toEqual([3, 2, 1]);
    await expect(call("issues/get", { params: { issue_number: 99 } })).rejects.toMatchObject({ status: 404 });
  });

  test("creating with unknown labels creates them; update closes, replaces labels and reopens", async () => {
    const created = await call("issues/create", { body: { title: "T", labels: ["backport", { name: "lts" }], assignees: ["alice"] } });
    expect(created.json.labels.map((l: Json) => [l.name, l.color])).toEqual([["backport", "ededed"], ["lts", "ededed"]]);
    expect(created.json.assignees.map((u: Json) => u.login)).toEqual(["alice"]);
    tick();
    const closed = await call("issues/update", { params: { issue_number: 1 }, body: { state: "closed", state_reason: "not_planned", labels: ["wontfix"] } });
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ state: "closed", state_reason: "not_planned", closed_at: "2025-06-01T12:01:00Z", updated_at: "2025-06-01T12:01:00Z" });
    expect(closed.json.closed_by.login).toBe("lts-steward[bot]");
    expect(closed.json.labels.map((l: Json) => l.name)).toEqual(["wontfix"]);
    const reopened = await call("issues/update", { params: { issue_number: 1 }, body: { state: "open" } });
    expect(reopened.json).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
  });

  test("a read-only user opens issues but their labels are dropped, and cannot edit others' issues", async () => {
    const issue = await call("issues/create", { as: "bob", body: { title: "Question", labels: ["bug"] } });
    expect(issue.json.labels).toEqual([]);
    await call("issues/create", { body: { title: "Other" } });
    await expect(call("issues/update", { as: "bob", params: { issue_number: 2 }, body: { title: "x" } })).rejects.toMatchObject({ status: 403 });
    const own = await call("issues/update", { as: "bob", params: { issue_number: 1 }, body: { state: "closed" } });
    expect(own.json.closed_by.login).toBe("bob");
  });

  test("list filters: state, labels, creator, since, sort and direction; paginated with a Link header", async () => {
    await call("issues/create", { body: { title: "a", labels: ["bug", "lts"] } });
    tick();
    await call("issues/create", { as: "bob", body: { title: "b" } });
    tick();
    await call("issues/create", { body: { title: "c", labels: ["bug"] } });
    await call("issues/update", { params: { issue_number: 3 }, body: { state: "closed" } });
    const numbers = async (query: Record<string, string>) => (await call("issues/list-for-repo", { query })).json.map((i: Json) => i.number);
    expect(await numbers({})).toEqual([2, 1]);
    expect(await numbers({ state: "closed" })).toEqual([3]);
    expect(await numbers({ state: "all", labels: "bug" })).toEqual([3, 1]);
    expect(await numbers({ state: "all", labels: "bug,LTS" })).toEqual([1]);
    expect(await numbers({ creator: "bob" })).toEqual([2]);
    expect(await numbers({ state: "all", since: "2025-06-01T12:01:00Z" })).toEqual([3, 2]);
    expect(await numbers({ state: "all", direction: "asc" })).toEqual([1, 2, 3]);
    const page = await call("issues/list-for-repo", { query: { state: "all", per_page: "1", page: "2" } });
    expect(page.json.map((i: Json) => i.number)).toEqual([2]);
    expect(page.headers?.link).toContain('rel="next"');
    expect(page.headers?.link).toContain('rel="prev"');
    expect(page.headers?.link).toMatch(/page=3&per_page=1>; rel="last"|per_page=1&page=3>; rel="last"/);
  });
});

describe("labels", () => {
  test("add, list and remove labels on an issue; the repository label is created with the default colour", async () => {
    await call("issues/create", { body: { title: "T" } });
    const added = await call("issues/add-labels", { params: { issue_number: 1 }, body: { labels: ["backport-37", "lts"] } });
    expect(added.status).toBe(200);
    expect(added.json.map((l: Json) => l.name)).toEqual(["backport-37", "lts"]);
    const again = await call("issues/add-labels", { params: { issue_number: 1 }, body: { labels: [{ name: "LTS" }, "bug"] } });
    expect(again.json.map((l: Json) => l.name)).toEqual(["backport-37", "lts", "bug"]);
    const repoLabel = await call("issues/get-label", { params: { name: "backport-37" } });
    expect(repoLabel.json).toMatchObject({ name: "backport-37", color: "ededed" });
    const removed = await call("issues/remove-label", { params: { issue_number: 1, name: "lts" } });
    expect(removed.json.map((l: Json) => l.name)).toEqual(["backport-37", "bug"]);
    await expect(call("issues/remove-label", { params: { issue_number: 1, name: "lts" } })).rejects.toMatchObject({
      status: 404, message: "Label does not exist",
    });
    const onIssue = await call("issues/list-labels-on-issue", { params: { issue_number: 1 } });
    expect(onIssue.json.map((l: Json) => l.name)).toEqual(["backport-37", "bug"]);
    await expect(call("issues/add-labels", { as: "bob", params: { issue_number: 1 }, body: { labels: ["x"] } })).rejects.toMatchObject({ status: 403 });
    const triaged = await call("issues/add-labels", { as: "dave", params: { issue_number: 1 }, body: { labels: ["triaged"] } });
    expect(triaged.json).toHaveLength(3);
  });

  test("labels on a pull request number work the same", async () => {
    seedPullIssue("PR");
    const added = await call("issues/add-labels", { params: { issue_number: 1 }, body: { labels: ["backport"] } });
    expect(added.json.map((l: Json) => l.name)).toEqual(["backport"]);
  });

  test("create-label refuses duplicates with GitHub's already_exists error; listing and milestones", async () => {
    const created = await call("issues/create-label", { body: { name: "Bug", color: "D73A4A", description: "Something broke" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Bug", color: "d73a4a", description: "Something broke" });
    const error = await call("issues/create-label", { body: { name: "bug" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, message: "Validation Failed" });
    expect((error as { toBody(): Json }).toBody().errors).toEqual([{ resource: "Label", code: "already_exists", field: "name" }]);
    await expect(call("issues/create-label", { as: "bob", body: { name: "x" } })).rejects.toMatchObject({ status: 403 });
    await call("issues/create-label", { body: { name: "area: docs" } });
    const list = await call("issues/list-labels-for-repo");
    expect(list.json.map((l: Json) => l.name)).toEqual(["area: docs", "Bug"]);
    expect((await call("issues/get-label", { params: { name: "area%3A%20docs" } })).json.name).toBe("area: docs");
    await expect(call("issues/get-label", { params: { name: "nope" } })).rejects.toMatchObject({ status: 404 });
    repo.milestones.push({ id: 1, number: 1, title: "v1", state: "open" }, { id: 2, number: 2, title: "v0", state: "closed" });
    const open = await call("issues/list-milestones");
    expect(open.json.map((m: Json) => m.title)).toEqual(["v1"]);
    const all = await call("issues/list-milestones", { query: { state: "all", direction: "desc" } });
    expect(all.json.map((m: Json) => m.title)).toEqual(["v0", "v1"]);
  });
});

describe("comments and reactions", () => {
  test("comments on issues and PRs touch the issue; updates change body and updatedAt", async () => {
    await call("issues/create", { body: { title: "T" } });
    seedPullIssue("PR");
    tick();
    const comment = await call("issues/create-comment", { as: "bob", params: { issue_number: 2 }, body: { body: "/backport 37" } });
    expect(comment.status).toBe(201);
    expect(comment.json).toMatchObject({ body: "/backport 37", user: { login: "bob" }, created_at: "2025-06-01T12:01:00Z" });
    expect(repo.issues.get(2)?.updatedAt).toBe("2025-06-01T12:01:00Z");
    tick();
    const updated = await call("issues/update-comment", { params: { comment_id: comment.json.id }, body: { body: "edited" } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ body: "edited", created_at: "2025-06-01T12:01:00Z", updated_at: "2025-06-01T12:02:00Z" });
    expect(repo.issues.get(2)?.updatedAt).toBe("2025-06-01T12:02:00Z");
    expect((await call("issues/get-comment", { params: { comment_id: comment.json.id } })).json.body).toBe("edited");
    await expect(call("issues/update-comment", { as: "dave", params: { comment_id: comment.json.id }, body: { body: "x" } })).rejects.toMatchObject({ status: 403 });
    await expect(call("issues/get-comment", { as: "erin", params: { comment_id: comment.json.id } })).rejects.toMatchObject({ status: 404 });
    await call("issues/create-comment", { params: { issue_number: 2 }, body: { body: "second" } });
    await call("issues/create-comment", { params: { issue_number: 1 }, body: { body: "elsewhere" } });
    const all = await call("issues/list-comments", { params: { issue_number: 2 } });
    expect(all.json.map((c: Json) => c.body)).toEqual(["edited", "second"]);
    tick();
    await call("issues/update-comment", { params: { comment_id: all.json[1].id }, body: { body: "second, edited" } });
    const since = await call("issues/list-comments", { params: { issue_number: 2 }, query: { since: "2025-06-01T12:03:00Z" } });
    expect(since.json.map((c: Json) => c.body)).toEqual(["second, edited"]);
    await expect(call("issues/create-comment", { params: { issue_number: 9 }, body: { body: "x" } })).rejects.toMatchObject({ status: 404 });
  });

  test("reactions are idempotent per user and content, and listable by content", async () => {
    await call("issues/create", { body: { title: "T" } });
    const comment = await call("issues/create-comment", { params: { issue_number: 1 }, body: { body: "hi" } });
    const params = { comment_id: comment.json.id };
    const first = await call("reactions/create-for-issue-comment", { params, body: { content: "eyes" } });
    expect(first.status).toBe(201);
    const again = await call("reactions/create-for-issue-comment", { params, body: { content: "eyes" } });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    await call("reactions/create-for-issue-comment", { as: "bob", params, body: { content: "eyes" } });
    await call("reactions/create-for-issue-comment", { params, body: { content: "rocket" } });
    const eyes = await call("reactions/list-for-issue-comment", { params, query: { content: "eyes" } });
    expect(eyes.json.map((r: Json) => r.user.login)).toEqual(["lts-steward[bot]", "bob"]);
    expect((await call("reactions/list-for-issue-comment", { params })).json).toHaveLength(3);
    const onIssue = await call("reactions/create-for-issue", { params: { issue_number: 1 }, body: { content: "+1" } });
    expect(onIssue.status).toBe(201);
    expect((await call("reactions/create-for-issue", { params: { issue_number: 1 }, body: { content: "+1" } })).status).toBe(200);
    expect(repo.reactions.filter((r) => r.subject.kind === "issue")).toHaveLength(1);
  });
});

describe("collaborator permission level", () => {
  test.each([
    ["acme", "admin", "admin"],
    ["carol", "write", "maintain"],
    ["alice", "write", "write"],
    ["dave", "read", "triage"],
    ["bob", "read", "read"],
    ["erin", "none", "none"],
  ])("%s: permission %s, role %s", async (username, permission, role) => {
    const answer = await call("repos/get-collaborator-permission-level", { params: { username } });
    expect(answer.json).toMatchObject({ permission, role_name: role, user: { login: username, role_name: role } });
  });

  test("an unknown user is a 404; a known non-collaborator reads a public repository", async () => {
    await expect(call("repos/get-collaborator-permission-level", { params: { username: "ghost" } })).rejects.toMatchObject({ status: 404 });
    store.user("frank");
    const frank = await call("repos/get-collaborator-permission-level", { params: { username: "frank" } });
    expect(frank.json).toMatchObject({ permission: "read", role_name: "read", user: { permissions: { pull: true, push: false } } });
  });
});

describe("releases and tags", () => {
  test("create-release creates the tag, refuses duplicates; latest skips drafts and prereleases", async () => {
    const v1 = await call("repos/create-release", { body: { tag_name: "v1.0.0", name: "1.0.0" } });
    expect(v1.status).toBe(201);
    expect(v1.json).toMatchObject({ tag_name: "v1.0.0", target_commitish: "main", draft: false, published_at: "2025-06-01T12:00:00Z" });
    expect(await store.git(repo).readRef("refs/tags/v1.0.0")).toBe(main);
    tick();
    await call("repos/create-release", { body: { tag_name: "v1.1.0-rc.1", prerelease: true, target_commitish: main } });
    tick();
    const draft = await call("repos/create-release", { body: { tag_name: "v1.1.0", draft: true } });
    expect(draft.json.published_at).toBeNull();
    expect(await store.git(repo).readRef("refs/tags/v1.1.0")).toBeNull();
    const error = await call("repos/create-release", { body: { tag_name: "v1.0.0" } }).catch((e: unknown) => e);
    expect((error as { toBody(): Json }).toBody()).toMatchObject({ message: "Validation Failed", errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }] });
    await expect(call("repos/create-release", { body: { tag_name: "v9", target_commitish: "nope" } })).rejects.toMatchObject({ status: 422 });
    await expect(call("repos/create-release", { as: "bob", body: { tag_name: "v9" } })).rejects.toMatchObject({ status: 403 });

    expect((await call("repos/get-latest-release")).json.tag_name).toBe("v1.0.0");
    expect((await call("repos/get-release-by-tag", { params: { tag: "v1.1.0-rc.1" } })).json.prerelease).toBe(true);
    await expect(call("repos/get-release-by-tag", { params: { tag: "v1.1.0" } })).rejects.toMatchObject({ status: 404 });
    expect((await call("repos/get-release", { params: { release_id: v1.json.id } })).json.name).toBe("1.0.0");
    const list = await call("repos/list-releases");
    expect(list.json.map((r: Json) => r.tag_name)).toEqual(["v1.1.0", "v1.1.0-rc.1", "v1.0.0"]);
    const asReader = await call("repos/list-releases", { as: "bob" });
    expect(asReader.json.map((r: Json) => r.tag_name)).toEqual(["v1.1.0-rc.1", "v1.0.0"]);
    await expect(call("repos/get-release", { as: "bob", params: { release_id: draft.json.id } })).rejects.toMatchObject({ status: 404 });
  });

  test("get-latest-release is a 404 without a published full release", async () => {
    await expect(call("repos/get-latest-release")).rejects.toMatchObject({ status: 404 });
    await call("repos/create-release", { body: { tag_name: "v0.1.0", prerelease: true } });
    await expect(call("repos/get-latest-release")).rejects.toMatchObject({ status: 404 });
  });

  test("list-tags reads refs/tags, peels to commits, reverse-sorted by name and paginated", async () => {
    const git = store.git(repo);
    for (const tag of ["v1.0.0", "v1.1.0", "v2.0.0"]) await git.updateRef({ ref: `refs/tags/${tag}`, sha: main, expectedOld: null });
    const tags = await call("repos/list-tags", { query: { per_page: "2" } });
    expect(tags.json.map((t: Json) => t.name)).toEqual(["v2.0.0", "v1.1.0"]);
    expect(tags.json[0]).toMatchObject({
      commit: { sha: main, url: `http://sandbox.test/api/v3/repos/acme/widget/commits/${main}` },
      zipball_url: "http://sandbox.test/api/v3/repos/acme/widget/zipball/refs/tags/v2.0.0",
    });
    expect(tags.headers?.link).toContain('rel="next"');
    const existing = await call("repos/create-release", { body: { tag_name: "v1.0.0", target_commitish: "ignored-when-tag-exists" } });
    expect(existing.status).toBe(201);
  });
});

describe("checks", () => {
  test("create, update and get a check run as the App; users may not create them", async () => {
    const created = await call("checks/create", { body: { name: "lts-steward", head_sha: main, status: "in_progress", external_id: "x1" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "lts-steward", head_sha: main, status: "in_progress", conclusion: null });
    tick();
    const done = await call("checks/update", {
      params: { check_run_id: created.json.id },
      body: { conclusion: "success", output: { title: "ok", summary: "all good" } },
    });
    expect(done.json).toMatchObject({ status: "completed", conclusion: "success", completed_at: "2025-06-01T12:01:00Z", output: { title: "ok", summary: "all good" } });
    expect((await call("checks/get", { params: { check_run_id: created.json.id } })).json.conclusion).toBe("success");
    await expect(call("checks/create", { body: { name: "c", head_sha: main, status: "completed" } })).rejects.toMatchObject({ status: 422 });
    await expect(call("checks/create", { body: { name: "c", head_sha: "0".repeat(40) } })).rejects.toMatchObject({ status: 422 });
    await expect(call("checks/create", { as: "acme", body: { name: "c", head_sha: main } })).rejects.toMatchObject({ status: 403 });
  });
});

describe("workflow dispatch", () => {
  test("404 for unknown workflows, 422 for unknown refs, 204 and a record otherwise", async () => {
    repo.workflows.push("release.yml");
    await store.git(repo).updateRef({ ref: "refs/tags/v1.0.0", sha: main, expectedOld: null });
    const dispatch = (workflow_id: string, body: Json) => call("actions/create-workflow-dispatch", { params: { workflow_id }, body });
    await expect(dispatch("ci.yml", { ref: "main" })).rejects.toMatchObject({ status: 404, message: "Not Found" });
    await expect(dispatch("release.yml", { ref: "nope" })).rejects.toMatchObject({ status: 422, message: "No ref found for: nope" });
    expect((await dispatch("release.yml", { ref: "main", inputs: { line: "37" } })).status).toBe(204);
    expect((await dispatch("release.yml", { ref: "v1.0.0" })).status).toBe(204);
    expect(repo.dispatches).toEqual([
      { workflowId: "release.yml", ref: "main", inputs: { line: "37" }, at: "2025-06-01T12:00:00Z", by: store.app.bot },
      { workflowId: "release.yml", ref: "v1.0.0", inputs: {}, at: "2025-06-01T12:00:00Z", by: store.app.bot },
    ]);
    await expect(call("actions/create-workflow-dispatch", { as: "bob", params: { workflow_id: "release.yml" }, body: { ref: "main" } })).rejects.toMatchObject({ status: 403 });
  });
});

describe("repository advisories", () => {
  const advisory = (ghsaId: string, state: AdvisoryRecord["state"], createdAt: string): AdvisoryRecord => ({
    ghsaId, cveId: null, summary: ghsaId, description: "", severity: "high", state, vulnerabilities: [],
    author: store.user("alice"), publisher: null, createdAt, updatedAt: createdAt,
    publishedAt: state === "published" ? createdAt : null, closedAt: null, withdrawnAt: null,
  });

  beforeEach(() => {
    for (const a of [
      advisory("GHSA-aaaa-aaaa-aaaa", "published", "2025-01-01T00:00:00Z"),
      advisory("GHSA-bbbb-bbbb-bbbb", "draft", "2025-02-01T00:00:00Z"),
      advisory("GHSA-cccc-cccc-cccc", "published", "2025-03-01T00:00:00Z"),
    ]) repo.advisories.set(a.ghsaId, a);
  });

  test("state filter, sort and direction; the installation sees unpublished ones, a reader does not", async () => {
    const ids = async (query: Record<string, string>, as?: string) =>
      (await call("security-advisories/list-repository-advisories", { query, as })).json.map((a: Json) => a.ghsa_id);
    expect(await ids({})).toEqual(["GHSA-cccc-cccc-cccc", "GHSA-bbbb-bbbb-bbbb", "GHSA-aaaa-aaaa-aaaa"]);
    expect(await ids({ state: "published", direction: "asc" })).toEqual(["GHSA-aaaa-aaaa-aaaa", "GHSA-cccc-cccc-cccc"]);
    expect(await ids({ state: "draft" })).toEqual(["GHSA-bbbb-bbbb-bbbb"]);
    expect(await ids({}, "bob")).toEqual(["GHSA-cccc-cccc-cccc", "GHSA-aaaa-aaaa-aaaa"]);
    expect(await ids({}, "alice")).toHaveLength(3); // credited as the author
    expect(await ids({}, "carol")).toHaveLength(2); // maintain is not a security manager
    const get = (ghsa_id: string, as?: string) => call("security-advisories/get-repository-advisory", { params: { ghsa_id }, as });
    expect((await get("GHSA-bbbb-bbbb-bbbb")).json.state).toBe("draft");
    await expect(get("GHSA-bbbb-bbbb-bbbb", "bob")).rejects.toMatchObject({ status: 404 });
    await expect(get("GHSA-zzzz-zzzz-zzzz")).rejects.toMatchObject({ status: 404 });
  });

  test("cursor pagination follows the Link header", async () => {
    const first = await call("security-advisories/list-repository-advisories", { query: { per_page: "2" } });
    expect(first.json).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers?.link ?? "")?.[1];
    expect(next).toBeDefined();
    const query = Object.fromEntries(new URL(next!).searchParams.entries());
    const second = await call("security-advisories/list-repository-advisories", { query });
    expect(second.json.map((a: Json) => a.ghsa_id)).toEqual(["GHSA-aaaa-aaaa-aaaa"]);
    expect(second.headers?.link).toContain('rel="prev"');
    expect(second.headers?.link).not.toContain('rel="next"');
  });
});

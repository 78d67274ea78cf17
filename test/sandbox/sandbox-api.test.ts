/**
 * The sandbox over HTTP, API side: requests checked against GitHub's OpenAPI description, App
 * authentication, pagination, faults on demand, the call log, and seeding from a local repository.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAppAuth } from "@octokit/auth-app";
import { request } from "@octokit/request";
import { Octokit } from "@octokit/rest";
import { SERVED_OPERATIONS } from "../../sandbox/openapi/operations.js";
import { HANDLERS } from "../../sandbox/routes/index.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { git } from "./git-cli.js";

/** Refusals are expected here; Octokit would print each one. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let sandbox: Sandbox;
let repo: RepoRecord;
let octokit: Octokit;
const owner = "acme";
const name = "widget";

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo } = await sandbox.seedRepository({
    owner,
    name,
    collaborators: { maya: "maintain", rita: "read" },
    script: [
      { commit: { branch: "main", label: "root", message: "Initial commit", files: { "README.md": "widget\n" }, date: "2025-01-02" } },
      { tag: { name: "v1.0.0", at: "root", date: "2025-01-03" } },
    ],
    releases: [{ tagName: "v1.0.0", publishedAt: "2025-01-03T12:00:00Z" }],
  }));
  octokit = await sandbox.client({ installationOf: owner });
});

afterAll(async () => {
  await sandbox.stop();
});

afterEach(() => {
  sandbox.faults.clear();
  sandbox.assertNoViolations();
});

test("every operation in the served list has a handler", () => {
  expect(SERVED_OPERATIONS.filter((id) => !HANDLERS[id])).toEqual([]);
});

test("an invalid request is answered 422 as GitHub would and fails the test with the operation and field named", async () => {
  const answer = await fetch(`${sandbox.apiUrl}/repos/${owner}/${name}/pulls`, {
    method: "POST",
    headers: { authorization: `token ${sandbox.store.issueToken(repo.installationId).token}`, "content-type": "application/json" },
    body: JSON.stringify({ title: "x", head: 42, base: "main" }),
  });
  expect(answer.status).toBe(422);
  expect(await answer.json()).toMatchObject({ message: expect.stringContaining("Invalid request") });
  expect(() => sandbox.assertNoViolations()).toThrow(/pulls\/create: body\.head/);
});

test("an unknown route is 404 and a contract violation", async () => {
  await expect(octokit.request("GET /repos/{owner}/{repo}/no-such-thing", { owner, repo: name })).rejects.toMatchObject({ status: 404 });
  expect(() => sandbox.assertNoViolations()).toThrow(/no such GitHub REST route/);
});

test("the App authenticates as GitHub expects: JWT for /app, installation token for the repository", async () => {
  const { appId, privateKey, baseUrl } = sandbox.credentials;
  const auth = createAppAuth({ appId, privateKey, request: request.defaults({ baseUrl }) });
  const app = new Octokit({ baseUrl, authStrategy: createAppAuth, auth: { appId, privateKey }, log: quiet });
  const installations = await app.apps.listInstallations();
  expect(installations.data.map((i) => i.account?.login)).toContain(owner);
  const { token } = await auth({ type: "installation", installationId: repo.installationId });
  const asInstallation = new Octokit({ baseUrl, auth: token });
  expect((await asInstallation.repos.get({ owner, repo: name })).data.full_name).toBe(`${owner}/${name}`);
  // The JWT alone does not reach repository content, and a key the App does not own is refused.
  const jwt = (await auth({ type: "app" })).token;
  await expect(new Octokit({ baseUrl, auth: jwt, log: quiet }).repos.get({ owner, repo: name })).rejects.toMatchObject({ status: 403 });
  await expect(new Octokit({ baseUrl, log: quiet }).repos.get({ owner, repo: name })).rejects.toMatchObject({ status: 401 });
  const stranger = await Sandbox.start();
  try {
    const forged = createAppAuth({ appId, privateKey: stranger.credentials.privateKey, request: request.defaults({ baseUrl }) });
    await expect(forged({ type: "installation", installationId: repo.installationId })).rejects.toMatchObject({ status: 401 });
  } finally {
    await stranger.stop();
  }
});

test("pulls.list pages with Link headers and filters by state, head and base", async () => {
  for (let i = 1; i <= 12; i++) {
    await sandbox.scenario.commit({ repo, branch: `topic-${i}`, message: `topic ${i}`, files: { [`t${i}.txt`]: `${i}\n` }, author: "maya" });
    const { issue } = await sandbox.scenario.openPull({ repo, head: `topic-${i}`, title: `Topic ${i}`, author: "maya" });
    if (i % 3 === 0) await octokit.pulls.update({ owner, repo: name, pull_number: issue.number, state: "closed" });
  }
  const page = await octokit.pulls.list({ owner, repo: name, per_page: 5 });
  expect(page.data).toHaveLength(5);
  expect(page.headers.link).toContain('rel="next"');
  const open = await octokit.paginate(octokit.pulls.list, { owner, repo: name, per_page: 5 });
  const all = await octokit.paginate(octokit.pulls.list, { owner, repo: name, state: "all", per_page: 5 });
  expect(open).toHaveLength(8);
  expect(all).toHaveLength(12);
  expect(new Set(all.map((p) => p.number)).size).toBe(12);
  const byHead = await octokit.pulls.list({ owner, repo: name, state: "all", head: `${owner}:topic-3` });
  expect(byHead.data.map((p) => [p.title, p.state])).toEqual([["Topic 3", "closed"]]);
  expect((await octokit.pulls.list({ owner, repo: name, base: "release-1" })).data).toEqual([]);
});

test("faults: 5xx once, a dropped connection, a secondary rate limit with retry-after, Reference already exists", async () => {
  sandbox.faults.add({ kind: "500", match: "repos/get", times: 1 });
  await expect(octokit.repos.get({ owner, repo: name })).rejects.toMatchObject({ status: 500 });
  expect((await octokit.repos.get({ owner, repo: name })).status).toBe(200);

  sandbox.faults.add({ kind: "502", match: "GET /repos/{owner}/{repo}/branches", times: 1 });
  await expect(octokit.repos.listBranches({ owner, repo: name })).rejects.toMatchObject({ status: 502 });

  sandbox.faults.add({ kind: "drop", match: "issues/list-for-repo", times: 1 });
  await expect(octokit.issues.listForRepo({ owner, repo: name })).rejects.toThrow();

  sandbox.faults.add({ kind: "secondary-rate-limit", match: "issues/create", retryAfter: 7, times: 1 });
  const limited = octokit.issues.create({ owner, repo: name, title: "limited" });
  await expect(limited).rejects.toMatchObject({ status: 403, response: { headers: { "retry-after": "7" } } });

  const main = (await octokit.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
  sandbox.faults.add({ kind: "ref-exists", match: "git/create-ref", times: 1 });
  await expect(octokit.git.createRef({ owner, repo: name, ref: "refs/heads/fresh", sha: main })).rejects.toMatchObject({ status: 422 });
  // The injected failure changed nothing: the ref can be created for real now.
  expect((await octokit.git.createRef({ owner, repo: name, ref: "refs/heads/fresh", sha: main })).status).toBe(201);
  expect(sandbox.log.calls.filter((c) => c.fault).map((c) => c.fault)).toEqual(expect.arrayContaining(["500", "502", "drop", "403", "422"]));
});

test("faults by seeded fraction fail the same calls on every run; latency is added to each call", async () => {
  const outcomes = async () => {
    sandbox.faults.clear();
    sandbox.faults.add({ kind: "500", match: "repos/get", fraction: 0.5, seed: 42 });
    const results: number[] = [];
    for (let i = 0; i < 12; i++) results.push(await octokit.repos.get({ owner, repo: name }).then((r) => r.status, (e: { status: number }) => e.status));
    return results;
  };
  const first = await outcomes();
  expect(first).toContain(500);
  expect(first).toContain(200);
  expect(await outcomes()).toEqual(first);

  sandbox.faults.clear();
  sandbox.faults.latencyMs = 40;
  const mark = sandbox.log.mark();
  await octokit.repos.get({ owner, repo: name });
  expect(sandbox.log.since(mark)[0]!.latencyMs).toBeGreaterThanOrEqual(40);
});

test("the call log counts reads and writes per operation", async () => {
  const mark = sandbox.log.mark();
  const issue = await octokit.issues.create({ owner, repo: name, title: "Counted" });
  await octokit.issues.createComment({ owner, repo: name, issue_number: issue.data.number, body: "one" });
  await octokit.issues.get({ owner, repo: name, issue_number: issue.data.number });
  expect(sandbox.log.counts(mark)).toEqual({
    calls: 3,
    reads: 1,
    writes: 2,
    byOperation: { "issues/create": 1, "issues/create-comment": 1, "issues/get": 1 },
  });
  expect(sandbox.log.since(mark).map((c) => [c.method, c.route, c.status])).toEqual([
    ["POST", "/repos/{owner}/{repo}/issues", 201],
    ["POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 201],
    ["GET", "/repos/{owner}/{repo}/issues/{issue_number}", 200],
  ]);
});

test("config files are served raw, as Probot's config loader asks for them", async () => {
  await sandbox.scenario.commit({ repo, branch: "main", message: "Add config", files: { ".github/lts-steward.yml": "preset: wasmtime\n" }, author: "maya" });
  const raw = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo: name, path: ".github/lts-steward.yml", mediaType: { format: "raw" } });
  expect(raw.data).toBe("preset: wasmtime\n");
  const json = await octokit.repos.getContent({ owner, repo: name, path: ".github/lts-steward.yml" });
  expect(Buffer.from((json.data as { content: string }).content, "base64").toString()).toBe("preset: wasmtime\n");
  await expect(octokit.repos.getContent({ owner, repo: name, path: ".github/missing.yml" })).rejects.toMatchObject({ status: 404 });
});

test("files are written as GitHub's web editor does: one signed commit on the branch, 201 new, 200 replaced, refused without the current sha", async () => {
  const maya = await sandbox.client({ login: "maya" });
  const main = (await maya.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
  await maya.git.createRef({ owner, repo: name, ref: "refs/heads/docs-edit", sha: main });
  const put = (input: { path: string; text: string; sha?: string; branch?: string }) =>
    maya.repos.createOrUpdateFileContents({
      owner, repo: name, path: input.path, message: `Write ${input.path}`, content: Buffer.from(input.text).toString("base64"), branch: input.branch ?? "docs-edit",
      ...(input.sha ? { sha: input.sha } : {}),
    });

  const created = await put({ path: "docs/guide.md", text: "Guide\n" });
  expect(created.status).toBe(201);
  expect(created.data.commit).toMatchObject({ parents: [{ sha: main }], message: "Write docs/guide.md", author: { name: "maya" }, verification: { verified: true } });
  expect(created.data.content).toMatchObject({ path: "docs/guide.md", name: "guide.md", size: 6 });
  const branch = await maya.repos.getBranch({ owner, repo: name, branch: "docs-edit" });
  expect(branch.data.commit.sha).toBe(created.data.commit.sha);
  const read = await maya.repos.getContent({ owner, repo: name, path: "docs/guide.md", ref: "docs-edit" });
  expect(read.data).toMatchObject({ sha: created.data.content?.sha });

  await expect(put({ path: "docs/guide.md", text: "Guide 2\n" })).rejects.toMatchObject({ status: 422 });
  await expect(put({ path: "docs/guide.md", text: "Guide 2\n", sha: "0".repeat(40) })).rejects.toMatchObject({ status: 409 });
  await expect(put({ path: "docs/guide.md", text: "Guide 2\n", branch: "no-such-branch" })).rejects.toMatchObject({ status: 404 });
  const replaced = await put({ path: "docs/guide.md", text: "Guide 2\n", sha: created.data.content!.sha! });
  expect(replaced.status).toBe(200);
  expect(replaced.data.commit.parents).toEqual([expect.objectContaining({ sha: created.data.commit.sha })]);
  // Nothing reached main, and readers cannot write.
  expect((await maya.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha).toBe(main);
  const rita = await sandbox.client({ login: "rita" });
  await expect(rita.repos.createOrUpdateFileContents({ owner, repo: name, path: "x.md", message: "x", content: "eA==" })).rejects.toMatchObject({ status: 403 });
});

test("a local git repository can be imported: branches and tags, version tags become releases dated by their commits", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-import-"));
  const run = (args: string[], date: string) => git(dir, args, date);
  try {
    run(["init", "--quiet", "--initial-branch=main"], "2025-03-01T10:00:00Z");
    writeFileSync(join(dir, "lib.txt"), "1\n");
    run(["add", "."], "2025-03-01T10:00:00Z");
    run(["commit", "--quiet", "-m", "one"], "2025-03-01T10:00:00Z");
    run(["tag", "v1.0.0"], "2025-03-01T10:00:00Z");
    run(["branch", "release-1.x"], "2025-03-01T10:00:00Z");
    writeFileSync(join(dir, "lib.txt"), "2\n");
    run(["commit", "--quiet", "-am", "two"], "2025-04-15T10:00:00Z");
    run(["tag", "v2.0.0"], "2025-04-15T10:00:00Z");
    const imported = await sandbox.seedRepository({ owner: "someone", name: "imported", importFrom: dir });
    const client = await sandbox.client({ installationOf: "someone" });
    const branches = await client.repos.listBranches({ owner: "someone", repo: "imported" });
    expect(branches.data.map((b) => b.name).sort()).toEqual(["main", "release-1.x"]);
    const releases = await client.repos.listReleases({ owner: "someone", repo: "imported" });
    expect(releases.data.map((r) => [r.tag_name, r.published_at])).toEqual([
      ["v2.0.0", "2025-04-15T10:00:00Z"],
      ["v1.0.0", "2025-03-01T10:00:00Z"],
    ]);
    expect(imported.repo.defaultBranch).toBe("main");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("two requests at once to open a PR from the same head into the same base: exactly one is opened, the other is told it exists", async () => {
  await sandbox.scenario.commit({ repo, branch: "topic-race", message: "race", files: { "race.txt": "race\n" }, author: "maya" });
  const open = () => octokit.pulls.create({ owner, repo: name, head: "topic-race", base: "main", title: "Race" }).then((r) => r.status, (e: { status: number }) => e.status);
  const statuses = await Promise.all([open(), open(), open()]);
  expect(statuses.sort()).toEqual([201, 422, 422]);
  expect([...repo.pulls.values()].filter((p) => p.headRef === "topic-race")).toHaveLength(1);
});

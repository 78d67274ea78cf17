import {
  appJson,
  checkRunJson,
  commentJson,
  globalAdvisoryJson,
  installationJson,
  issueJson,
  labelJson,
  milestoneJson,
  nodeId,
  pullJson,
  pullSimpleJson,
  reactionJson,
  releaseJson,
  repositoryAdvisoryJson,
  repositoryJson,
  userJson,
  type JsonObject,
} from "../../sandbox/shapes/index.js";
import { loadOpenApiValidator, type OpenApiValidator } from "./openapi-validator.js";
import { makeWorld, SHA } from "./records.js";

let openapi: OpenApiValidator;
beforeAll(() => {
  openapi = loadOpenApiValidator();
});

const w = makeWorld();
const { ctx, repo } = w;
const milestone = repo.milestones[0]!;
const label = repo.labels.get("bug")!;
const reaction = repo.reactions[0]!;
const merged = { repo, issue: w.fix, pull: w.fixPull, headSha: SHA.fixHead, baseSha: SHA.mainTip };
const openDraft = { repo, issue: w.backport, pull: w.backportPull, headSha: SHA.backportHead, baseSha: SHA.releaseBase };

const cases: [schema: string, what: string, build: () => unknown][] = [
  ["simple-user", "a user", () => userJson(ctx, w.maintainer)],
  ["simple-user", "a bot", () => userJson(ctx, w.bot)],
  ["simple-user", "an organization", () => userJson(ctx, w.org)],
  ["full-repository", "an organization's public repository", () => repositoryJson(ctx, repo)],
  ["full-repository", "a user's private repository", () => repositoryJson(ctx, w.userRepo)],
  ["label", "a label with a description", () => labelJson(ctx, repo, label)],
  ["label", "a label without one", () => labelJson(ctx, repo, repo.labels.get("backport: release-39.0.0")!)],
  ["milestone", "a milestone", () => milestoneJson(ctx, repo, milestone)],
  ["issue", "a plain issue", () => issueJson(ctx, repo, w.report)],
  ["issue", "a merged pull request's issue", () => issueJson(ctx, repo, w.fix)],
  ["issue", "an open draft pull request's issue", () => issueJson(ctx, repo, w.backport)],
  ["pull-request", "a merged pull request", () => pullJson(ctx, { ...merged, stats: { commits: 1, additions: 12, deletions: 3, changedFiles: 2 } })],
  ["pull-request", "an open draft pull request", () => pullJson(ctx, { ...openDraft, stats: { mergeable: true } })],
  ["pull-request-simple", "a merged pull request in a list", () => pullSimpleJson(ctx, merged)],
  ["pull-request-simple", "an open pull request in a list", () => pullSimpleJson(ctx, openDraft)],
  ["issue-comment", "a comment on a pull request", () => commentJson(ctx, repo, w.pullComment)],
  ["issue-comment", "a comment on an issue", () => commentJson(ctx, repo, w.issueComment)],
  ["reaction", "a reaction", () => reactionJson(ctx, reaction)],
  ["release", "a published release", () => releaseJson(ctx, repo, w.release)],
  ["release", "a draft release", () => releaseJson(ctx, repo, w.draftRelease)],
  ["check-run", "a check run by the sandbox App", () => checkRunJson({ ...ctx, app: w.app }, repo, w.checkRun)],
  ["check-run", "a check run by an App the sandbox does not know", () => checkRunJson(ctx, repo, w.checkRun)],
  ["repository-advisory", "a published repository advisory", () => repositoryAdvisoryJson(ctx, repo, w.advisory)],
  ["repository-advisory", "a reported one in triage", () => repositoryAdvisoryJson(ctx, repo, w.reported)],
  ["webhooks_security_advisory", "a global advisory", () => globalAdvisoryJson(ctx, w.advisory)],
  ["webhooks_security_advisory", "a global advisory with gaps", () => globalAdvisoryJson(ctx, w.reported)],
  ["installation", "an installation", () => installationJson(ctx, w.installation, w.app)],
  ["integration", "the App", () => appJson(ctx, w.app)],
];

test.each(cases)("%s: %s conforms to GitHub's OpenAPI schema", (schema, _what, build) => {
  expect(openapi.problems(schema, build())).toEqual([]);
});

test("a shape that breaks its schema is caught (the check can fail)", () => {
  const { node_id: _dropped, ...user } = userJson(ctx, w.maintainer);
  expect(openapi.problems("simple-user", user)).toEqual(["/: must have required property 'node_id'"]);
  expect(openapi.problems("issue", { ...issueJson(ctx, repo, w.report), comments: "2" })).toEqual(["/comments: must be integer"]);
  const pull = pullJson(ctx, merged);
  const head = { ...(pull["head"] as JsonObject), repo: { ...(pull["head"] as { repo: JsonObject }).repo, id: "102939213" } };
  expect(openapi.problems("pull-request", { ...pull, head })).toContain("/head/repo/id: must be integer");
});

test("users get GitHub's legacy node ids, escaped API URLs and the app page for bots", () => {
  const user = userJson(ctx, w.maintainer);
  expect(user["node_id"]).toBe(Buffer.from("04:User64996").toString("base64"));
  expect(user["url"]).toBe("http://127.0.0.1:4567/api/v3/users/alexcrichton");
  const bot = userJson(ctx, w.bot);
  expect(bot["url"]).toBe("http://127.0.0.1:4567/api/v3/users/lts-steward%5Bbot%5D");
  expect(bot["html_url"]).toBe("http://127.0.0.1:4567/apps/lts-steward");
  expect(nodeId("Repository", 1)).toBe(nodeId("Repository", 1));
});

test("the repository is addressed under the context's API and web URLs", () => {
  const json = repositoryJson(ctx, repo);
  expect(json).toMatchObject({
    full_name: "bytecodealliance/wasmtime",
    url: "http://127.0.0.1:4567/api/v3/repos/bytecodealliance/wasmtime",
    html_url: "http://127.0.0.1:4567/bytecodealliance/wasmtime",
    clone_url: "http://127.0.0.1:4567/bytecodealliance/wasmtime.git",
    default_branch: "main",
    visibility: "public",
    open_issues_count: 2,
    organization: { login: "bytecodealliance", type: "Organization" },
    // The latest activity the records show: the release's publication.
    pushed_at: "2025-11-20T12:05:00Z",
  });
  expect(repositoryJson(ctx, w.userRepo)).not.toHaveProperty("organization");
});

test("a pull request's issue carries the pull_request key and label objects; a plain issue does not", () => {
  const prIssue = issueJson(ctx, repo, w.fix);
  expect(prIssue["pull_request"]).toEqual({
    url: "http://127.0.0.1:4567/api/v3/repos/bytecodealliance/wasmtime/pulls/11201",
    html_url: "http://127.0.0.1:4567/bytecodealliance/wasmtime/pull/11201",
    diff_url: "http://127.0.0.1:4567/bytecodealliance/wasmtime/pull/11201.diff",
    patch_url: "http://127.0.0.1:4567/bytecodealliance/wasmtime/pull/11201.patch",
    merged_at: "2025-11-05T16:40:12Z",
  });
  expect(prIssue).toMatchObject({
    labels: [{ id: 7001, name: "bug" }, { id: 7002, name: "backport: release-39.0.0", description: null }],
    assignee: { login: "alexcrichton", id: 64996 },
    milestone: { number: 3, open_issues: 1, closed_issues: 1 },
    comments: 1,
    author_association: "NONE",
    closed_by: { login: "alexcrichton" },
  });
  const plain = issueJson(ctx, repo, w.report);
  expect(plain).not.toHaveProperty("pull_request");
  expect(plain["html_url"]).toBe("http://127.0.0.1:4567/bytecodealliance/wasmtime/issues/11190");
});

test("a label the repository has no record of still shows, with a stable derived id", () => {
  const needsTriage = () => (issueJson(ctx, repo, w.backport)["labels"] as JsonObject[]).find((l) => l["name"] === "needs-triage");
  expect(needsTriage()).toMatchObject({ color: "ededed", description: null, id: expect.any(Number) });
  expect(needsTriage()?.["id"]).toBe(needsTriage()?.["id"]);
});

test("pull requests take head and base from the records and the given SHAs", () => {
  const json = pullJson(ctx, merged);
  expect(json).toMatchObject({
    number: 11201,
    state: "closed",
    merged: true,
    merged_by: { login: "alexcrichton" },
    merge_commit_sha: SHA.mergeCommit,
    mergeable: null,
    mergeable_state: "unknown",
    commits: 1,
    comments: 1,
    head: { ref: "fix-table-copy", sha: SHA.fixHead, label: "bytecodealliance:fix-table-copy", repo: { id: repo.id } },
    base: { ref: "main", sha: SHA.mainTip, user: { login: "bytecodealliance" } },
    requested_reviewers: [{ login: "alexcrichton", id: 64996 }],
    statuses_url: `http://127.0.0.1:4567/api/v3/repos/bytecodealliance/wasmtime/statuses/${SHA.fixHead}`,
  });
  expect(pullJson(ctx, openDraft)).toMatchObject({ state: "open", draft: true, merged: false, merged_at: null, author_association: "NONE" });
  const counted = pullJson(ctx, { ...openDraft, stats: { commits: 2, additions: 12, deletions: 3, changedFiles: 2, mergeable: true } });
  expect(counted).toMatchObject({ commits: 2, additions: 12, deletions: 3, changed_files: 2, mergeable: true, mergeable_state: "clean" });
});

test("pull-request-simple gives a missing label description as a string, as its schema demands", () => {
  const labels = pullSimpleJson(ctx, merged)["labels"] as JsonObject[];
  expect(labels.map((l) => l["description"])).toEqual(["Something isn't working", ""]);
  expect(pullSimpleJson(ctx, merged)).not.toHaveProperty("merged");
});

test("comments link to their issue or pull request and roll up their reactions", () => {
  expect(commentJson(ctx, repo, w.pullComment)).toMatchObject({
    html_url: "http://127.0.0.1:4567/bytecodealliance/wasmtime/pull/11201#issuecomment-880001",
    issue_url: "http://127.0.0.1:4567/api/v3/repos/bytecodealliance/wasmtime/issues/11201",
    author_association: "COLLABORATOR",
    reactions: { total_count: 1, "+1": 1, heart: 0 },
  });
  expect(commentJson(ctx, repo, w.issueComment)["html_url"]).toBe(
    "http://127.0.0.1:4567/bytecodealliance/wasmtime/issues/11190#issuecomment-880002",
  );
});

test("releases link to their tag; drafts have no archives", () => {
  expect(releaseJson(ctx, repo, w.release)).toMatchObject({
    tag_name: "v39.0.1",
    name: null,
    html_url: "http://127.0.0.1:4567/bytecodealliance/wasmtime/releases/tag/v39.0.1",
    tarball_url: "http://127.0.0.1:4567/api/v3/repos/bytecodealliance/wasmtime/tarball/v39.0.1",
  });
  expect(releaseJson(ctx, repo, w.draftRelease)).toMatchObject({ draft: true, published_at: null, tarball_url: null, zipball_url: null });
});

test("check runs list the open pull requests on their commit and name their App", () => {
  const run = checkRunJson({ ...ctx, app: w.app }, repo, w.checkRun);
  expect(run).toMatchObject({ app: { slug: "lts-steward", name: "LTS Steward" }, output: { annotations_count: 0 } });
  expect((run["pull_requests"] as JsonObject[]).map((p) => p["number"])).toEqual([11215]);
  expect(checkRunJson(ctx, repo, w.checkRun)["check_suite"]).toEqual(run["check_suite"]);
});

test("advisories list their identifiers; the global one names a first patched version", () => {
  expect(repositoryAdvisoryJson(ctx, repo, w.advisory)).toMatchObject({
    identifiers: [{ type: "GHSA", value: "GHSA-q8hx-mm92-4wvg" }, { type: "CVE", value: "CVE-2025-53901" }],
    submission: null,
    vulnerabilities: [{ package: { ecosystem: "rust", name: "wasmtime" }, patched_versions: "38.0.4" }],
  });
  expect(repositoryAdvisoryJson(ctx, repo, w.reported)).toMatchObject({ submission: { accepted: false }, state: "triage" });
  expect(globalAdvisoryJson(ctx, w.advisory)).toMatchObject({
    severity: "high",
    vulnerabilities: [{ first_patched_version: { identifier: "38.0.4" }, vulnerable_version_range: ">= 38.0.0, < 38.0.4" }],
  });
  expect(globalAdvisoryJson(ctx, w.reported)).toMatchObject({ severity: "unknown", vulnerabilities: [{ first_patched_version: null }] });
});

test("installations point at their access-token URL and the organization's settings", () => {
  expect(installationJson(ctx, w.installation, w.app)).toMatchObject({
    access_tokens_url: "http://127.0.0.1:4567/api/v3/app/installations/40123/access_tokens",
    html_url: "http://127.0.0.1:4567/organizations/bytecodealliance/settings/installations/40123",
    app_id: 987654,
    target_type: "Organization",
    repository_selection: "selected",
  });
});

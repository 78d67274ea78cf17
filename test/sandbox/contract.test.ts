import { readFileSync } from "node:fs";
import { buildSubset, readSourceSpec, serializeSubset } from "../../scripts/openapi-subset.js";
import {
  describeViolation,
  gitHubValidationError,
  matchOperation,
  openApiSource,
  servedRoutes,
  validateRequest,
  validateResponse,
} from "../../sandbox/openapi/contract.js";
import { SERVED_OPERATIONS } from "../../sandbox/openapi/operations.js";
import type { OpenApiSubset } from "../../sandbox/openapi/subset-types.js";

const subsetUrl = new URL("../../sandbox/openapi/github-rest-subset.json", import.meta.url);
const committed = readFileSync(subsetUrl, "utf8");
const subset = JSON.parse(committed) as OpenApiSubset;
const repo = { owner: "octo-org", repo: "octo-repo" };
const described = (violations: ReturnType<typeof validateRequest>) => violations.map(describeViolation);

describe("the OpenAPI subset", () => {
  test("holds exactly the served operations, with their source recorded", () => {
    expect(Object.keys(subset.operations).sort()).toEqual([...SERVED_OPERATIONS].sort());
    expect(servedRoutes()).toHaveLength(SERVED_OPERATIONS.length);
    expect(openApiSource()).toMatch(/^@octokit\/openapi@\d+\.\d+\.\d+ /);
  });

  test("is what the generator writes from the installed @octokit/openapi", () => {
    // Parsing the 13 MB description takes well under a second, so the whole file is compared.
    const { spec, packageVersion } = readSourceSpec();
    expect(subset.source.version).toBe(packageVersion);
    expect(serializeSubset(buildSubset(spec, SERVED_OPERATIONS))).toBe(committed);
  });

  test("every parameter, body and 2xx response schema compiles", () => {
    for (const op of Object.values(subset.operations)) {
      expect(() => validateRequest(op.operationId, { params: {}, query: {}, body: {} })).not.toThrow();
      for (const status of Object.keys(op.responses)) {
        expect(() => validateResponse(op.operationId, Number(status), {})).not.toThrow();
      }
    }
  });
});

describe("matchOperation", () => {
  const match = (method: string, path: string) => {
    const found = matchOperation(method, path);
    return found && { id: found.operationId, params: found.params };
  };

  test.each([
    ["GET", "/repos/o/r/git/ref/heads/feature/x", "git/get-ref", { ref: "heads/feature/x" }],
    ["GET", "/repos/o/r/git/ref/heads%2Ffeature%2Fx", "git/get-ref", { ref: "heads/feature/x" }],
    ["GET", "/repos/o/r/git/matching-refs/heads/lts-steward/backport", "git/list-matching-refs", { ref: "heads/lts-steward/backport" }],
    ["PATCH", "/repos/o/r/git/refs/heads/feature/x", "git/update-ref", { ref: "heads/feature/x" }],
    ["DELETE", "/repos/o/r/git/refs/heads/feature/x", "git/delete-ref", { ref: "heads/feature/x" }],
    ["GET", "/repos/o/r/contents/src/engine/plan.ts", "repos/get-content", { path: "src/engine/plan.ts" }],
    ["GET", "/repos/o/r/branches/lts-steward/backport/36.0.x/pr-5", "repos/get-branch", { branch: "lts-steward/backport/36.0.x/pr-5" }],
    [
      "GET",
      "/repos/o/r/compare/release-36.0.x...lts-steward/backport/36.0.x/pr-5",
      "repos/compare-commits",
      { base: "release-36.0.x", head: "lts-steward/backport/36.0.x/pr-5", basehead: "release-36.0.x...lts-steward/backport/36.0.x/pr-5" },
    ],
    [
      "GET",
      "/repos/o/r/compare/release/36.x...octocat:feature/y",
      "repos/compare-commits",
      { base: "release/36.x", head: "octocat:feature/y", basehead: "release/36.x...octocat:feature/y" },
    ],
    ["GET", "/repos/o/r/commits/feature/x", "repos/get-commit", { ref: "feature/x" }],
    ["GET", "/repos/o/r/commits/abc123/pulls", "repos/list-pull-requests-associated-with-commit", { commit_sha: "abc123" }],
    ["GET", "/repos/o/r/releases/tags/v36.0.1", "repos/get-release-by-tag", { tag: "v36.0.1" }],
    ["GET", "/repos/o/r/releases/latest", "repos/get-latest-release", {}],
    ["GET", "/repos/o/r/releases/17", "repos/get-release", { release_id: "17" }],
    ["POST", "/repos/o/r/actions/workflows/release.yml/dispatches", "actions/create-workflow-dispatch", { workflow_id: "release.yml" }],
    ["GET", "/repos/o/r/pulls/5/commits", "pulls/list-commits", { pull_number: "5" }],
    ["GET", "/repos/o/r/pulls/5", "pulls/get", { pull_number: "5" }],
    ["GET", "/repos/o/r/issues/comments/9", "issues/get-comment", { comment_id: "9" }],
    ["DELETE", "/repos/o/r/issues/5/labels/backport%2F36.0.x", "issues/remove-label", { issue_number: "5", name: "backport/36.0.x" }],
    ["head", "/repos/o/r", "repos/get", {}],
  ])("%s %s is %s", (method, path, id, params) => {
    expect(match(method, path)).toEqual({ id, params: { owner: "o", repo: "r", ...params } });
  });

  test("answers null for unserved paths and methods", () => {
    expect(matchOperation("GET", "/repos/o/r/hooks")).toBeNull();
    expect(matchOperation("PUT", "/repos/o/r/pulls")).toBeNull();
    expect(matchOperation("GET", "/repos/o")).toBeNull();
  });
});

describe("validateRequest", () => {
  const pr = { title: "Backport #5 to 36.0.x", head: "lts-steward/backport/36.0.x/pr-5", base: "release-36.0.x" };

  test("names the operation and field of a wrongly typed body field", () => {
    const violations = validateRequest("pulls/create", { params: repo, body: { ...pr, head: 42 } });
    expect(violations).toMatchObject([{ operationId: "pulls/create", location: "body", field: "head" }]);
    expect(violations[0]?.message).toBe('"head" must be string, got number 42');
    expect(described(violations)).toEqual(["pulls/create: body.head must be string (got 42)"]);
    expect(gitHubValidationError(violations)).toEqual({
      message: "Invalid request.\n\nFor 'properties/head', 42 is not a string.",
      documentation_url: "https://docs.github.com/rest",
      status: "422",
    });
  });

  test("requires a pull request title unless an issue is converted", () => {
    const { title: _title, ...untitled } = pr;
    const violations = validateRequest("pulls/create", { params: repo, body: untitled });
    expect(violations).toMatchObject([{ field: "title", location: "body" }]);
    expect(gitHubValidationError(violations).message).toBe('Invalid request.\n\n"title" wasn\'t supplied.');
    expect(validateRequest("pulls/create", { params: repo, body: { ...untitled, issue: 7 } })).toEqual([]);
  });

  test("accepts a valid request", () => {
    expect(validateRequest("pulls/create", { params: repo, body: pr })).toEqual([]);
    expect(validateRequest("pulls/merge", { params: { ...repo, pull_number: "5" } })).toEqual([]);
  });

  test("coerces query values the way GitHub reads them", () => {
    const list = (query: Record<string, string>) => described(validateRequest("pulls/list", { params: repo, query }));
    expect(list({ per_page: "abc" })).toEqual(['pulls/list: query.per_page must be integer (got "abc")']);
    expect(list({ per_page: "30", state: "all", unknown_param: "ignored" })).toEqual([]);
    expect(list({ state: "bogus" })).toEqual(['pulls/list: query.state must be one of open, closed, all (got "bogus")']);
  });

  test("checks path params against their schemas", () => {
    expect(described(validateRequest("issues/get", { params: { ...repo, issue_number: "five" } }))).toEqual([
      'issues/get: path.issue_number must be integer (got "five")',
    ]);
  });

  test("reports a missing required field", () => {
    const violations = validateRequest("git/create-ref", { params: repo, body: { ref: "refs/heads/x" } });
    expect(violations).toMatchObject([{ operationId: "git/create-ref", location: "body", field: "sha" }]);
    expect(gitHubValidationError(violations).message).toBe('Invalid request.\n\n"sha" wasn\'t supplied.');
  });

  test("words nested fields, enums, alternatives and forbidden keys readably", () => {
    const checkRun = validateRequest("checks/create", {
      params: repo,
      body: { name: "lts-steward", head_sha: "abc", output: { title: 5, summary: "s" }, status: "done" },
    });
    expect(described(checkRun)).toEqual([
      "checks/create: body.output.title must be string (got 5)",
      'checks/create: body.status must be one of queued, in_progress, completed (got "done")',
    ]);
    const issue = validateRequest("issues/create", { params: repo, body: { title: true, labels: ["ok", 3] } });
    expect(described(issue)).toEqual([
      "issues/create: body.labels[1] must be string or object (got 3)",
      "issues/create: body.title must be string or integer (got true)",
    ]);
    const fieldValue = validateRequest("issues/create", { params: repo, body: { title: "t", issue_field_values: [{ field_id: 1, value: "v", extra: 1 }] } });
    expect(fieldValue).toMatchObject([{ field: "issue_field_values[0].extra", message: '"issue_field_values[0].extra" is not a permitted key, got number 1' }]);
    expect(gitHubValidationError(fieldValue).message).toBe('Invalid request.\n\n"extra" is not a permitted key.');
  });
});

describe("validateResponse", () => {
  const sha = "aa218f56b14c9653891f9e74264a383fa43fefbd";
  const ref = {
    ref: "refs/heads/release-36.0.x",
    node_id: "MDM6UmVmcmVmcy9oZWFkcy9mZWF0dXJlQQ==",
    url: "https://api.github.com/repos/octo-org/octo-repo/git/refs/heads/release-36.0.x",
    object: { type: "commit", sha, url: `https://api.github.com/repos/octo-org/octo-repo/git/commits/${sha}` },
  };

  test("accepts a realistic git ref and rejects one without its object", () => {
    expect(validateResponse("git/get-ref", 200, ref)).toEqual([]);
    const { object: _object, ...withoutObject } = ref;
    expect(validateResponse("git/get-ref", 200, withoutObject)).toMatchObject([{ location: "response", field: "object" }]);
  });

  test("flags a success status GitHub does not use for the operation", () => {
    expect(described(validateResponse("git/create-ref", 200, ref))).toEqual([
      "git/create-ref: response is not a documented success status (GitHub answers 201) (got 200)",
    ]);
    expect(validateResponse("git/delete-ref", 204, undefined)).toEqual([]);
    expect(validateResponse("git/get-ref", 404, { message: "Not Found" })).toEqual([]);
  });
});

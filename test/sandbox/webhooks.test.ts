import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sign, verify } from "@octokit/webhooks-methods";
import { deliverWebhook } from "../../sandbox/webhooks/deliver.js";
import { installationCreatedEvent } from "../../sandbox/webhooks/installation-payload.js";
import {
  issueCommentEvent,
  pullRequestEvent,
  releaseEvent,
  repositoryAdvisoryEvent,
  securityAdvisoryEvent,
  type WebhookEvent,
} from "../../sandbox/webhooks/payloads.js";
import { pushEvent, type PushCommit } from "../../sandbox/webhooks/push-payload.js";
import { checkWebhookPayload, hasWebhookSchema } from "../../sandbox/webhooks/schema-check.js";
import { signPayload } from "../../sandbox/webhooks/sign.js";
import { loadOpenApiValidator, type OpenApiValidator } from "./openapi-validator.js";
import { makeWorld, SHA } from "./records.js";

const w = makeWorld();
const { ctx, repo } = w;
const base = { ctx, sender: w.maintainer, installation: w.installation.id };
const ZERO = "0000000000000000000000000000000000000000";

const fixCommit: PushCommit = {
  id: SHA.fixHead,
  treeId: SHA.tree,
  message: "Fix out-of-bounds read in table.copy\n\nNegative lengths were not rejected.",
  timestamp: "2025-11-05T16:30:00Z",
  author: { name: "Jane Doe", email: "jane@example.com", username: "jdoe-dev" },
  modified: ["crates/wasmtime/src/runtime/vm/table.rs"],
};
const mergeCommit: PushCommit = {
  id: SHA.mergeCommit,
  treeId: SHA.tree,
  message: "Merge pull request #11201 from jdoe-dev/fix-table-copy",
  timestamp: "2025-11-05T16:40:12Z",
  author: { name: "Alex Crichton", email: "alex@alexcrichton.com", username: "alexcrichton" },
  committer: { name: "GitHub", email: "noreply@github.com", username: "web-flow" },
};
const closedUnmerged = { ...w.backport, state: "closed" as const, closedAt: "2025-11-06T08:00:00Z", updatedAt: "2025-11-06T08:00:00Z" };

/** Every builder, with the OpenAPI webhook schema that also describes it. */
const events: [what: string, openapiSchema: string, build: () => WebhookEvent][] = [
  ["pull_request opened", "webhook-pull-request-opened", () => pullRequestEvent({ ...base, action: "opened", repo, issue: w.backport, pull: w.backportPull })],
  ["pull_request closed (merged)", "webhook-pull-request-closed", () => pullRequestEvent({ ...base, action: "closed", repo, issue: w.fix, pull: w.fixPull })],
  ["pull_request closed (not merged)", "webhook-pull-request-closed", () => pullRequestEvent({ ...base, action: "closed", repo, issue: closedUnmerged, pull: w.backportPull })],
  ["pull_request labeled", "webhook-pull-request-labeled", () => pullRequestEvent({ ...base, action: "labeled", repo, issue: w.fix, pull: w.fixPull, label: repo.labels.get("backport: release-39.0.0")! })],
  ["issue_comment created on a pull request", "webhook-issue-comment-created", () => issueCommentEvent({ ...base, repo, comment: w.pullComment })],
  ["issue_comment created on an issue", "webhook-issue-comment-created", () => issueCommentEvent({ ...base, repo, comment: w.issueComment })],
  ["release published", "webhook-release-published", () => releaseEvent({ ...base, repo, release: w.release })],
  ["repository_advisory published", "webhook-repository-advisory-published", () => repositoryAdvisoryEvent({ ...base, repo, advisory: w.advisory, action: "published" })],
  ["repository_advisory reported", "webhook-repository-advisory-reported", () => repositoryAdvisoryEvent({ ...base, repo, advisory: w.reported, action: "reported" })],
  ["security_advisory published", "webhook-security-advisory-published", () => securityAdvisoryEvent({ ctx, advisory: w.advisory, action: "published" })],
  ["security_advisory updated", "webhook-security-advisory-updated", () => securityAdvisoryEvent({ ctx, advisory: w.reported, action: "updated" })],
  ["security_advisory withdrawn", "webhook-security-advisory-withdrawn", () => securityAdvisoryEvent({ ctx, advisory: { ...w.advisory, state: "withdrawn" }, action: "withdrawn" })],
  ["push to a branch", "webhook-push", () => pushEvent({ ...base, repo, ref: "refs/heads/main", before: SHA.mainTip, after: SHA.mergeCommit, commits: [fixCommit, mergeCommit] })],
  ["push of a new tag", "webhook-push", () => pushEvent({ ...base, repo: w.userRepo, ref: "refs/tags/v39.0.1", before: ZERO, after: SHA.mergeCommit, commits: [], headCommit: mergeCommit })],
  ["push deleting a branch", "webhook-push", () => pushEvent({ ...base, repo, ref: "refs/heads/fix-table-copy", before: SHA.fixHead, after: ZERO, commits: [] })],
  ["installation created", "webhook-installation-created", () => installationCreatedEvent({ ctx, installation: w.installation, app: w.app, repositories: [repo, w.userRepo], sender: w.maintainer })],
];

/**
 * Where the two schema sets disagree, @octokit/webhooks-schemas wins (deliveries are checked against it). Its
 * release object is closed and predates `immutable` and `updated_at`, which GitHub's OpenAPI now requires.
 */
const OPENAPI_GAPS: Record<string, string[]> = {
  "webhook-release-published": ["/release: must have required property 'immutable'", "/release: must have required property 'updated_at'"],
};

describe("payloads", () => {
  let openapi: OpenApiValidator;
  beforeAll(() => {
    openapi = loadOpenApiValidator();
  });

  test.each(events)("%s conforms to @octokit/webhooks-schemas", (_what, _schema, build) => {
    const { name, payload } = build();
    const action = typeof payload["action"] === "string" ? payload["action"] : undefined;
    expect(hasWebhookSchema(name, action)).toBe(name !== "repository_advisory");
    expect(checkWebhookPayload(name, payload)).toEqual([]);
  });

  test.each(events)("%s conforms to GitHub's OpenAPI webhook schema %s, but for known gaps", (_what, schema, build) => {
    expect(openapi.problems(schema, build().payload)).toEqual(OPENAPI_GAPS[schema] ?? []);
  });
});

test("pull_request payloads carry number, sender, installation and, for organizations, the organization", () => {
  const { name, payload } = pullRequestEvent({ ...base, action: "labeled", repo, issue: w.fix, pull: w.fixPull, label: repo.labels.get("bug")! });
  expect(name).toBe("pull_request");
  expect(payload).toMatchObject({
    action: "labeled",
    number: 11201,
    label: { name: "bug", id: 7001 },
    pull_request: { merged: true, head: { sha: SHA.fixHead }, base: { sha: SHA.mainTip } },
    repository: { full_name: "bytecodealliance/wasmtime", created_at: "2017-08-08T20:23:27Z" },
    organization: { login: "bytecodealliance" },
    sender: { login: "alexcrichton" },
    installation: { id: 40123 },
  });
  expect(payload["pull_request"]).not.toHaveProperty("closed_by");
});

test("issue_comment payloads tell pull requests from plain issues by the issue's pull_request key", () => {
  const onPull = issueCommentEvent({ ...base, repo, comment: w.pullComment }).payload;
  const onIssue = issueCommentEvent({ ...base, repo, comment: w.issueComment }).payload;
  expect(onPull).toMatchObject({ action: "created", issue: { number: 11201, pull_request: { merged_at: "2025-11-05T16:40:12Z" } }, comment: { body: "/backport release-38.0.0" } });
  expect(onIssue["issue"]).not.toHaveProperty("pull_request");
  expect(onIssue["issue"]).not.toHaveProperty("closed_by");
  expect(() => issueCommentEvent({ ...base, repo, comment: { ...w.issueComment, issueNumber: 1 } })).toThrow(/issue #1/);
});

test("a release with no name or notes is sent with empty strings, as the webhook schema types them", () => {
  expect(releaseEvent({ ...base, repo, release: w.release }).payload["release"]).toMatchObject({ name: "", body: "", published_at: "2025-11-20T12:05:00Z" });
});

test("security_advisory payloads carry no repository, sender or installation, like GitHub's", () => {
  const { payload } = securityAdvisoryEvent({ ctx, advisory: { ...w.advisory, withdrawnAt: null }, action: "withdrawn" });
  expect(Object.keys(payload)).toEqual(["action", "security_advisory"]);
  expect(payload["security_advisory"]).toMatchObject({ ghsa_id: "GHSA-q8hx-mm92-4wvg", withdrawn_at: "2025-11-20T12:10:00Z" });
});

test("push payloads list commits oldest first and give the repository's times as unix seconds", () => {
  const { name, payload } = pushEvent({ ...base, repo, ref: "refs/heads/main", before: SHA.mainTip, after: SHA.mergeCommit, commits: [fixCommit, mergeCommit] });
  expect(name).toBe("push");
  expect(payload).toMatchObject({
    created: false,
    deleted: false,
    forced: false,
    compare: `http://127.0.0.1:4567/bytecodealliance/wasmtime/compare/${SHA.mainTip.slice(0, 12)}...${SHA.mergeCommit.slice(0, 12)}`,
    commits: [{ id: SHA.fixHead, distinct: true, modified: ["crates/wasmtime/src/runtime/vm/table.rs"] }, { id: SHA.mergeCommit, committer: { username: "web-flow" } }],
    head_commit: { id: SHA.mergeCommit, url: `http://127.0.0.1:4567/bytecodealliance/wasmtime/commit/${SHA.mergeCommit}` },
    pusher: { name: "alexcrichton", email: null },
    repository: { created_at: 1502223807, pushed_at: 1762360812, organization: "bytecodealliance", master_branch: "main" },
  });
  const tag = pushEvent({ ...base, repo: w.userRepo, ref: "refs/tags/v39.0.1", before: ZERO, after: SHA.mergeCommit, commits: [] }).payload;
  expect(tag).toMatchObject({ created: true, head_commit: null, compare: "http://127.0.0.1:4567/alexcrichton/toy-runtime/compare/v39.0.1" });
  expect(tag["repository"]).not.toHaveProperty("organization");
  expect(tag).not.toHaveProperty("organization");
});

test("installation created lists the repositories and leaves out events the webhook schema does not know", () => {
  const { payload } = installationCreatedEvent({ ctx, installation: w.installation, app: w.app, repositories: [repo], sender: w.maintainer });
  expect(payload).toMatchObject({ action: "created", installation: { id: 40123, app_id: 987654 }, repositories: [{ full_name: "bytecodealliance/wasmtime", private: false }] });
  expect((payload["installation"] as { events: string[] }).events).toEqual(["issue_comment", "pull_request", "push", "release"]);
});

describe("schema check", () => {
  const labeled = () => pullRequestEvent({ ...base, action: "labeled", repo, issue: w.fix, pull: w.fixPull, label: repo.labels.get("bug")! }).payload;

  test("names the JSON path of a missing or mistyped property", () => {
    const payload = labeled();
    delete (payload["pull_request"] as Record<string, unknown>)["merged"];
    (payload["sender"] as Record<string, unknown>)["id"] = "64996";
    const problems = checkWebhookPayload("pull_request", payload);
    expect(problems).toContain("/pull_request: must have required property 'merged'");
    expect(problems).toContain("/sender/id: must be integer");
  });

  test("rejects properties the closed webhook objects do not allow", () => {
    expect(checkWebhookPayload("pull_request", { ...labeled(), extra: true })).toContain('/: must NOT have additional properties "extra"');
  });

  test("passes what it has no schema for, and says so", () => {
    expect(hasWebhookSchema("repository_advisory", "published")).toBe(false);
    expect(checkWebhookPayload("repository_advisory", { action: "published" })).toEqual([]);
    expect(hasWebhookSchema("pull_request", "closed")).toBe(true);
    expect(hasWebhookSchema("push")).toBe(true);
  });
});

test("signatures match @octokit/webhooks-methods", async () => {
  const body = JSON.stringify(issueCommentEvent({ ...base, repo, comment: w.pullComment }).payload);
  expect(signPayload("sandbox-webhook-secret", body)).toBe(await sign("sandbox-webhook-secret", body));
  expect(signPayload("sandbox-webhook-secret", "{}")).toMatch(/^sha256=[0-9a-f]{64}$/);
});

describe("delivery", () => {
  interface Received {
    headers: IncomingHttpHeaders;
    body: string;
    verified: boolean;
  }
  const received: Received[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        // A hook that never answers, for the timeout test.
        if (req.url === "/hang") return;
        const body = Buffer.concat(chunks).toString("utf8");
        void verify(w.app.webhookSecret, body, String(req.headers["x-hub-signature-256"])).then((verified) => {
          received.push({ headers: req.headers, body, verified });
          res.writeHead(verified ? 202 : 400, { "content-type": "text/plain" }).end(verified ? "accepted" : "bad signature");
        });
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  });
  beforeEach(() => {
    received.length = 0;
  });

  const event = () => pullRequestEvent({ ...base, action: "closed", repo, issue: w.fix, pull: w.fixPull });

  test("posts the JSON body with GitHub's headers and a signature the receiver verifies", async () => {
    const { name, payload } = event();
    const result = await deliverWebhook({ url, secret: w.app.webhookSecret, name, payload });
    expect(result).toMatchObject({ status: 202, body: "accepted" });
    expect(result.deliveryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(received).toHaveLength(1);
    const [hit] = received;
    expect(hit?.verified).toBe(true);
    expect(JSON.parse(hit?.body ?? "")).toEqual(payload);
    expect(hit?.headers).toMatchObject({
      "x-github-event": "pull_request",
      "x-github-delivery": result.deliveryId,
      "user-agent": "GitHub-Hookshot/sandbox",
      "content-type": "application/json",
    });
  });

  test("uses the given delivery id, and sends an overriding signature as is", async () => {
    const { name, payload } = event();
    const result = await deliverWebhook({ url, secret: w.app.webhookSecret, name, payload, deliveryId: "d-1", signature: "sha256=00" });
    expect(result).toMatchObject({ status: 400, body: "bad signature", deliveryId: "d-1" });
    expect(received[0]?.headers["x-hub-signature-256"]).toBe("sha256=00");
  });

  test("refuses a payload that fails the schema check before sending it, unless told to skip the check", async () => {
    const { name, payload } = event();
    const broken = { ...payload, number: "11201" };
    await expect(deliverWebhook({ url, secret: w.app.webhookSecret, name, payload: broken })).rejects.toThrow(
      /pull_request\.closed.*\n.*\/number: must be integer/,
    );
    expect(received).toHaveLength(0);
    const sent = await deliverWebhook({ url, secret: w.app.webhookSecret, name, payload: broken, skipSchemaCheck: true });
    expect(sent.status).toBe(202);
    expect(received).toHaveLength(1);
  });

  test("gives up on a hook that does not answer in time, saying so", async () => {
    const { name, payload } = event();
    const hang = new URL("/hang", url).href;
    await expect(deliverWebhook({ url: hang, secret: w.app.webhookSecret, name, payload, timeoutMs: 100 })).rejects.toThrow(
      `Delivering pull_request.closed to ${hang} failed: no answer within 100 ms`,
    );
  });
});

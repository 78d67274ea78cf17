/**
 * The backport handlers through Probot's `receive()`, with nock standing in for GitHub (DESIGN.md §6). Payloads
 * come from the sandbox's builders and are checked against `@octokit/webhooks-schemas`; every request the App
 * makes is checked against GitHub's OpenAPI description, and every answer nock gives against its component schemas.
 */
import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { Probot } from "probot";
import { createApp } from "../../src/app.js";
import { AppOctokit } from "../../src/github/app-octokit.js";
import { WritePacer } from "../../src/github/pacer.js";
import { JobQueue } from "../../src/runtime/job-queue.js";
import { describeViolation, matchOperation, validateRequest } from "../../sandbox/openapi/contract.js";
import { commentJson, userJson } from "../../sandbox/shapes/index.js";
import type { CommentRecord, LabelRecord, UserRecord } from "../../sandbox/state/types.js";
import { issueCommentEvent, pullRequestEvent, type WebhookEvent } from "../../sandbox/webhooks/payloads.js";
import { checkWebhookPayload } from "../../sandbox/webhooks/schema-check.js";
import { loadOpenApiValidator, type OpenApiValidator } from "../sandbox/openapi-validator.js";
import { makeWorld } from "../sandbox/records.js";

const API = "https://api.github.com";
const REPO = "/repos/bytecodealliance/wasmtime";
const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

// The sandbox's records, shaped as github.com would send them.
const w = makeWorld();
w.ctx.apiUrl = API;
w.ctx.webUrl = "https://github.com";
const reader: UserRecord = { login: "casual-reader", id: 9100001, type: "User" };
const lts: LabelRecord = { id: 7003, name: "backport:lts", color: "0e8a16", description: null };
w.repo.labels.set(lts.name, lts);
const base = { ctx: w.ctx, installation: w.installation.id };

const command = (fields: Partial<CommentRecord> & Pick<CommentRecord, "id" | "user">): CommentRecord => ({
  issueNumber: w.fix.number, body: "/backport lts", createdAt: "2026-03-10T09:00:00Z", updatedAt: "2026-03-10T09:00:00Z", ...fields,
});

/** A payload the schema package accepts, or the test stops here. */
function checked(event: WebhookEvent): WebhookEvent {
  expect(checkWebhookPayload(event.name, event.payload)).toEqual([]);
  return event;
}

const events = {
  botCommand: () => checked(issueCommentEvent({ ...base, sender: w.bot, repo: w.repo, comment: command({ id: 990001, user: w.bot }) })),
  readerCommand: () => checked(issueCommentEvent({ ...base, sender: reader, repo: w.repo, comment: command({ id: 990002, user: reader }) })),
  labeledOpen: () =>
    checked(pullRequestEvent({
      ...base, sender: w.maintainer, action: "labeled", label: lts, repo: w.repo,
      issue: { ...w.fix, state: "open", closedAt: null, closedBy: null, labels: ["bug", lts.name] },
      pull: { ...w.fixPull, merged: false, mergedAt: null, mergedBy: null, mergeCommitSha: null },
    })),
  labeledMerged: () =>
    checked(pullRequestEvent({ ...base, sender: w.maintainer, action: "labeled", label: lts, repo: w.repo, issue: { ...w.fix, labels: ["bug", lts.name] }, pull: w.fixPull })),
};

interface Seen {
  method: string;
  path: string;
  body: unknown;
}

let openapi: OpenApiValidator;
let probot: Probot;
let queue: JobQueue;
let seen: Seen[];
let unmatched: string[];
let violations: string[];
let logs: Record<string, unknown>[];
const recordUnmatched = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method ?? "?"} ${req.href ?? req.path ?? "?"}`);

/** Answers one request the App is expected to make, checking it against the operation and the answer against `schema`. */
function expectRequest(options: { method: "GET" | "POST"; path: string; query?: Record<string, string>; status: number; reply: unknown; schema?: string; headers?: Record<string, string> }) {
  const { method, path, status, reply, schema } = options;
  if (schema) {
    const items = Array.isArray(reply) ? reply : [reply];
    for (const item of items) expect([schema, openapi.problems(schema, item)]).toEqual([schema, []]);
  }
  const scope = nock(API);
  const interceptor = method === "GET" ? scope.get(path) : scope.post(path);
  (options.query ? interceptor.query(options.query) : interceptor).reply(function (uri, body) {
    const url = new URL(uri, API);
    const match = matchOperation(method, url.pathname);
    if (!match) {
      violations.push(`${method} ${url.pathname}: not a GitHub operation`);
    } else {
      const found = validateRequest(match.operationId, {
        params: match.params,
        query: Object.fromEntries(url.searchParams),
        body: body === "" ? undefined : body,
      });
      violations.push(...found.map(describeViolation));
    }
    seen.push({ method, path: url.pathname + url.search, body: body === "" ? undefined : body });
    return [status, typeof reply === "string" ? reply : JSON.stringify(reply), options.headers ?? { "content-type": "application/json; charset=utf-8" }];
  });
}

const notFound = { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content", status: "404" };

/** `.github/lts-steward.yml` as the App's config reader asks for it: the contents API's JSON (its size, then base64). */
const configFile = (yaml: string | null) => {
  if (yaml === null) return expectRequest({ method: "GET", path: `${REPO}/contents/.github%2Flts-steward.yml`, status: 404, reply: notFound, schema: "basic-error" });
  const path = ".github/lts-steward.yml";
  const url = `https://api.github.com${REPO}/contents/${path}?ref=main`;
  const git = `https://api.github.com${REPO}/git/blobs/3f786850e387550fdab836ed7e6dc881de23001b`;
  const html = `https://github.com${REPO.replace("/repos", "")}/blob/main/${path}`;
  const reply = {
    type: "file", encoding: "base64", size: Buffer.byteLength(yaml), name: "lts-steward.yml", path, content: Buffer.from(yaml).toString("base64"),
    sha: "3f786850e387550fdab836ed7e6dc881de23001b", url, git_url: git, html_url: html, download_url: html.replace("/blob/", "/raw/"), _links: { self: url, git, html },
  };
  return expectRequest({ method: "GET", path: `${REPO}/contents/.github%2Flts-steward.yml`, status: 200, reply, schema: "content-file" });
};

async function deliver(event: WebhookEvent, id = `delivery-${Math.random().toString(16).slice(2)}`) {
  await probot.receive({ id, name: event.name, payload: event.payload } as unknown as Parameters<Probot["receive"]>[0]);
  await queue.idle();
}

beforeAll(() => {
  openapi = loadOpenApiValidator();
  nock.disableNetConnect();
  nock.emitter.on("no match", recordUnmatched);
});

afterAll(() => {
  nock.emitter.removeListener("no match", recordUnmatched);
  nock.enableNetConnect();
});

beforeEach(async () => {
  seen = [];
  unmatched = [];
  violations = [];
  logs = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level: "debug" }, sink);
  queue = new JobQueue(log);
  probot = new Probot({ appId: 1, privateKey, githubToken: "test-token", Octokit: AppOctokit, log });
  await probot.load(createApp({ today: () => "2026-03-10", queue, pacer: new WritePacer({ intervalMs: 0 }), retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 }, appSlug: "lts-steward", recovery: false }));
});

afterEach(() => {
  nock.cleanAll();
});

/** Nothing was asked that was not expected, every expected request came, and each one was GitHub-shaped. */
function expectExactlyTheNockedRequests() {
  expect(unmatched).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
  expect(violations).toEqual([]);
  expect(queue.stats.failed).toBe(0);
  expect(logs.filter((l) => Number(l["level"]) >= 50).map((l) => l["msg"])).toEqual([]);
}

test("a /backport comment by a bot is ignored without a single request", async () => {
  await deliver(events.botCommand());
  expectExactlyTheNockedRequests();
  expect(seen).toEqual([]);
  expect(queue.stats).toEqual({ pending: 0, completed: 0, failed: 0 });
});

describe("/backport lts from someone with read permission", () => {
  const permission = () => ({
    permission: "read",
    role_name: "read",
    user: { ...userJson(w.ctx, reader), permissions: { admin: false, maintain: false, push: false, triage: false, pull: true }, role_name: "read" },
  });
  const posted = (body: string) => commentJson(w.ctx, w.repo, { id: 990100, issueNumber: w.fix.number, body, user: w.bot, createdAt: "2026-03-10T09:00:05Z", updatedAt: "2026-03-10T09:00:05Z" });

  function expectRefusalRequests() {
    configFile("preset: wasmtime\n");
    expectRequest({ method: "GET", path: `${REPO}/issues/${w.fix.number}/comments`, query: { per_page: "100", page: "1" }, status: 200, reply: [], schema: "issue-comment" });
    expectRequest({ method: "GET", path: `${REPO}/collaborators/${reader.login}/permission`, status: 200, reply: permission(), schema: "repository-collaborator-permission" });
    const reply = posted("(the refusal)");
    expectRequest({ method: "POST", path: `${REPO}/issues/${w.fix.number}/comments`, status: 201, reply, schema: "issue-comment" });
    // A record just created is checked for a twin from another copy of the App (state/records.ts).
    expectRequest({ method: "GET", path: `${REPO}/issues/${w.fix.number}/comments`, query: { per_page: "100", page: "1" }, status: 200, reply: [reply], schema: "issue-comment" });
  }

  test("reads the config, the comments and the permission, then posts one refusal naming the person and their role", async () => {
    expectRefusalRequests();
    await deliver(events.readerCommand());
    expectExactlyTheNockedRequests();
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      `GET ${REPO}/contents/.github%2Flts-steward.yml`,
      `GET ${REPO}/issues/11201/comments?per_page=100&page=1`,
      `GET ${REPO}/collaborators/casual-reader/permission`,
      `POST ${REPO}/issues/11201/comments`,
      `GET ${REPO}/issues/11201/comments?per_page=100&page=1`,
    ]);
    const writes = seen.filter((s) => s.method !== "GET");
    expect(writes).toHaveLength(1);
    const body = (writes[0]?.body as { body: string }).body;
    expect(Object.keys(writes[0]?.body as object)).toEqual(["body"]);
    expect(body).toContain("<!-- lts-steward:reply comment-990002 -->");
    expect(body).toContain("@casual-reader, only people with write, maintain or admin permission on this repository can ask for backports; you have read. Nothing was done.");
  });

  test("the same delivery received twice is answered once", async () => {
    expectRefusalRequests();
    const event = events.readerCommand();
    await deliver(event, "delivery-twice");
    await deliver(event, "delivery-twice");
    expectExactlyTheNockedRequests();
    expect(seen.filter((s) => s.method === "POST")).toHaveLength(1);
    expect(queue.stats).toEqual({ pending: 0, completed: 1, failed: 0 });
    expect(logs.some((l) => l["msg"] === "webhook delivered again: already handled")).toBe(true);
  });
});

describe("pull_request.labeled", () => {
  test("on an unmerged PR: no request (its labels are read again at merge)", async () => {
    await deliver(events.labeledOpen());
    expectExactlyTheNockedRequests();
    expect(seen).toEqual([]);
    expect(queue.stats).toEqual({ pending: 0, completed: 0, failed: 0 });
  });

  test("control: the same label on a merged PR starts a job, which reads the config first (none here, so it stops)", async () => {
    configFile(null);
    expectRequest({ method: "GET", path: "/repos/bytecodealliance/.github/contents/.github%2Flts-steward.yml", status: 404, reply: notFound, schema: "basic-error" });
    await deliver(events.labeledMerged());
    expectExactlyTheNockedRequests();
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      `GET ${REPO}/contents/.github%2Flts-steward.yml`,
      "GET /repos/bytecodealliance/.github/contents/.github%2Flts-steward.yml",
    ]);
    expect(queue.stats).toEqual({ pending: 0, completed: 1, failed: 0 });
    expect(logs.some((l) => l["msg"] === "no usable config (missing): nothing done")).toBe(true);
  });
});

describe("pull_request.ready_for_review and synchronize (conflict drafts, backport.conflicts: draft-pr)", () => {
  const draftBody = "<!-- lts-steward:conflict-draft pr-1/release-36.0.0 -->\n\nThe cherry-pick conflicts.";
  const readyEvent = (options: { action: "ready_for_review" | "synchronize"; body: string | null; draft: boolean }) =>
    checked(pullRequestEvent({
      ...base, sender: w.maintainer, repo: w.repo, issue: { ...w.fix, state: "open", closedAt: null, closedBy: null, body: options.body },
      pull: { ...w.fixPull, draft: options.draft, merged: false, mergedAt: null, mergedBy: null, mergeCommitSha: null },
      ...(options.action === "synchronize" ? { action: "synchronize" as const, before: "0".repeat(40) } : { action: "ready_for_review" as const }),
    }));

  // (A push also starts the config check, which has its own tests: only ready_for_review is asserted bare here.)
  test("a PR that is not a conflict draft of the App's: no request, no job", async () => {
    await deliver(readyEvent({ action: "ready_for_review", body: "Fixes the thing.", draft: false }));
    await deliver(readyEvent({ action: "ready_for_review", body: null, draft: false }));
    expectExactlyTheNockedRequests();
    expect(seen).toEqual([]);
    expect(queue.stats).toEqual({ pending: 0, completed: 0, failed: 0 });
  });

  test("control: a conflict draft marked ready starts a job, which reads the config first (none here, so it stops)", async () => {
    configFile(null);
    expectRequest({ method: "GET", path: "/repos/bytecodealliance/.github/contents/.github%2Flts-steward.yml", status: 404, reply: notFound, schema: "basic-error" });
    await deliver(readyEvent({ action: "ready_for_review", body: draftBody, draft: false }));
    expectExactlyTheNockedRequests();
    expect(queue.stats).toEqual({ pending: 0, completed: 1, failed: 0 });
  });
});

/**
 * The project's Probot App, with a test handler, running against the sandbox through real HTTP: GitHub
 * Enterprise-style base URL, App JWT → installation token, config read from the repository, signed
 * webhooks delivered by the driver, and a bad signature refused.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createNodeMiddleware, Probot, ProbotOctokit, type ApplicationFunction } from "probot";
import { createApp } from "../../src/app.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import type { WebhookDriver } from "../../sandbox/webhooks/driver.js";

let sandbox: Sandbox;
let repo: RepoRecord;
let server: Server;
let driver: WebhookDriver;
const logs: Record<string, unknown>[] = [];

/** Answers `/ping` on a PR with a reaction and a comment naming the preset from the repository's config. */
const testHandler: ApplicationFunction = (app) => {
  app.on("issue_comment.created", async (context) => {
    if (context.isBot || context.payload.comment.body.trim() !== "/ping") return;
    const config = (await context.config<{ preset?: string }>("lts-steward.yml")) ?? {};
    await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: context.payload.comment.id, content: "eyes" }));
    await context.octokit.rest.issues.createComment(context.issue({ body: `pong (preset: ${config.preset ?? "none"})` }));
  });
};

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo } = await sandbox.seedWasmtime({ through: "2025-10-10" }));
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  const probot = new Probot({
    appId,
    privateKey,
    secret: webhookSecret,
    baseUrl,
    log: pino(sink),
    Octokit: ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }),
  });
  const appFn: ApplicationFunction = async (app, options) => {
    await createApp({ today: () => "2025-10-10", recovery: false })(app, options);
    await testHandler(app, options);
  };
  const middleware = await createNodeMiddleware(appFn, { probot });
  server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  driver = sandbox.webhooks(`http://127.0.0.1:${port}/api/github/webhooks`);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await sandbox.stop();
});

afterEach(() => {
  sandbox.assertNoViolations();
});

test("a signed webhook reaches the App, which reads its config and answers through the sandbox's REST API", async () => {
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-ping", title: "Fix the ping", files: { "PING.md": "pong\n" }, author: WASMTIME_PEOPLE.committer,
  });
  const comment = sandbox.scenario.comment({ repo, number: issue.number, body: "/ping", author: WASMTIME_PEOPLE.maintainer });
  const mark = sandbox.log.mark();
  const delivery = await driver.send(driver.issueComment({ repo, comment }));
  expect(delivery.status).toBe(200);
  const replies = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number && c.user.login === "lts-steward[bot]");
  expect(replies.map((c) => c.body)).toEqual(["pong (preset: wasmtime)"]);
  expect(repo.reactions).toContainEqual(expect.objectContaining({ subject: { kind: "comment", id: comment.id }, content: "eyes" }));
  const operations = sandbox.log.since(mark).map((c) => c.operationId);
  expect(operations).toEqual(expect.arrayContaining(["apps/create-installation-access-token", "repos/get-content", "reactions/create-for-issue-comment", "issues/create-comment"]));
});

test("a webhook with a bad signature is refused and the App does nothing", async () => {
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-forged", title: "Forged", files: { "FORGED.md": "x\n" }, author: WASMTIME_PEOPLE.outsider,
  });
  const comment = sandbox.scenario.comment({ repo, number: issue.number, body: "/ping", author: WASMTIME_PEOPLE.outsider });
  const mark = sandbox.log.mark();
  const delivery = await driver.send(driver.issueComment({ repo, comment }), { signature: `sha256=${"0".repeat(64)}` });
  expect(delivery.status).toBe(400);
  expect(sandbox.log.since(mark)).toEqual([]);
  expect([...repo.comments.values()].filter((c) => c.issueNumber === issue.number)).toHaveLength(1);
});

/**
 * The sandbox sending webhooks by itself (`sandbox.deliverTo`): what people and the App change through the
 * REST API arrives at the App's URL as GitHub would send it (signed, with GitHub's headers, payloads that pass
 * @octokit/webhooks-schemas), in order, after the REST answer; an App that is not there never breaks the API.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import type { Octokit } from "@octokit/rest";
import { freePort } from "../../scripts/demo/app-process.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE as people } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import type { OutboxRetry } from "../../sandbox/webhooks/outbox.js";
import { checkWebhookPayload } from "../../sandbox/webhooks/schema-check.js";
import { eventually } from "../helpers/eventually.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  payload: Record<string, unknown> & { action?: string };
  verified: boolean;
}

const DAY = "2025-10-10";
let sandbox: Sandbox;
let repo: RepoRecord;
let owner: string;
let name: string;
let committer: Octokit;
let maintainer: Octokit;
let receiver: { server: Server; url: string; received: Received[] };

/** An App stand-in: checks each signature with the App's secret and answers 200 (400 for a bad one). */
async function startReceiver(port = 0): Promise<typeof receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url === "/hang") return;
      const body = Buffer.concat(chunks).toString("utf8");
      void verify(sandbox.credentials.webhookSecret, body, String(req.headers["x-hub-signature-256"])).then((verified) => {
        received.push({ headers: req.headers, body, payload: JSON.parse(body) as Received["payload"], verified });
        res.writeHead(verified ? 200 : 400).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`, received };
}

const stopReceiver = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const names = (received: Received[]) => received.map((r) => [r.headers["x-github-event"], r.payload.action].filter(Boolean).join("."));

/** A topic branch with one new file, through the REST API only, and its PR. */
async function openFixPull(branch: string): Promise<number> {
  const main = (await committer.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
  await committer.git.createRef({ owner, repo: name, ref: `refs/heads/${branch}`, sha: main });
  const content = Buffer.from(`${branch}\n`).toString("base64");
  await committer.repos.createOrUpdateFileContents({ owner, repo: name, path: `docs/${branch}.md`, message: `Fix ${branch}`, content, branch });
  return (await committer.pulls.create({ owner, repo: name, title: `Fix ${branch}`, head: branch, base: "main" })).data.number;
}

beforeAll(async () => {
  sandbox = await Sandbox.start({ now: () => new Date(`${DAY}T${new Date().toISOString().slice(11)}`) });
  ({ repo } = await sandbox.seedWasmtime({ through: DAY }));
  [owner, name] = [repo.owner.login, repo.name];
  committer = await sandbox.client({ login: people.committer });
  maintainer = await sandbox.client({ login: people.maintainer });
  receiver = await startReceiver();
});

afterAll(async () => {
  await sandbox.stop();
  await stopReceiver(receiver.server);
});

afterEach(() => {
  sandbox.faults.clear();
  sandbox.assertNoViolations();
});

test("a PR opened, labelled and merged through REST arrives as signed, schema-valid webhooks, in order: pull_request.closed with merged true after the push to its base", async () => {
  receiver.received.length = 0;
  const outbox = sandbox.deliverTo(receiver.url);
  const number = await openFixPull("fix-merge");
  await committer.issues.addLabels({ owner, repo: name, issue_number: number, labels: ["backport:lts"] });
  const mainBefore = (await maintainer.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
  const merged = await maintainer.pulls.merge({ owner, repo: name, pull_number: number, merge_method: "squash" });
  await outbox.idle();

  expect(names(receiver.received)).toEqual(["push", "push", "pull_request.opened", "pull_request.labeled", "push", "pull_request.closed"]);
  for (const { headers, body, payload, verified } of receiver.received) {
    expect(verified).toBe(true);
    expect(headers["x-hub-signature-256"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers["content-type"]).toBe("application/json");
    expect(checkWebhookPayload(String(headers["x-github-event"]), payload)).toEqual([]);
    expect(JSON.parse(body)).toMatchObject({ repository: { full_name: `${owner}/${name}` }, installation: { id: repo.installationId } });
  }
  expect(new Set(receiver.received.map((r) => r.headers["x-github-delivery"])).size).toBe(receiver.received.length);

  const [branchCreated, fileWritten, opened, labeled, pushToMain, closed] = receiver.received.map((r) => r.payload);
  expect(branchCreated).toMatchObject({ ref: "refs/heads/fix-merge", created: true, before: "0".repeat(40), after: mainBefore, commits: [] });
  expect(fileWritten).toMatchObject({ ref: "refs/heads/fix-merge", before: mainBefore, commits: [{ message: "Fix fix-merge", added: ["docs/fix-merge.md"] }] });
  expect(opened).toMatchObject({ number, pull_request: { state: "open", user: { login: people.committer } }, sender: { login: people.committer } });
  expect(labeled).toMatchObject({ number, label: { name: "backport:lts" }, sender: { login: people.committer } });
  expect(pushToMain).toMatchObject({ ref: "refs/heads/main", before: mainBefore, after: merged.data.sha, head_commit: { id: merged.data.sha } });
  expect(closed).toMatchObject({
    number,
    pull_request: { state: "closed", merged: true, merge_commit_sha: merged.data.sha, merged_by: { login: people.maintainer }, labels: [{ name: "backport:lts" }] },
    sender: { login: people.maintainer },
  });
  expect(outbox.deliveries.slice(-6).map((d) => [d.event, d.status, d.attempts])).toEqual([
    ["push", 200, 1], ["push", 200, 1], ["pull_request.opened", 200, 1], ["pull_request.labeled", 200, 1], ["push", 200, 1], ["pull_request.closed", 200, 1],
  ]);
  expect(outbox.deliveries.at(-1)).toMatchObject({ subject: `#${number}` });
});

test("new commits on a PR's branch, comments, issues, releases and a published advisory are delivered too; a refused call sends nothing", async () => {
  receiver.received.length = 0;
  const outbox = sandbox.deliverTo(receiver.url, { events: ["pull_request", "issues", "issue_comment", "release", "repository_advisory"] });
  const number = await openFixPull("fix-events");
  const headBefore = (await committer.git.getRef({ owner, repo: name, ref: "heads/fix-events" })).data.object.sha;
  const more = await committer.repos.createOrUpdateFileContents({ owner, repo: name, path: "docs/more.md", message: "More", content: "bW9yZQo=", branch: "fix-events" });
  await maintainer.issues.createComment({ owner, repo: name, issue_number: number, body: "/backport lts" });
  const issue = (await maintainer.issues.create({ owner, repo: name, title: "A question", labels: ["question"] })).data.number;
  await maintainer.issues.update({ owner, repo: name, issue_number: issue, state: "closed" });
  await maintainer.pulls.update({ owner, repo: name, pull_number: number, state: "closed" });
  await expect(maintainer.pulls.merge({ owner, repo: name, pull_number: number })).rejects.toMatchObject({ status: 405 });
  await maintainer.repos.createRelease({ owner, repo: name, tag_name: "v38.0.0", target_commitish: "release-38.0.0" });
  const advisory = sandbox.scenario.advisory({
    repo, ghsaId: "GHSA-2222-3333-4444", state: "draft", summary: "Out of bounds",
    vulnerabilities: [{ name: "wasmtime", vulnerable: ">= 36.0.0, < 36.0.5", patched: "36.0.5" }], by: people.maintainer,
  });
  await maintainer.securityAdvisories.updateRepositoryAdvisory({ owner, repo: name, ghsa_id: advisory.ghsaId, state: "published" });
  await outbox.idle();

  expect(names(receiver.received)).toEqual([
    "pull_request.opened", "pull_request.synchronize", "issue_comment.created", "issues.opened", "issues.labeled", "issues.closed", "pull_request.closed",
    "release.created", "release.published", "release.released", "repository_advisory.published",
  ]);
  for (const { headers, payload, verified } of receiver.received) {
    expect(verified).toBe(true);
    expect(checkWebhookPayload(String(headers["x-github-event"]), payload)).toEqual([]);
  }
  const byName = (event: string) => receiver.received.find((r) => names([r])[0] === event)!.payload;
  expect(byName("issue_comment.created")).toMatchObject({ issue: { number, pull_request: {} }, comment: { body: "/backport lts", user: { login: people.maintainer } } });
  expect(byName("pull_request.synchronize")).toMatchObject({ number, before: headBefore, after: more.data.commit.sha, pull_request: { head: { sha: more.data.commit.sha } } });
  expect(byName("issues.closed")).toMatchObject({ issue: { number: issue, state: "closed" } });
  expect(byName("pull_request.closed")).toMatchObject({ number, pull_request: { merged: false } });
  expect(byName("release.published")).toMatchObject({ release: { tag_name: "v38.0.0", draft: false }, sender: { login: people.maintainer } });
  expect(byName("repository_advisory.published")).toMatchObject({ repository_advisory: { ghsa_id: "GHSA-2222-3333-4444", state: "published" } });
});

test("a write GitHub applied but whose answer was lost still sends its webhook, as GitHub would", async () => {
  receiver.received.length = 0;
  const outbox = sandbox.deliverTo(receiver.url, { events: ["pull_request"] });
  const number = await openFixPull("fix-lost-answer");
  sandbox.faults.add({ kind: "apply-then-502", match: "pulls/merge", times: 1 });
  await expect(maintainer.pulls.merge({ owner, repo: name, pull_number: number })).rejects.toMatchObject({ status: 502 });
  sandbox.faults.add({ kind: "500", match: "issues/add-labels", times: 1 });
  await expect(maintainer.issues.addLabels({ owner, repo: name, issue_number: number, labels: ["never-applied"] })).rejects.toMatchObject({ status: 500 });
  await outbox.idle();
  expect(names(receiver.received)).toEqual(["pull_request.opened", "pull_request.closed"]);
  expect(receiver.received[1]?.payload).toMatchObject({ pull_request: { merged: true } });
});

test("a dead delivery URL never breaks the REST API: every call is answered and applied, each delivery is retried, then given up", async () => {
  const dead = `http://127.0.0.1:${await freePort()}/api/github/webhooks`;
  const retries: OutboxRetry[] = [];
  const outbox = sandbox.deliverTo(dead, { events: ["pull_request"], retry: { attempts: 3, firstDelayMs: 5, maxDelayMs: 10 }, onRetry: (r) => retries.push(r) });
  const number = await openFixPull("fix-dead-url");
  const merged = await maintainer.pulls.merge({ owner, repo: name, pull_number: number });
  expect(merged.status).toBe(200);
  expect((await maintainer.pulls.get({ owner, repo: name, pull_number: number })).data.merged).toBe(true);
  await outbox.idle();
  const given = outbox.deliveries.slice(-2);
  expect(given.map((d) => [d.event, d.status, d.attempts])).toEqual([["pull_request.opened", null, 3], ["pull_request.closed", null, 3]]);
  expect(given[0]?.error).toMatch(/failed: .*ECONNREFUSED/);
  expect(retries.map((r) => [r.event, r.attempt])).toEqual([["pull_request.opened", 1], ["pull_request.opened", 2], ["pull_request.closed", 1], ["pull_request.closed", 2]]);
});

test("deliveries wait, in order, for an App that comes up later; one that does not answer in time is not sent again", async () => {
  const port = await freePort();
  const retries: OutboxRetry[] = [];
  const outbox = sandbox.deliverTo(`http://127.0.0.1:${port}/api/github/webhooks`, {
    events: ["pull_request"], retry: { attempts: 1000, firstDelayMs: 10, maxDelayMs: 50 }, onRetry: (r) => retries.push(r),
  });
  const number = await openFixPull("fix-late-app");
  await maintainer.pulls.merge({ owner, repo: name, pull_number: number });
  await eventually(() => expect(retries.length).toBeGreaterThan(1));
  const late = await startReceiver(port);
  try {
    await outbox.idle();
    expect(names(late.received)).toEqual(["pull_request.opened", "pull_request.closed"]);
    expect(outbox.deliveries.slice(-2).map((d) => d.status)).toEqual([200, 200]);
    expect(outbox.deliveries.at(-2)?.attempts).toBeGreaterThan(1);
  } finally {
    await stopReceiver(late.server);
  }

  const hanging = sandbox.deliverTo(receiver.url.replace("/api/github/webhooks", "/hang"), { events: ["issues"], timeoutMs: 100 });
  await maintainer.issues.create({ owner, repo: name, title: "Nobody answers" });
  await hanging.idle();
  expect(hanging.deliveries).toEqual([expect.objectContaining({ event: "issues.opened", status: null, attempts: 1, error: expect.stringMatching(/no answer within 100 ms/) })]);
});

test("the scenario (people acting on the state directly) sends nothing: tests send those webhooks themselves", async () => {
  receiver.received.length = 0;
  const outbox = sandbox.deliverTo(receiver.url);
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch: "fix-scenario", title: "Fix by scenario", files: { "S.md": "s\n" }, author: people.committer });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  await outbox.idle();
  expect(receiver.received).toEqual([]);
});

/**
 * The webhook driver: every event the App handles, built from the sandbox's state after something
 * happened, passes @octokit/webhooks-schemas (where a schema exists), and arrives signed with the
 * App's secret, with GitHub's headers.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import type { WebhookDriver } from "../../sandbox/webhooks/driver.js";
import { checkWebhookPayload, hasWebhookSchema } from "../../sandbox/webhooks/schema-check.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  valid: boolean;
}

let sandbox: Sandbox;
let repo: RepoRecord;
let receiver: Server;
let driver: WebhookDriver;
const received: Received[] = [];
const people = WASMTIME_PEOPLE;

beforeAll(async () => {
  sandbox = await Sandbox.start({ now: () => new Date("2025-10-10T08:00:00Z") });
  ({ repo } = await sandbox.seedWasmtime({ through: "2025-10-10" }));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const valid = await verify(sandbox.credentials.webhookSecret, body, String(req.headers["x-hub-signature-256"]));
      received.push({ headers: req.headers, body, valid });
      res.writeHead(valid ? 200 : 400).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  driver = sandbox.webhooks(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`);
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await sandbox.stop();
});

test("every event the App handles is built from state, schema-checked, signed and delivered", async () => {
  const scenario = sandbox.scenario;
  const { issue } = await scenario.proposeFix({ repo, branch: "fix-x", title: "Fix x", files: { "X.md": "x\n" }, author: people.committer });
  const label = scenario.label({ repo, number: issue.number, label: "backport:security" });
  const mainBefore = (await sandbox.store.git(repo).readRef("refs/heads/main"))!;
  await scenario.merge({ repo, number: issue.number, by: people.maintainer });
  const mainAfter = (await sandbox.store.git(repo).readRef("refs/heads/main"))!;
  const onPull = scenario.comment({ repo, number: issue.number, body: "/backport lts", author: people.maintainer });
  const plainIssue = (await (await sandbox.client({ login: people.triager })).issues.create({ owner: repo.owner.login, repo: repo.name, title: "A question" })).data;
  const onIssue = scenario.comment({ repo, number: plainIssue.number, body: "hello", author: people.outsider });
  await scenario.release({ repo, tag: "v38.0.1", target: "release-38.0.0", by: people.maintainer });
  const vulnerabilities = [{ name: "wasmtime", vulnerable: ">= 38.0.0, < 38.0.2", patched: "38.0.2" }];
  const reported = scenario.advisory({ repo, ghsaId: "GHSA-aaaa-bbbb-cccc", state: "triage", summary: "Out of bounds", vulnerabilities, by: people.outsider });
  const reportedEvent = driver.repositoryAdvisory({ repo, advisory: reported, action: "reported" });
  const published = scenario.advisory({ repo, ghsaId: "GHSA-aaaa-bbbb-cccc", state: "published", summary: "Out of bounds", vulnerabilities, by: people.maintainer });

  const events = [
    await driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }),
    await driver.pullRequest({ repo, number: issue.number, action: "labeled", label, sender: people.maintainer }),
    driver.issueComment({ repo, comment: onPull }),
    driver.issueComment({ repo, comment: onIssue }),
    driver.release({ repo, tag: "v38.0.1" }),
    reportedEvent,
    driver.repositoryAdvisory({ repo, advisory: published, action: "published" }),
    driver.securityAdvisory({ advisory: published, action: "published" }),
    await driver.push({ repo, ref: "refs/heads/main", before: mainBefore, after: mainAfter, sender: people.maintainer }),
    driver.installationCreated({ account: repo.owner.login, sender: people.maintainer }),
  ];
  for (const event of events) {
    expect(checkWebhookPayload(event.name, event.payload)).toEqual([]);
    await driver.send(event);
  }
  expect(driver.deliveries.map((d) => [d.event, d.status])).toEqual([
    ["pull_request.closed", 200], ["pull_request.labeled", 200], ["issue_comment.created", 200], ["issue_comment.created", 200],
    ["release.published", 200], ["repository_advisory.reported", 200], ["repository_advisory.published", 200],
    ["security_advisory.published", 200], ["push", 200], ["installation.created", 200],
  ]);
  expect(received.every((r) => r.valid)).toBe(true);
  expect(received.map((r) => r.headers["x-github-event"])).toEqual(events.map((e) => e.name));
  expect(new Set(received.map((r) => r.headers["x-github-delivery"])).size).toBe(events.length);

  // What the payloads say is the state's: merged with its merge commit, live labels, the comment on a PR.
  const closed = JSON.parse(received[0]!.body);
  expect(closed.pull_request).toMatchObject({ merged: true, merge_commit_sha: mainAfter, merged_by: { login: people.maintainer } });
  expect(closed.pull_request.labels.map((l: { name: string }) => l.name)).toEqual(["backport:security"]);
  expect(JSON.parse(received[2]!.body).issue.pull_request).toBeDefined();
  expect(JSON.parse(received[3]!.body).issue.pull_request).toBeUndefined();
  expect(JSON.parse(received[8]!.body)).toMatchObject({ ref: "refs/heads/main", before: mainBefore, after: mainAfter, head_commit: { id: mainAfter } });
  expect(hasWebhookSchema("pull_request", "closed")).toBe(true);
});

test("re-delivery keeps the delivery id; a forged signature is sent as given", async () => {
  const event = driver.installationCreated({ account: repo.owner.login, sender: people.maintainer });
  const first = await driver.send(event);
  const again = await driver.send(event, { deliveryId: first.deliveryId });
  expect(again.deliveryId).toBe(first.deliveryId);
  const forged = await driver.send(event, { signature: `sha256=${"0".repeat(64)}` });
  expect(forged.status).toBe(400);
});

/**
 * LTS_STEWARD_MODE=shadow for a whole deployment (issue 17): the server, configured through its environment as
 * in production, against the sandbox. A repository whose config says nothing about `mode` is shadowed: a
 * labelled fix's backports write nothing to GitHub, and the status page and its JSON list the planned writes
 * with their reasons. A bad value stops the start.
 */
import { pino } from "pino";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE as people } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { startServer, type RunningServer } from "../../src/server.js";
import type { Env } from "../../src/settings.js";
import { sandboxServerEnv } from "../helpers/server-env.js";
import type { RepositoryStatus } from "../../src/status/view.js";

const DAY = "2025-11-21";
const TOKEN = "4f0e9d8c7b6a59483726150f1e2d3c4b";
const SLOW = 60_000;

let sandbox: Sandbox;
let repo: RepoRecord;
let server: RunningServer;

const sandboxEnv = (extra: Env = {}): Env => sandboxServerEnv(sandbox, DAY, { STATUS_TOKEN: TOKEN, ...extra });

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo } = await sandbox.seedWasmtime({ through: DAY }));
  server = await startServer({ env: sandboxEnv({ LTS_STEWARD_MODE: "shadow" }), log: pino({ level: "silent" }) });
  await server.queue.idle();
}, SLOW);

afterAll(async () => {
  await server?.stop();
  await sandbox?.stop();
});

test("a bad LTS_STEWARD_MODE stops the start, naming the variable and what it takes", async () => {
  await expect(startServer({ env: sandboxEnv({ LTS_STEWARD_MODE: "dry-run" }) })).rejects.toThrow(/LTS_STEWARD_MODE "dry-run": expected shadow .* or active/);
});

test("a labelled fix in a shadowed deployment: no write reaches GitHub; the status JSON and page list each planned write with its reason", async () => {
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-shadow", title: "Fix the epoch counter", files: { "docs/shadow.md": "fixed\n" }, author: people.committer, labels: ["backport:lts"],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  const mark = sandbox.log.mark();
  const event = await sandbox.webhooks(server.webhookUrl).pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer });
  expect((await sandbox.webhooks(server.webhookUrl).send(event)).status).toBe(200);
  await server.queue.idle();
  expect(sandbox.log.writes(mark).filter((c) => c.operationId !== "apps/create-installation-access-token")).toEqual([]);
  expect([...repo.pulls.values()].filter((p) => p.headRef.startsWith("lts-steward/"))).toEqual([]);

  const name = `${repo.owner.login}/${repo.name}`;
  const response = await fetch(`${server.url}/status/${name}.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const status = (await response.json()) as RepositoryStatus;
  const plans = status.shadowPlans;
  // Both LTS lines get their PR, and the fix its summary comment; every plan says why.
  const pulls = plans.filter((p) => p.operation === "createPull");
  expect(pulls.map((p) => p.target).sort()).toEqual([expect.stringContaining("release-24.0.0"), expect.stringContaining("release-36.0.0")].sort());
  expect(plans.some((p) => p.operation === "createComment")).toBe(true);
  for (const plan of plans) expect(plan.reason.length).toBeGreaterThan(0);
  expect(status.jobs[0]).toMatchObject({ mode: "shadow" });
  const page = await fetch(`${server.url}/status/${name}`, { headers: { authorization: `Bearer ${TOKEN}`, accept: "text/html" } });
  const html = await page.text();
  expect(html).toContain("createPull");
}, SLOW);

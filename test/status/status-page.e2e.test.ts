/**
 * The status page of the deployable server (src/server.ts) in-process against the sandbox, configured through
 * its environment as in production: off without STATUS_TOKEN; refused without the token; a backport's job
 * with an outcome per target and its reason; the repository's schedule from the engine; and the embargo end
 * to end: a draft advisory whose patched versions the daily tick fills, a reported one and a fix whose title
 * names an advisory not yet published leave no trace in the JSON or the HTML, until the advisory is published.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE as people } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import type { JobRecord } from "../../src/runtime/job-history.js";
import { startServer, type RunningServer } from "../../src/server.js";
import type { Env } from "../../src/settings.js";
import { sandboxServerEnv } from "../helpers/server-env.js";
import type { RepositoryStatus, StatusIndex } from "../../src/status/view.js";

const DAY = "2025-11-21";
const TOKEN = "b3f1c0de5a7e4d2f9c8b6a1e0d3f5a7c";
const SLOW = 60_000;
const DRAFT = "GHSA-d7d7-d7d7-d7d7";
const DRAFT_SUMMARY = "Sandbox escape through the pooling allocator";
const REPORTED = "GHSA-aaaa-bbbb-cccc";
const REPORTED_SUMMARY = "Embargoed: secret bug in the table allocator";
const PUBLISHED = "GHSA-2222-3333-4444";

let sandbox: Sandbox;
let repo: RepoRecord;
let server: RunningServer;
let tick: (day: string) => Promise<number>;
const logs: string[] = [];

const sandboxEnv = (extra: Env = {}): Env => sandboxServerEnv(sandbox, DAY, extra);

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo } = await sandbox.seedWasmtime({ through: DAY }));
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  server = await startServer({ env: sandboxEnv({ STATUS_TOKEN: TOKEN }), log: pino({ level: "debug" }, sink), onReady: (handles) => (tick = handles.tick) });
  await server.queue.idle();
}, SLOW);

afterAll(async () => {
  await server?.stop();
  await sandbox?.stop();
});

afterEach(() => sandbox.assertNoViolations());

const repoName = () => `${repo.owner.login}/${repo.name}`;
const auth = { authorization: `Bearer ${TOKEN}` };
const getJson = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${server.url}${path}`, { headers: auth });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};
const deliver = async (event: Parameters<ReturnType<Sandbox["webhooks"]>["send"]>[0]) => {
  expect((await sandbox.webhooks(server.webhookUrl).send(event)).status).toBe(200);
  await server.queue.idle();
};

test("without STATUS_TOKEN the page does not exist: 404 as for any unknown path, with or without a token", async () => {
  const off = await startServer({ env: sandboxEnv(), log: pino({ level: "silent" }) });
  try {
    for (const path of ["/status", "/status.json", `/status/${repoName()}`]) {
      const response = await fetch(`${off.url}${path}`, { headers: auth });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    expect(off.history).toBeNull();
  } finally {
    await off.stop();
  }
}, SLOW);

test("a short STATUS_TOKEN stops the start, and the message does not repeat it", async () => {
  await expect(startServer({ env: sandboxEnv({ STATUS_TOKEN: "short-secret" }) })).rejects.toThrow(/STATUS_TOKEN.*at least 16 characters/);
  await expect(startServer({ env: sandboxEnv({ STATUS_TOKEN: "short-secret" }) })).rejects.not.toThrow(/short-secret/);
});

test("without the token, or with a wrong one, 401 and no data; with it, the index lists the installed repository", async () => {
  const refused: Record<string, string>[] = [{}, { authorization: "Bearer wrong-token-wrong-token" }, { authorization: `Basic ${TOKEN}` }, { cookie: "lts_steward_status=1.abc" }];
  for (const headers of refused) {
    const response = await fetch(`${server.url}/status.json`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="lts-steward status"/);
    expect(await response.text()).not.toContain(repo.name);
  }
  expect((await fetch(`${server.url}/status.json?token=not-the-token`)).status).toBe(401);
  const index = await getJson<StatusIndex>("/status.json");
  expect(index.today).toBe(DAY);
  expect(index.repositories).toEqual([expect.objectContaining({ repository: repoName(), installed: true, path: `/status/${repoName()}` })]);
  // The token appears in no log line.
  expect(logs.join("\n")).not.toContain(TOKEN);
}, SLOW);

test("a backport: the repository's last job has an outcome per target (opened, or skipped with the reason), and the schedule is the engine's", async () => {
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-status", title: "Fix the fuel counter", files: { "docs/status.md": "fixed\n" }, author: people.committer,
    labels: ["backport:lts", "backport:release-37.0.0"],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  await deliver(await sandbox.webhooks(server.webhookUrl).pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  const backports = [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${issue.number}`));
  expect(backports.map((p) => p.baseRef).sort()).toEqual(["release-24.0.0", "release-36.0.0"]);

  const status = await getJson<RepositoryStatus>(`/status/${repoName()}.json`);
  const job = status.jobs[0]!;
  expect(job).toMatchObject({ repo: repoName(), name: `pull closed #${issue.number}`, workflow: "pull-closed", status: "succeeded", mode: "active", error: null });
  const pr = (base: string) => backports.find((p) => p.baseRef === base)!;
  expect(job.outcomes).toEqual(expect.arrayContaining([
    { subject: `backport #${issue.number} → release-36.0.0`, status: "done", detail: `opened #${pr("release-36.0.0").number}`, url: expect.stringContaining(`/pull/${pr("release-36.0.0").number}`) },
    { subject: `backport #${issue.number} → release-24.0.0`, status: "done", detail: `opened #${pr("release-24.0.0").number}`, url: expect.any(String) },
    { subject: `backport #${issue.number} → release-37.0.0`, status: "skipped", detail: expect.stringMatching(/end of support 2025-11-20/) },
  ]));
  expect(status.schedule).toMatchObject({ status: "ok", on: DAY, mode: "active" });
  if (status.schedule.status !== "ok") throw new Error("no schedule");
  expect(status.schedule.lines.map((l) => [l.releaseCycle, l.status])).toEqual(expect.arrayContaining([["39", "supported"], ["36", "supported"], ["24", "supported"]]));
  expect(status.schedule.chart.map((b) => b.label)).toEqual(expect.arrayContaining(["36", "24", "39"]));
  expect(status.schedule.mermaid).toMatch(/^gantt\n/);
  expect(status.schedule.markdown).toContain("| 36 | `release-36.0.0` | LTS |");
  expect(status.queue).toEqual({ running: null, waiting: [], shared: null });

  // The index shows it as the last job; HTML at the same path, by the Accept header.
  const index = await getJson<StatusIndex>("/status.json");
  expect(index.repositories[0]!.lastJob?.id).toBe(job.id);
  const page = await fetch(`${server.url}/status/${repoName()}`, { headers: { ...auth, accept: "text/html" } });
  expect(page.headers.get("content-type")).toMatch(/^text\/html/);
  expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
  expect(await page.text()).toContain(`opened #${pr("release-36.0.0").number}`);
  const asJson = await fetch(`${server.url}/status/${repoName()}`, { headers: { ...auth, accept: "application/json" } });
  expect(asJson.headers.get("content-type")).toMatch(/^application\/json/);
}, SLOW);

test("the embargo, end to end: a draft the tick fills, a reported advisory and a shadow plan naming an unpublished one leave no trace; the published advisory's rows appear", async () => {
  await sandbox.scenario.commit({
    repo, branch: "main", message: "Suggest patched versions for drafts", author: people.maintainer,
    files: { ".github/lts-steward.yml": "preset: wasmtime\nadvisories:\n  drafts: suggest\n" },
  });
  sandbox.scenario.advisory({
    repo, ghsaId: DRAFT, state: "draft", summary: DRAFT_SUMMARY, by: people.maintainer,
    vulnerabilities: [{ name: "wasmtime", ecosystem: "rust", vulnerable: ">= 36.0.0, < 36.0.3" }],
  });
  await tick(DAY);
  await server.queue.idle();
  expect(repo.advisories.get(DRAFT)!.vulnerabilities.map((v) => v.patchedVersions)).toEqual([expect.stringMatching(/^36\.0\.\d+$/)]);

  const reported = sandbox.scenario.advisory({ repo, ghsaId: REPORTED, state: "triage", summary: REPORTED_SUMMARY, by: people.maintainer, vulnerabilities: [{ name: "wasmtime", vulnerable: ">= 36.0.0, < 36.0.4" }] });
  await deliver(sandbox.webhooks(server.webhookUrl).repositoryAdvisory({ repo, advisory: reported, action: "reported" }));

  // In shadow mode the backport of a fix whose title names the advisory is planned, not made: the plans
  // (which carry the title) are shown, with the id withheld.
  const config = (extra: string) => sandbox.scenario.commit({
    repo, branch: "main", message: `Config: ${extra || "active"}`, author: people.maintainer,
    files: { ".github/lts-steward.yml": `preset: wasmtime\nadvisories:\n  drafts: suggest\n${extra}` },
  });
  await config("mode: shadow\n");
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-grow", title: `Fix ${PUBLISHED}: bounds-check table.grow`, files: { "docs/grow.md": "bounds-checked\n" }, author: people.maintainer, labels: ["backport:lts"],
  });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  await deliver(await sandbox.webhooks(server.webhookUrl).pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  const shadowed = await getJson<RepositoryStatus>(`/status/${repoName()}.json`);
  expect(shadowed.jobs[0]).toMatchObject({ name: `pull closed #${issue.number}`, mode: "shadow" });
  expect(shadowed.shadowPlans).toEqual(expect.arrayContaining([
    expect.objectContaining({ operation: "createPull", summary: `[release-36.0.0] Fix [advisory id withheld]: bounds-check table.grow (#${issue.number})` }),
  ]));
  await config("");

  const everything = async () => {
    const json = JSON.stringify([await getJson("/status.json"), await getJson(`/status/${repoName()}.json`)]);
    const html = await (await fetch(`${server.url}/status/${repoName()}`, { headers: auth })).text() + await (await fetch(`${server.url}/status`, { headers: auth })).text();
    return json + html;
  };
  const jobs = (await getJson<RepositoryStatus>(`/status/${repoName()}.json`)).jobs;
  const tickJob = jobs.find((j: JobRecord) => j.name === `daily tick ${DAY}`);
  expect(tickJob).toMatchObject({ status: "succeeded" });
  expect(tickJob!.outcomes.some((o) => /draft/i.test(`${o.subject} ${o.detail}`))).toBe(false);
  for (const secret of [DRAFT, DRAFT.toLowerCase(), DRAFT_SUMMARY, REPORTED, REPORTED_SUMMARY, PUBLISHED, "draft advisor"]) {
    expect({ secret, shown: (await everything()).includes(secret) }).toEqual({ secret, shown: false });
  }

  // Published: the App re-reads it as published, and from then on its id may be shown.
  const published = sandbox.scenario.advisory({
    repo, ghsaId: PUBLISHED, cveId: "CVE-2025-64345", state: "published", summary: "Out-of-bounds write in table.grow", by: people.maintainer,
    vulnerabilities: [{ name: "wasmtime", vulnerable: ">= 36.0.0, < 36.0.4", patched: "36.0.4" }],
  });
  await deliver(sandbox.webhooks(server.webhookUrl).repositoryAdvisory({ repo, advisory: published, action: "published" }));
  const status = await getJson<RepositoryStatus>(`/status/${repoName()}.json`);
  expect(status.jobs[0]).toMatchObject({ name: "advisory published", status: "succeeded" });
  expect(status.jobs[0]!.outcomes).toEqual(expect.arrayContaining([expect.objectContaining({ subject: `advisory ${PUBLISHED} → release-36.0.0`, detail: expect.stringMatching(/^open, #\d+, fix ships in 36\.0\.\d+/) })]));
  for (const secret of [DRAFT, DRAFT_SUMMARY, REPORTED, REPORTED_SUMMARY]) expect({ secret, shown: (await everything()).includes(secret) }).toEqual({ secret, shown: false });
}, SLOW);

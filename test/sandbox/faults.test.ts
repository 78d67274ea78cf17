/**
 * Faults that come after GitHub did the work (`apply-then-500`, `apply-then-502`, `apply-then-drop`), requests
 * that are never answered (`hang`), and the kill of an App instance (`apply-then-kill`,
 * `sandbox.revokeInstallationTokens()`): its tokens die, its later requests are dropped unapplied, and a fresh
 * instance carries on with new tokens.
 */
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import type { CallRecord } from "../../sandbox/http/call-log.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const owner = "acme";
const name = "widget";

let sandbox: Sandbox;
let repo: RepoRecord;
let main: string;

/** Waits until `condition` holds, checking after each turn of the event loop (no time budget: jest's timeout is the limit). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A client as the App's installation, the way Probot gets one: App JWT, then an installation token it caches. */
function appInstance(): Octokit {
  const { appId, privateKey, baseUrl } = sandbox.credentials;
  return new Octokit({ baseUrl, authStrategy: createAppAuth, auth: { appId, privateKey, installationId: repo.installationId }, log: quiet });
}

const faulted = (mark: number): Pick<CallRecord, "operationId" | "status" | "fault" | "applied">[] =>
  sandbox.log.since(mark).filter((c) => c.fault).map(({ operationId, status, fault, applied }) => ({ operationId, status, fault, ...(applied !== undefined ? { applied } : {}) }));

beforeAll(async () => {
  sandbox = await Sandbox.start();
  ({ repo } = await sandbox.seedRepository({
    owner,
    name,
    collaborators: { maya: "maintain" },
    script: [
      { commit: { branch: "main", label: "root", message: "Initial commit", files: { "README.md": "widget\n" }, date: "2025-01-02" } },
    ],
  }));
  main = (await sandbox.store.git(repo).readRef("refs/heads/main"))!;
});

afterAll(async () => {
  await sandbox.stop();
});

afterEach(() => {
  sandbox.faults.clear();
  sandbox.assertNoViolations();
});

describe("apply-then faults: the write is applied, the answer is lost", () => {
  test("apply-then-500 and apply-then-502: the client sees a 5xx, the record exists, the log says what happened", async () => {
    const octokit = await sandbox.client({ installationOf: owner });
    const mark = sandbox.log.mark();
    sandbox.faults.add({ kind: "apply-then-500", match: "issues/create", times: 1 });
    await expect(octokit.issues.create({ owner, repo: name, title: "Lost answer" })).rejects.toMatchObject({ status: 500 });
    const created = [...repo.issues.values()].filter((i) => i.title === "Lost answer");
    expect(created).toHaveLength(1);

    sandbox.faults.add({ kind: "apply-then-502", match: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", times: 1 });
    await expect(octokit.issues.createComment({ owner, repo: name, issue_number: created[0]!.number, body: "hello" })).rejects.toMatchObject({ status: 502 });
    expect([...repo.comments.values()].filter((c) => c.issueNumber === created[0]!.number).map((c) => c.body)).toEqual(["hello"]);

    // `times: 1`: the next call goes through as usual.
    expect((await octokit.issues.create({ owner, repo: name, title: "Answered" })).status).toBe(201);
    expect(faulted(mark)).toEqual([
      { operationId: "issues/create", status: 500, fault: "apply-then-500", applied: 201 },
      { operationId: "issues/create-comment", status: 502, fault: "apply-then-502", applied: 201 },
    ]);
  });

  test("apply-then-drop: the connection is reset after the ref was created; a retry finds it already there", async () => {
    const octokit = await sandbox.client({ installationOf: owner });
    const mark = sandbox.log.mark();
    sandbox.faults.add({ kind: "apply-then-drop", match: "git/create-ref" });
    await expect(octokit.git.createRef({ owner, repo: name, ref: "refs/heads/dropped", sha: main })).rejects.toThrow();
    expect(await sandbox.store.git(repo).readRef("refs/heads/dropped")).toBe(main);
    sandbox.faults.clear();
    await expect(octokit.git.createRef({ owner, repo: name, ref: "refs/heads/dropped", sha: main })).rejects.toMatchObject({ status: 422 });
    expect(faulted(mark)).toEqual([{ operationId: "git/create-ref", status: 0, fault: "apply-then-drop", applied: 201 }]);
  });

  test("a refused write stays refused: the handler's 4xx is what `applied` records, and nothing changed", async () => {
    const octokit = await sandbox.client({ installationOf: owner });
    const mark = sandbox.log.mark();
    sandbox.faults.add({ kind: "apply-then-500", match: "git/create-ref", times: 1 });
    await expect(octokit.git.createRef({ owner, repo: name, ref: "refs/heads/main", sha: main })).rejects.toMatchObject({ status: 500 });
    expect(faulted(mark)).toEqual([{ operationId: "git/create-ref", status: 500, fault: "apply-then-500", applied: 422 }]);
  });

  test("the rules pick calls as every fault does: after, times, a seeded fraction", async () => {
    const octokit = await sandbox.client({ installationOf: owner });
    const number = (await octokit.issues.create({ owner, repo: name, title: "Counting" })).data.number;
    const comment = (body: string) => octokit.issues.createComment({ owner, repo: name, issue_number: number, body }).then((r) => r.status, (e: { status: number }) => e.status);
    sandbox.faults.add({ kind: "apply-then-502", match: "issues/create-comment", after: 1, times: 2 });
    expect([await comment("1"), await comment("2"), await comment("3"), await comment("4")]).toEqual([201, 502, 502, 201]);
    expect([...repo.comments.values()].filter((c) => c.issueNumber === number).map((c) => c.body)).toEqual(["1", "2", "3", "4"]);

    const outcomes = async () => {
      sandbox.faults.clear();
      sandbox.faults.add({ kind: "apply-then-500", match: "issues/create-comment", fraction: 0.5, seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push(await comment(`f${i}`));
      return statuses;
    };
    const first = await outcomes();
    expect(first).toContain(500);
    expect(first).toContain(201);
    expect(await outcomes()).toEqual(first);
  });

  test("an unknown kind is refused when the rule is added", () => {
    expect(() => sandbox.faults.add({ kind: "apply-then-404" as never })).toThrow(/unknown fault kind/);
  });
});

describe("hang: no answer until the client gives up or the sandbox stops", () => {
  test("the request stays unanswered until the client aborts; the call log shows it", async () => {
    const token = sandbox.store.issueToken(repo.installationId).token;
    const mark = sandbox.log.mark();
    sandbox.faults.add({ kind: "hang", match: "repos/get", times: 1 });
    const controller = new AbortController();
    const pending = fetch(`${sandbox.apiUrl}/repos/${owner}/${name}`, { headers: { authorization: `token ${token}` }, signal: controller.signal });
    const settled = pending.then(() => "answered", (error: Error) => error.name);
    await waitFor(() => sandbox.log.since(mark).some((c) => c.fault === "hang"));
    controller.abort();
    expect(await settled).toBe("AbortError");
    expect(faulted(mark)).toEqual([{ operationId: "repos/get", status: 0, fault: "hang" }]);
    // The next call is answered.
    expect((await fetch(`${sandbox.apiUrl}/repos/${owner}/${name}`, { headers: { authorization: `token ${token}` } })).status).toBe(200);
  });

  test("an Octokit request with a timeout gives up on a hung write, which was not applied", async () => {
    const octokit = await sandbox.client({ installationOf: owner });
    const mark = sandbox.log.mark();
    sandbox.faults.add({ kind: "hang", match: "issues/create" });
    const signal = AbortSignal.timeout(50); // the client's own timeout, the thing under test
    await expect(octokit.issues.create({ owner, repo: name, title: "Never answered", request: { signal } })).rejects.toThrow();
    expect([...repo.issues.values()].some((i) => i.title === "Never answered")).toBe(false);
    await waitFor(() => sandbox.log.since(mark).some((c) => c.fault === "hang"));
  });

  test("stopping the sandbox ends a hung request", async () => {
    const other = await Sandbox.start();
    const { repo: otherRepo } = await other.seedRepository({
      owner: "solo", name: "hung", script: [{ commit: { branch: "main", message: "Initial commit", files: { "a.txt": "a\n" }, date: "2025-01-02" } }],
    });
    other.faults.add({ kind: "hang" });
    const token = other.store.issueToken(otherRepo.installationId).token;
    const settled = fetch(`${other.apiUrl}/repos/solo/hung`, { headers: { authorization: `token ${token}` } }).then(() => "answered", () => "failed");
    await waitFor(() => other.log.calls.some((c) => c.fault === "hang"));
    await other.stop();
    expect(await settled).toBe("failed");
  });
});

describe("killing an App instance", () => {
  test("apply-then-kill: the write lands, the connection drops, the instance's token is dead; a fresh instance works", async () => {
    const doomed = appInstance();
    // The doomed instance has a token already (Octokit's App auth caches it), as a running App would.
    const number = (await doomed.issues.create({ owner, repo: name, title: "Before the kill" })).data.number;
    const mark = sandbox.log.mark();
    sandbox.faults.add({ kind: "apply-then-kill", match: "issues/create-comment", times: 1 });
    await expect(doomed.issues.createComment({ owner, repo: name, issue_number: number, body: "last words" })).rejects.toThrow();
    const comments = () => [...repo.comments.values()].filter((c) => c.issueNumber === number).map((c) => c.body);
    expect(comments()).toEqual(["last words"]);

    // Whatever the dead instance still sends is dropped without being applied.
    await expect(doomed.issues.createComment({ owner, repo: name, issue_number: number, body: "from beyond" })).rejects.toThrow();
    await expect(doomed.issues.get({ owner, repo: name, issue_number: number })).rejects.toThrow();
    expect(comments()).toEqual(["last words"]);

    // A new instance asks for a new token, which works, and converges on what the dead one left behind.
    const fresh = appInstance();
    const seen = await fresh.issues.listComments({ owner, repo: name, issue_number: number });
    expect(seen.data.map((c) => c.body)).toEqual(["last words"]);
    await fresh.issues.createComment({ owner, repo: name, issue_number: number, body: "carrying on" });
    expect(comments()).toEqual(["last words", "carrying on"]);

    expect(faulted(mark).map((c) => [c.operationId, c.status, c.fault, c.applied])).toEqual([
      ["issues/create-comment", 0, "apply-then-kill", 201],
      ["issues/create-comment", 0, "revoked-token", undefined],
      ["issues/get", 0, "revoked-token", undefined],
    ]);
  });

  test("revokeInstallationTokens kills every instance running now; people's own tokens are unaffected", async () => {
    const a = await sandbox.client({ installationOf: owner });
    const b = appInstance();
    await b.repos.get({ owner, repo: name }); // b holds a token now
    const person = await sandbox.client({ login: "maya" });
    expect(sandbox.revokeInstallationTokens()).toBeGreaterThanOrEqual(2);
    expect(sandbox.revokeInstallationTokens()).toBe(0);
    await expect(a.repos.get({ owner, repo: name })).rejects.toThrow();
    await expect(b.issues.create({ owner, repo: name, title: "zombie" })).rejects.toThrow();
    expect([...repo.issues.values()].some((i) => i.title === "zombie")).toBe(false);
    expect((await person.repos.get({ owner, repo: name })).status).toBe(200);
    expect((await (await sandbox.client({ installationOf: owner })).repos.get({ owner, repo: name })).status).toBe(200);
    expect((await appInstance().repos.get({ owner, repo: name })).status).toBe(200);
  });
});

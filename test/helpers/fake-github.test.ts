/** The fake GitHub keeps GitHub's semantics where workflows depend on them, and its hooks fail what they say. */
import { GitHubError, isAmbiguous } from "../../src/github/errors.js";
import { chance, FakeCrash, FakeGitHub, MAX_BODY_CHARACTERS } from "./fake-github.js";

const codeOf = async (promise: Promise<unknown>) => promise.then(() => "ok", (e: unknown) => (e instanceof GitHubError ? e.code : String(e)));

function withTopic() {
  const fake = new FakeGitHub({ files: { "src/lib.rs": "v1\n" } });
  fake.setBranch("topic", "main");
  fake.commit({ branch: "topic", files: { "src/lib.rs": "v2\n" } });
  return fake;
}

describe("records", () => {
  test("records made through the port are the App's; planted ones are whoever planted them", async () => {
    const fake = new FakeGitHub({ botLogin: "my-app[bot]" });
    const issue = await fake.createIssue({ title: "t", body: "b", labels: ["x"] });
    const mine = await fake.createComment({ number: issue.number, body: "hi" });
    const theirs = fake.plantComment({ number: issue.number, body: "hi", author: "other-app[bot]" });
    const person = fake.plantComment({ number: issue.number, body: "hi", author: "alex" });
    expect(issue.author).toBe("my-app[bot]");
    expect([mine, theirs, person].map((c) => [c.author, c.authorIsBot])).toEqual([["my-app[bot]", true], ["other-app[bot]", true], ["alex", false]]);
    expect((await fake.listComments(issue.number)).map((c) => c.id)).toEqual([mine.id, theirs.id, person.id]);
  });

  test("issues and PRs share numbers; listIssues filters by every label and the state and leaves PRs out", async () => {
    const fake = withTopic();
    const a = fake.plantIssue({ title: "a", author: "alex", labels: ["tracking", "security"] });
    const pr = fake.plantPull({ title: "pr", author: "alex", head: "topic", labels: ["tracking"] });
    const b = fake.plantIssue({ title: "b", author: "alex", labels: ["Tracking"], state: "closed" });
    const c = fake.plantIssue({ title: "c", author: "alex", labels: ["other"] });
    expect(new Set([a.number, pr.number, b.number, c.number]).size).toBe(4);
    expect((await fake.listIssues({ labels: ["tracking"], state: "all" })).map((i) => i.title)).toEqual(["b", "a"]);
    expect((await fake.listIssues({ labels: ["tracking"], state: "open" })).map((i) => i.title)).toEqual(["a"]);
    expect((await fake.listIssues({ labels: ["tracking", "security"], state: "all" })).map((i) => i.title)).toEqual(["a"]);
    expect((await fake.getIssue(pr.number)).isPullRequest).toBe(true);
    await expect(codeOf(fake.getPull(a.number))).resolves.toBe("not-found");
  });

  test.each([
    ["createComment", (f: FakeGitHub, n: number, body: string) => f.createComment({ number: n, body })],
    ["createIssue", (f: FakeGitHub, _n: number, body: string) => f.createIssue({ title: "t", body })],
    ["updateIssue", (f: FakeGitHub, n: number, body: string) => f.updateIssue({ number: n, body })],
    ["updateComment", async (f: FakeGitHub, n: number, body: string) => f.updateComment({ id: (await f.createComment({ number: n, body: "x" })).id, body })],
  ])("%s refuses a body over 65,536 characters (422) and takes one of exactly that many", async (_name, write) => {
    const fake = new FakeGitHub();
    const issue = fake.plantIssue({ title: "t", author: "alex" });
    await expect(codeOf(write(fake, issue.number, "x".repeat(MAX_BODY_CHARACTERS + 1)))).resolves.toBe("invalid");
    // Characters as GitHub counts them: an emoji is one.
    await expect(codeOf(write(fake, issue.number, "🦀".repeat(MAX_BODY_CHARACTERS)))).resolves.toBe("ok");
  });
});

describe("pull requests and branches", () => {
  test("a second open PR for the same head and base is a 422 already-exists; after closing it, a new one may be opened", async () => {
    const fake = withTopic();
    const first = await fake.createPull({ title: "t", body: "b", head: "topic", base: "main" });
    expect(first.author).toBe("lts-steward[bot]");
    await expect(codeOf(fake.createPull({ title: "t", body: "b", head: "topic", base: "main" }))).resolves.toBe("already-exists");
    await fake.updateIssue({ number: first.number, state: "closed" });
    const second = await fake.createPull({ title: "t", body: "b", head: "topic", base: "main" });
    expect((await fake.listPullsByHead("topic")).map((p) => [p.number, p.state])).toEqual([[second.number, "open"], [first.number, "closed"]]);
  });

  test("a PR with no commits between base and head is refused", async () => {
    const fake = new FakeGitHub();
    fake.setBranch("same", "main");
    await expect(codeOf(fake.createPull({ title: "t", body: "b", head: "same", base: "main" }))).resolves.toBe("invalid");
  });

  test("createBranch of an existing ref is already-exists; deleting a branch closes the open PRs from it", async () => {
    const fake = withTopic();
    await expect(codeOf(fake.createBranch({ branch: "topic", sha: fake.git.branches.get("main") as string }))).resolves.toBe("already-exists");
    const pr = await fake.createPull({ title: "t", body: "b", head: "topic", base: "main" });
    const headSha = pr.head.sha;
    await fake.deleteBranch("topic");
    const closed = await fake.getPull(pr.number);
    expect([closed.state, closed.merged, closed.head.sha]).toEqual(["closed", false, headSha]);
    await expect(fake.deleteBranch("topic")).resolves.toBeUndefined();
    expect(fake.branchNames()).toEqual(["main"]);
  });

  test("an open PR follows its head branch; a merged one keeps where it was and lists its commits", async () => {
    const fake = withTopic();
    const pr = fake.plantPull({ title: "Fix", author: "alex", head: "topic" });
    const moved = fake.commit({ branch: "topic", files: { "b.txt": "b\n" } });
    expect((await fake.getPull(pr.number)).head.sha).toBe(moved);
    const merged = fake.mergePull(pr.number, { by: "sam" });
    fake.commit({ branch: "topic", files: { "c.txt": "c\n" } });
    const after = await fake.getPull(pr.number);
    expect([after.merged, after.mergedBy, after.head.sha, after.mergeCommitSha]).toEqual([true, "sam", moved, merged.mergeCommitSha]);
    expect((await fake.listPullCommits(pr.number)).length).toBe(2);
    expect(await fake.listPullFiles(pr.number)).toEqual(["b.txt", "src/lib.rs"]);
    expect(fake.fileAt("main", "src/lib.rs")).toBe("v2\n");
    expect((await fake.listPullsForCommit(merged.mergeCommitSha as string)).map((p) => p.number)).toEqual([pr.number]);
  });

  test("reviewers must be collaborators and not the PR's author", async () => {
    const fake = withTopic();
    const pr = await fake.createPull({ title: "t", body: "b", head: "topic", base: "main" });
    fake.setPermission("sam", "write");
    await expect(codeOf(fake.requestReviewers({ number: pr.number, reviewers: ["stranger"] }))).resolves.toBe("invalid");
    await expect(codeOf(fake.requestReviewers({ number: pr.number, reviewers: ["lts-steward[bot]"] }))).resolves.toBe("invalid");
    await fake.requestReviewers({ number: pr.number, reviewers: ["sam", "Sam"] });
    expect((await fake.getPull(pr.number)).requestedReviewers).toEqual(["sam"]);
  });
});

describe("git", () => {
  function repo() {
    const fake = new FakeGitHub({ files: { "a.rs": "a1\n", "b.rs": "b1\n" } });
    const base = fake.git.branches.get("main") as string;
    fake.setBranch("release", "main");
    const fix = fake.commit({ branch: "main", files: { "a.rs": "a2\n" }, message: "Fix a" });
    return { fake, base, fix };
  }

  test("merge applies the head's changes against the merge base, keeping the target's own", async () => {
    const { fake, fix } = repo();
    fake.commit({ branch: "release", files: { "b.rs": "b-release\n" } });
    const result = await fake.merge({ base: "release", head: fix, message: "pick" });
    expect(result.status).toBe("merged");
    expect([fake.fileAt("release", "a.rs"), fake.fileAt("release", "b.rs")]).toEqual(["a2\n", "b-release\n"]);
    await expect(fake.merge({ base: "release", head: fix, message: "again" })).resolves.toEqual({ status: "nothing-to-merge" });
  });

  test("merge conflicts (409) when both sides changed a path, or when told to for a head", async () => {
    const { fake, fix } = repo();
    fake.commit({ branch: "release", files: { "a.rs": "a-release\n" } });
    await expect(codeOf(fake.merge({ base: "release", head: fix, message: "pick" }))).resolves.toBe("conflict");
    const clean = repo();
    clean.fake.conflictOn(clean.fix);
    await expect(codeOf(clean.fake.merge({ base: "release", head: clean.fix, message: "pick" }))).resolves.toBe("conflict");
  });

  test("compare and listCommits read the history", async () => {
    const { fake, base, fix } = repo();
    const comparison = await fake.compare("release", "main");
    expect([comparison.status, comparison.mergeBase.sha, comparison.commits.map((c) => c.sha), comparison.files]).toEqual(["ahead", base, [fix], ["a.rs"]]);
    expect((await fake.compare("main", "release")).status).toBe("behind");
    expect((await fake.listCommits({ sha: "main", path: "a.rs" })).map((c) => c.sha)).toEqual([fix, base]);
    expect(await fake.getCommitFiles(fix)).toEqual(["a.rs"]);
  });
});

describe("failure hooks", () => {
  test("before: nothing is applied; after: applied, and the error is ambiguous with the write's operation", async () => {
    const fake = new FakeGitHub();
    const issue = fake.plantIssue({ title: "t", author: "alex" });
    fake.failOn({ method: "createComment", when: "before", error: "server-error" });
    const before = await fake.createComment({ number: issue.number, body: "x" }).catch((e: unknown) => e);
    expect(fake.commentsOn(issue.number)).toHaveLength(0);
    fake.failOn({ method: "createComment", when: "after", error: "network" });
    const after = await fake.createComment({ number: issue.number, body: "x" }).catch((e: unknown) => e);
    expect(fake.commentsOn(issue.number)).toHaveLength(1);
    for (const error of [before, after]) expect(isAmbiguous(error)).toBe(true);
    expect((after as GitHubError).operation).toBe("POST /repos/{owner}/{repo}/issues/{issue_number}/comments");
    expect(fake.calls("createComment").map((c) => [c.applied, c.failed, c.error])).toEqual([[false, "before", "server-error"], [true, "after", "network"]]);
  });

  test("the port's own retries: a transient failure on updateIssue is sent again and applied once; a rate limit on createComment too", async () => {
    const fake = new FakeGitHub();
    const issue = fake.plantIssue({ title: "t", author: "alex" });
    fake.failOn({ method: "updateIssue", when: "before", error: "server-error", times: 2 });
    fake.failOn({ method: "createComment", error: "rate-limited" });
    await fake.updateIssue({ number: issue.number, labels: ["x"] });
    await fake.createComment({ number: issue.number, body: "x" });
    expect(fake.writes().map((c) => c.method)).toEqual(["updateIssue", "createComment"]);
    expect(fake.calls("updateIssue").map((c) => c.attempt)).toEqual([0, 1, 2]);
    expect((await fake.listLabelEvents(issue.number)).map((e) => [e.label, e.actor])).toEqual([["x", "lts-steward[bot]"]]);
  });

  test("a write applied and then failed is sent again by the port: createPull meets GitHub's 422", async () => {
    const fake = withTopic();
    fake.failOn({ method: "createPull", when: "after", error: "server-error" });
    await expect(codeOf(fake.createPull({ title: "t", body: "b", head: "topic", base: "main" }))).resolves.toBe("already-exists");
    expect(fake.allPulls()).toHaveLength(1);
  });

  test("with retries: 0 every failure surfaces as injected", async () => {
    const fake = new FakeGitHub({ retries: 0 });
    fake.failOn({ method: "getDefaultBranch", error: "rate-limited" });
    await expect(codeOf(fake.getDefaultBranch())).resolves.toBe("rate-limited");
    await expect(fake.getDefaultBranch()).resolves.toBe("main");
  });

  test("a check run applied before the answer was lost is found by name and sha, not created again", async () => {
    const fake = new FakeGitHub();
    const sha = fake.git.branches.get("main") as string;
    fake.failOn({ method: "createCheckRun", when: "after", error: "network", times: 3 });
    await fake.createCheckRun({ name: "lts-steward config", headSha: sha, conclusion: "success", title: "ok", summary: "ok" });
    expect(fake.checkRuns).toHaveLength(1);
  });

  test("after, times and match pick the calls; every matching hook counts a call, one fires", async () => {
    const fake = new FakeGitHub({ retries: 0 });
    const hook = fake.failOn({ method: "getPermission", after: 1, times: 2, match: (c) => c.args[0] !== "skip" });
    const results = [];
    for (const login of ["a", "skip", "b", "c", "d"]) results.push(await codeOf(fake.getPermission(login)));
    expect(results).toEqual(["ok", "ok", "server-error", "server-error", "ok"]);
    expect([hook.seen, hook.fired]).toEqual([4, 2]);
  });

  test("chance(p, seed) picks the same calls for the same seed and about p of them", () => {
    const pick = (seed: number) => {
      const picked = chance(0.3, seed);
      return Array.from({ length: 1000 }, () => picked({} as never));
    };
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).not.toEqual(pick(8));
    const share = pick(7).filter(Boolean).length / 1000;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  test("crashAfter: the call is applied, it and every later call throw FakeCrash, until restart", async () => {
    const fake = new FakeGitHub();
    const issue = fake.plantIssue({ title: "t", author: "alex" });
    fake.crashAfter({ method: "createComment" });
    await expect(fake.createComment({ number: issue.number, body: "x" })).rejects.toBeInstanceOf(FakeCrash);
    await expect(fake.listComments(issue.number)).rejects.toBeInstanceOf(FakeCrash);
    expect(fake.crashed).toBe(true);
    fake.restart();
    expect(await fake.listComments(issue.number)).toHaveLength(1);
  });
});

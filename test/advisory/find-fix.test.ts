/**
 * `findFixes`: an advisory's fix on the default branch, from commits naming the GHSA id and merged PRs whose
 * title or body names it. GitHub is a hand-written fake of the port holding a default branch's commits and
 * the repository's pull requests; calls the search does not need fail the test.
 */
import { findFixes } from "../../src/advisory/find-fix.js";
import type { GitHubPort } from "../../src/github/port.js";
import type { CommitSummary, PullRequest } from "../../src/github/types.js";

const GHSA = "GHSA-q8hx-mm92-4wvg";
const SINCE = "2025-08-12T00:00:00Z";
const sha = (n: number) => n.toString(16).padStart(40, "0");

interface FakeRepo {
  /** The default branch's commits, oldest first (the fake lists them newest first, as GitHub does). */
  commits: CommitSummary[];
  pulls: PullRequest[];
  /** Which PRs GitHub associates with a commit; by default, the PR whose merge commit it is. */
  pullsOfCommit?: Map<string, number[]>;
}

type Fake = GitHubPort & { calls: string[] };

function fakePort(repo: FakeRepo): Fake {
  const calls: string[] = [];
  const known: Partial<GitHubPort> & { calls: string[] } = {
    owner: "bytecodealliance",
    repo: "wasmtime",
    calls,
    async listCommits(options) {
      calls.push(`listCommits ${options.sha} since ${options.since ?? "-"}`);
      if (options.sha !== "main") return [];
      return [...repo.commits].filter((c) => !options.since || c.date >= options.since).reverse();
    },
    async listClosedPulls(options) {
      calls.push(`listClosedPulls ${options.base} since ${options.since}`);
      return repo.pulls
        .filter((p) => p.state === "closed" && p.base.ref === options.base && p.updatedAt >= options.since)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },
    async listPullsForCommit(commitSha) {
      calls.push(`listPullsForCommit ${commitSha}`);
      const numbers = repo.pullsOfCommit?.get(commitSha);
      return numbers
        ? repo.pulls.filter((p) => numbers.includes(p.number))
        : repo.pulls.filter((p) => p.mergeCommitSha === commitSha);
    },
  };
  return new Proxy(known, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      return () => {
        throw new Error(`findFixes should not call ${String(key)}`);
      };
    },
  }) as Fake;
}

const commit = (n: number, message: string, date: string): CommitSummary => ({ sha: sha(n), message, authorLogin: "alexcrichton", date });

function pull(number: number, fields: Partial<PullRequest> = {}): PullRequest {
  return {
    number,
    title: `Change #${number}`,
    body: null,
    state: "closed",
    merged: true,
    mergedAt: "2025-11-05T16:40:12Z",
    mergeCommitSha: null,
    mergedBy: "alexcrichton",
    author: "jdoe-dev",
    head: { ref: `fix-${number}`, sha: sha(5000 + number) },
    base: { ref: "main", sha: sha(6000 + number) },
    labels: [],
    draft: false,
    requestedReviewers: [],
    htmlUrl: `https://github.com/bytecodealliance/wasmtime/pull/${number}`,
    milestone: null,
    updatedAt: "2025-11-05T16:40:12Z",
    createdAt: "2025-11-05T16:40:12Z",
    ...fields,
  };
}

const find = (port: GitHubPort) => findFixes(port, { ghsaId: GHSA, defaultBranch: "main", since: SINCE });

/** Unrelated history around the fix, so the search has something to skip. */
const noise = [
  commit(1, "Bump cranelift to 0.125.0", "2025-10-01T10:00:00Z"),
  commit(2, "Fix a typo in the docs (#11190)", "2025-10-20T10:00:00Z"),
];

test("a commit naming the GHSA id whose PR was merged into the default branch is reported as that PR", async () => {
  const port = fakePort({
    commits: [...noise, commit(10, `Merge pull request from ${GHSA}\n\nFix out-of-bounds read in table.copy`, "2025-11-05T16:40:12Z")],
    pulls: [pull(11201, { title: "Fix out-of-bounds read in table.copy", mergeCommitSha: sha(10), updatedAt: "2025-08-01T00:00:00Z" })],
  });
  expect(await find(port)).toEqual([
    { kind: "pull", number: 11201, title: "Fix out-of-bounds read in table.copy", url: "https://github.com/bytecodealliance/wasmtime/pull/11201" },
  ]);
  // It searched the default branch within the window, and asked only about the commit that names the id.
  expect(port.calls).toEqual(expect.arrayContaining([`listCommits main since ${SINCE}`, `listClosedPulls main since ${SINCE}`]));
  expect(port.calls.filter((c) => c.startsWith("listPullsForCommit"))).toEqual([`listPullsForCommit ${sha(10)}`]);
});

test("the id matches whatever its case", async () => {
  const port = fakePort({
    commits: [...noise, commit(10, `Fix table.copy bounds (${GHSA.toLowerCase()})`, "2025-11-05T16:40:12Z")],
    pulls: [],
  });
  expect(await find(port)).toEqual([{ kind: "commit", sha: sha(10), title: `Fix table.copy bounds (${GHSA.toLowerCase()})` }]);
});

test("a commit pushed without a PR is reported as a commit: its sha and the first line of its message", async () => {
  const port = fakePort({
    commits: [...noise, commit(10, `  Fix out-of-bounds read in table.copy  \n\nFixes ${GHSA}.\n`, "2025-11-05T16:40:12Z")],
    pulls: [],
  });
  expect(await find(port)).toEqual([{ kind: "commit", sha: sha(10), title: "Fix out-of-bounds read in table.copy" }]);
});

test("a merged PR naming the id only in its body is found, though no commit names it", async () => {
  const port = fakePort({
    commits: [...noise, commit(10, "Fix out-of-bounds read in table.copy (#11201)", "2025-11-05T16:40:12Z")],
    pulls: [pull(11201, { title: "Fix out-of-bounds read in table.copy", body: `Negative lengths were not rejected.\n\nFixes ${GHSA.toLowerCase()}`, mergeCommitSha: sha(10) })],
  });
  expect(await find(port)).toEqual([
    { kind: "pull", number: 11201, title: "Fix out-of-bounds read in table.copy", url: "https://github.com/bytecodealliance/wasmtime/pull/11201" },
  ]);
});

test("a merged PR naming the id in its title is found", async () => {
  const port = fakePort({ commits: noise, pulls: [pull(11201, { title: `Fix ${GHSA}` })] });
  expect(await find(port)).toEqual([{ kind: "pull", number: 11201, title: `Fix ${GHSA}`, url: "https://github.com/bytecodealliance/wasmtime/pull/11201" }]);
});

test("a PR closed without merging is not a fix, however plainly it names the id", async () => {
  const port = fakePort({
    commits: noise,
    pulls: [pull(11201, { title: `Fix ${GHSA}`, body: `Fixes ${GHSA}`, merged: false, mergedAt: null, mergedBy: null })],
  });
  expect(await find(port)).toEqual([]);
});

test("a commit whose PR was merged into another base is reported as the commit, not that PR", async () => {
  const port = fakePort({
    commits: [...noise, commit(10, `Fix table.copy bounds\n\n${GHSA}`, "2025-11-05T16:40:12Z")],
    pulls: [pull(11260, { title: "[release-38.0.0] Fix table.copy bounds", base: { ref: "release-38.0.0", sha: sha(7000) } })],
    pullsOfCommit: new Map([[sha(10), [11260]]]),
  });
  expect(await find(port)).toEqual([{ kind: "commit", sha: sha(10), title: "Fix table.copy bounds" }]);
});

test("a commit whose only PR is still open is reported as the commit", async () => {
  const port = fakePort({
    commits: [...noise, commit(10, `Fix table.copy bounds (${GHSA})`, "2025-11-05T16:40:12Z")],
    pulls: [pull(11262, { state: "open", merged: false, mergedAt: null, mergedBy: null })],
    pullsOfCommit: new Map([[sha(10), [11262]]]),
  });
  expect(await find(port)).toEqual([{ kind: "commit", sha: sha(10), title: `Fix table.copy bounds (${GHSA})` }]);
});

test("a PR found both by its title and by its merge commit is reported once", async () => {
  const port = fakePort({
    commits: [...noise, commit(10, `Fix ${GHSA} (#11201)`, "2025-11-05T16:40:12Z")],
    pulls: [pull(11201, { title: `Fix ${GHSA}`, mergeCommitSha: sha(10) })],
  });
  expect(await find(port)).toEqual([{ kind: "pull", number: 11201, title: `Fix ${GHSA}`, url: "https://github.com/bytecodealliance/wasmtime/pull/11201" }]);
});

test("several fix commits without PRs come out oldest first", async () => {
  const port = fakePort({
    commits: [
      commit(10, `Reject negative lengths in table.copy (${GHSA})`, "2025-11-03T09:00:00Z"),
      ...noise.map((c) => ({ ...c, date: "2025-11-04T00:00:00Z" })),
      commit(11, `Add a regression test for ${GHSA}`, "2025-11-05T09:00:00Z"),
      commit(12, `Harden table.fill too (${GHSA})`, "2025-11-06T09:00:00Z"),
    ],
    pulls: [],
  });
  expect((await find(port)).map((f) => (f.kind === "commit" ? f.sha : f.number))).toEqual([sha(10), sha(11), sha(12)]);
});

/** GitHub lists closed PRs most recently updated first; fixes still come out in the order they landed. */
test("several fix PRs, each named in its title and found through its merge commit too, come out oldest first", async () => {
  // GitHub lists closed PRs most recently updated first, so the later fix comes back first there.
  const port = fakePort({
    commits: [
      commit(10, `Reject negative lengths in table.copy (${GHSA}) (#11201)`, "2025-11-03T09:00:00Z"),
      commit(11, `Harden table.fill too (${GHSA}) (#11205)`, "2025-11-06T09:00:00Z"),
    ],
    pulls: [
      pull(11201, { title: `Reject negative lengths in table.copy (${GHSA})`, mergeCommitSha: sha(10), mergedAt: "2025-11-03T09:00:00Z", updatedAt: "2025-11-03T09:00:00Z" }),
      pull(11205, { title: `Harden table.fill too (${GHSA})`, mergeCommitSha: sha(11), mergedAt: "2025-11-06T09:00:00Z", updatedAt: "2025-11-06T09:00:00Z" }),
    ],
  });
  expect((await find(port)).map((f) => (f.kind === "pull" ? f.number : f.sha))).toEqual([11201, 11205]);
});

test("nothing names the id: no fix", async () => {
  const port = fakePort({
    commits: [...noise, commit(10, "Fix GHSA-aaaa-bbbb-cccc in the fuzzers", "2025-11-05T16:40:12Z")],
    pulls: [pull(11201, { title: "Fix GHSA-aaaa-bbbb-cccc", body: "Unrelated advisory", mergeCommitSha: sha(10) })],
  });
  expect(await find(port)).toEqual([]);
  expect(port.calls.some((c) => c.startsWith("listPullsForCommit"))).toBe(false);
});

import { cherryPickedFrom, pickedMessage, planPicks, type Pick } from "../../src/backport/picks.js";
import type { GitHubPort } from "../../src/github/port.js";
import type { GitCommit, GitUser, PullRequest } from "../../src/github/types.js";

const jane: GitUser = { name: "Jane Doe", email: "jane@example.com", date: "2025-11-05T16:30:00Z" };
const sam: GitUser = { name: "Sam Roe", email: "sam@example.com", date: "2025-11-05T16:31:00Z" };
const web: GitUser = { name: "GitHub", email: "noreply@github.com", date: "2025-11-05T16:40:00Z" };
const sha = (n: number) => n.toString(16).padStart(40, "0");

const pick = (fields: Partial<Pick> = {}): Pick => ({
  sha: "c0ffee00d15ea5e5badc0de0123456789abcdef0",
  parent: sha(1),
  message: "Fix out-of-bounds read in table.copy\n\nNegative lengths were not rejected.\n",
  author: jane,
  coAuthors: [jane],
  ...fields,
});

describe("pickedMessage", () => {
  test("keeps the message, then the cherry-pick line, then one Co-authored-by trailer per author", () => {
    expect(pickedMessage(pick({ coAuthors: [jane, sam] }))).toBe(
      "Fix out-of-bounds read in table.copy\n\nNegative lengths were not rejected.\n\n" +
        "(cherry picked from commit c0ffee00d15ea5e5badc0de0123456789abcdef0)\n\n" +
        "Co-authored-by: Jane Doe <jane@example.com>\nCo-authored-by: Sam Roe <sam@example.com>\n",
    );
  });

  test("no co-authors: no trailer block", () => {
    expect(pickedMessage(pick({ message: "Fix it", coAuthors: [] }))).toBe("Fix it\n\n(cherry picked from commit c0ffee00d15ea5e5badc0de0123456789abcdef0)\n");
  });

  test("a trailer the message already has is not repeated (whatever its case); the others are added", () => {
    const message = "Fix it\n\nco-authored-by: jane doe <JANE@example.com>\n";
    const result = pickedMessage(pick({ message, coAuthors: [jane, sam] }));
    expect(result).toBe(
      "Fix it\n\nco-authored-by: jane doe <JANE@example.com>\n\n(cherry picked from commit c0ffee00d15ea5e5badc0de0123456789abcdef0)\n\nCo-authored-by: Sam Roe <sam@example.com>\n",
    );
    expect(result.toLowerCase().match(/co-authored-by: jane doe/g)).toHaveLength(1);
  });

  test("every co-author already credited: nothing after the cherry-pick line", () => {
    const message = "Fix it\n\nCo-authored-by: Jane Doe <jane@example.com>";
    expect(pickedMessage(pick({ message, coAuthors: [jane] }))).toBe(`${message}\n\n(cherry picked from commit c0ffee00d15ea5e5badc0de0123456789abcdef0)\n`);
  });

  test("what it writes, cherryPickedFrom reads back", () => {
    expect(cherryPickedFrom(pickedMessage(pick()))).toEqual(["c0ffee00d15ea5e5badc0de0123456789abcdef0"]);
  });
});

describe("cherryPickedFrom", () => {
  test.each([
    ["Fix it\n\n(cherry picked from commit abc1234)", ["abc1234"]],
    [`Two\n\n(cherry picked from commit ${sha(10)})\n(cherry picked from commit ${sha(11)})`, [sha(10), sha(11)]],
    ["Fix it", []],
    ["cherry picked from commit abc1234", []],
    ["(cherry picked from commit abc12)", []],
    ["(cherry picked from commit xyz1234567)", []],
  ])("%j → %j", (message, expected) => {
    expect(cherryPickedFrom(message)).toEqual(expected);
  });
});

/** A GitHub port that knows some commits and one PR's commits; every other call fails the test. */
function fakePort(commits: GitCommit[], pullCommits: GitCommit[]): GitHubPort & { reads: string[] } {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const reads: string[] = [];
  const unexpected = (name: string) => () => {
    throw new Error(`unexpected call: ${name}`);
  };
  const port: Partial<GitHubPort> & { reads: string[] } = {
    owner: "bytecodealliance",
    repo: "wasmtime",
    reads,
    async getCommit(s) {
      reads.push(`commit ${s}`);
      const found = bySha.get(s);
      if (!found) throw new Error(`no commit ${s}`);
      return found;
    },
    async listPullCommits(number) {
      reads.push(`pull commits #${number}`);
      return pullCommits;
    },
  };
  return new Proxy(port, {
    get: (target, key) => (key in target ? target[key as keyof typeof target] : unexpected(String(key))),
  }) as GitHubPort & { reads: string[] };
}

const commit = (n: number, message: string, parents: string[], author: GitUser = jane): GitCommit => ({
  sha: sha(n),
  tree: sha(1000 + n),
  parents,
  message,
  author,
});

function merged(fields: Partial<PullRequest> = {}): PullRequest {
  return {
    number: 11201,
    title: "Fix out-of-bounds read in table.copy",
    body: null,
    state: "closed",
    merged: true,
    mergedAt: "2025-11-05T16:40:12Z",
    mergeCommitSha: sha(99),
    mergedBy: "alexcrichton",
    author: "jdoe-dev",
    head: { ref: "fix-table-copy", sha: sha(3) },
    base: { ref: "main", sha: sha(50) },
    labels: [],
    draft: false,
    requestedReviewers: [],
    htmlUrl: "https://github.com/bytecodealliance/wasmtime/pull/11201",
    milestone: null,
    updatedAt: "2025-11-21T12:00:00Z",
    createdAt: "2025-11-21T12:00:00Z",
    ...fields,
  };
}

// The PR's own commits, on top of an old main commit (sha 40).
const first = commit(1, "Reject negative lengths", [sha(40)], jane);
const second = commit(2, "Add a test case", [sha(1)], sam);
const third = commit(3, "Address review", [sha(2)], jane);

describe("planPicks", () => {
  test("a merge commit (two parents) → method merge, one pick relative to its first parent, titled after the PR", async () => {
    const mergeCommit = commit(99, "Merge pull request #11201 from jdoe-dev/fix-table-copy", [sha(50), sha(3)], web);
    const plan = await planPicks(fakePort([mergeCommit], [first, second, third]), merged());
    expect(plan.method).toBe("merge");
    expect(plan.picks).toEqual([
      { sha: sha(99), parent: sha(50), message: "Fix out-of-bounds read in table.copy (#11201)\n", author: web, coAuthors: [jane, sam] },
    ]);
  });

  test("a single-commit PR → squash: the merge commit, crediting the PR's author", async () => {
    const squashed = commit(99, "Fix out-of-bounds read in table.copy (#11201)", [sha(50)], jane);
    const only = commit(1, "Fix out-of-bounds read", [sha(40)], jane);
    const plan = await planPicks(fakePort([squashed], [only]), merged());
    expect(plan).toEqual({
      method: "squash",
      picks: [{ sha: sha(99), parent: sha(50), message: "Fix out-of-bounds read in table.copy (#11201)", author: jane, coAuthors: [jane] }],
    });
  });

  test("a three-commit PR whose rebased copies have the same messages → rebase, each copy in order", async () => {
    // Rebased onto main (sha 50): copies 97 → 98 → 99, 99 being merge_commit_sha.
    const copy1 = commit(97, first.message, [sha(50)], jane);
    const copy2 = commit(98, `${second.message}\n`, [sha(97)], sam);
    const copy3 = commit(99, third.message, [sha(98)], jane);
    const port = fakePort([copy1, copy2, copy3], [first, second, third]);
    const plan = await planPicks(port, merged());
    expect(plan.method).toBe("rebase");
    expect(plan.picks.map((p) => [p.sha, p.parent, p.message, p.author.email])).toEqual([
      [sha(97), sha(50), "Reject negative lengths", "jane@example.com"],
      [sha(98), sha(97), "Add a test case\n", "sam@example.com"],
      [sha(99), sha(98), "Address review", "jane@example.com"],
    ]);
    expect(plan.picks.map((p) => p.coAuthors)).toEqual([[jane], [sam], [jane]]);
    // 2 reads, then one per earlier rebased commit.
    expect(port.reads.filter((r) => r.startsWith("commit "))).toEqual([`commit ${sha(99)}`, `commit ${sha(98)}`, `commit ${sha(97)}`]);
  });

  test("a three-commit PR merged by squash → squash: one pick, every author credited once", async () => {
    const squashed = commit(99, "Fix out-of-bounds read in table.copy (#11201)\n\n* Reject negative lengths\n* Add a test case", [sha(50)], jane);
    const plan = await planPicks(fakePort([squashed], [first, second, third]), merged());
    expect(plan).toEqual({
      method: "squash",
      picks: [{ sha: sha(99), parent: sha(50), message: squashed.message, author: jane, coAuthors: [jane, sam] }],
    });
  });

  test("a rebase whose earlier copy does not match (the chain is not the PR's) → squash", async () => {
    const other = commit(98, "Someone else's change", [sha(97)], sam);
    const copy3 = commit(99, third.message, [sha(98)], jane);
    const plan = await planPicks(fakePort([other, copy3], [first, second, third]), merged());
    expect(plan.method).toBe("squash");
    expect(plan.picks.map((p) => p.sha)).toEqual([sha(99)]);
  });

  test("a PR without a merge commit cannot be planned", async () => {
    await expect(planPicks(fakePort([], []), merged({ mergeCommitSha: null }))).rejects.toThrow("#11201 has no merge commit");
  });
});

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GitHistoryError, readGitHistory } from "../../src/cli/git-history.js";
import { Naming } from "../../src/engine/naming.js";

const naming = new Naming("major", "release-{major}.0.0", "v{version}");

/** git with a fixed identity and dates, and no user/system config. */
const baseEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GIT_"))),
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

function git(cwd: string, args: string[], date = "2025-01-01T00:00:00Z"): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...baseEnv, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  }).trim();
}

function commit(cwd: string, message: string, date: string): string {
  git(cwd, ["commit", "--allow-empty", "-q", "-m", message], date);
  return git(cwd, ["rev-parse", "HEAD"]);
}

let root: string;
let work: string;
let origin: string;
const savedCeiling = process.env.GIT_CEILING_DIRECTORIES;

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "git-history-")));
  // Plain directories under `root` must not be taken for part of a repository that encloses the temp dir.
  process.env.GIT_CEILING_DIRECTORIES = root;
  work = path.join(root, "work");
  origin = path.join(root, "origin.git");
  fs.mkdirSync(work);
  git(root, ["init", "-q", "--bare", "-b", "main", origin]);
  git(work, ["init", "-q", "-b", "main"]);

  commit(work, "start", "2025-08-01T09:00:00Z");
  commit(work, "fork point of 36", "2025-08-05T10:00:00Z");
  git(work, ["checkout", "-q", "-b", "release-36.0.0"]);
  const fix1 = commit(work, "fix on 36", "2025-08-12T10:00:00Z");
  // Annotated: the tagger date counts, 2025-08-21T04:30Z in UTC.
  git(work, ["tag", "-a", "v36.0.0", "-m", "36.0.0", fix1], "2025-08-20T23:30:00-05:00");
  const fix2 = commit(work, "second fix", "2025-09-02T01:00:00+02:00"); // UTC day 2025-09-01
  git(work, ["tag", "v36.0.1", fix2]); // lightweight: the commit date counts
  git(work, ["tag", "v36.0.0+dup", fix2]); // same version, later (2025-09-01): 2025-08-21 stays
  const fix3 = commit(work, "third fix", "2025-09-10T12:00:00Z");
  git(work, ["tag", "v36.0.2", fix3]);
  git(work, ["tag", "-a", "v36.0.2+b2", "-m", "again", fix3], "2025-09-08T12:00:00Z"); // same version, earlier
  git(work, ["tag", "-a", "v37.0.0-rc.1", "-m", "rc", fix3], "2025-09-09T12:00:00Z");
  git(work, ["tag", "foo-1.0.0", fix3]);
  git(work, ["tag", "v36.0", fix3]);

  git(work, ["checkout", "-q", "main"]);
  commit(work, "more work", "2025-08-15T10:00:00Z");
  git(work, ["checkout", "-q", "-b", "feature/x"]);
  commit(work, "feature", "2025-08-16T10:00:00Z");
  git(work, ["checkout", "-q", "main"]);
  commit(work, "fork point of 37", "2025-09-10T10:00:00Z");
  git(work, ["checkout", "-q", "-b", "release-37.0.0"]);
  commit(work, "fix on 37", "2025-09-12T10:00:00Z");
  git(work, ["checkout", "-q", "main"]);
  // An unrelated history: no fork point.
  const orphan = git(work, ["commit-tree", "-m", "orphan", "HEAD^{tree}"], "2025-09-20T10:00:00Z");
  git(work, ["branch", "release-38.0.0", orphan]);

  git(work, ["remote", "add", "origin", origin]);
  git(work, ["push", "-q", "origin", "main", "release-36.0.0", "release-37.0.0"]);
  git(work, ["branch", "-q", "-D", "release-37.0.0"]);
  git(work, ["fetch", "-q", "origin"]);
});

afterAll(() => {
  if (savedCeiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
  else process.env.GIT_CEILING_DIRECTORIES = savedCeiling;
  fs.rmSync(root, { recursive: true, force: true });
});

// Releases are sorted by version; branches by line (then name).
const expectedReleases = [
  { version: "36.0.0", date: "2025-08-21" },
  { version: "36.0.1", date: "2025-09-01" },
  { version: "36.0.2", date: "2025-09-08" },
];
// Without a policy's nominal cut day, a branch is dated by its own first commit (not the fork point).
const expectedBranches = [
  { name: "release-36.0.0", createdAt: "2025-08-12" },
  { name: "release-37.0.0", createdAt: "2025-09-12" },
  { name: "release-38.0.0", createdAt: null },
];

describe("readGitHistory", () => {
  it("reads release tags and local and remote-tracking release branches", async () => {
    // Preconditions: release-37.0.0 exists only as a remote-tracking branch; no origin/HEAD.
    expect(git(work, ["branch", "--list", "release-37.0.0"])).toBe("");
    expect(git(work, ["for-each-ref", "--format=%(refname)", "refs/remotes"]).split("\n")).toEqual([
      "refs/remotes/origin/main",
      "refs/remotes/origin/release-36.0.0",
      "refs/remotes/origin/release-37.0.0",
    ]);
    expect(await readGitHistory({ repo: work, naming })).toEqual({
      releases: expectedReleases,
      branches: expectedBranches,
    });
  });

  it("forks from origin/HEAD's target when it exists, and gives no dates when the default is a release branch", async () => {
    git(work, ["checkout", "-q", "release-36.0.0"]);
    try {
      git(work, ["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"]);
      expect((await readGitHistory({ repo: work, naming })).branches).toEqual(expectedBranches);
      git(work, ["symbolic-ref", "--delete", "refs/remotes/origin/HEAD"]);
      expect((await readGitHistory({ repo: work, naming })).branches).toEqual(
        expectedBranches.map(({ name }) => ({ name, createdAt: null })),
      );
    } finally {
      git(work, ["checkout", "-q", "main"]);
    }
  });

  it("reads a bare repository", async () => {
    expect(await readGitHistory({ repo: origin, naming })).toEqual({
      releases: [],
      branches: [
        { name: "release-36.0.0", createdAt: "2025-08-12" },
        { name: "release-37.0.0", createdAt: "2025-09-12" },
      ],
    });
  });

  it("gives an empty history for a repository without commits", async () => {
    const empty = path.join(root, "empty");
    fs.mkdirSync(empty);
    git(empty, ["init", "-q", "-b", "main"]);
    expect(await readGitHistory({ repo: empty, naming })).toEqual({ releases: [], branches: [] });
  });

  it.each([
    ["a path that does not exist", () => path.join(root, "missing")],
    [
      "a plain directory",
      () => {
        const plain = path.join(root, "plain");
        fs.mkdirSync(plain, { recursive: true });
        return plain;
      },
    ],
  ])("rejects %s, naming it", async (_, makePath) => {
    const repo = makePath();
    const error: unknown = await readGitHistory({ repo, naming }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHistoryError);
    expect((error as Error).message).toContain(`"${repo}"`);
  });

  it("says so when git is not installed", async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(root, "no-such-bin");
    try {
      const error: unknown = await readGitHistory({ repo: work, naming }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GitHistoryError);
      expect((error as Error).message).toMatch(/git is not installed/);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it("dates a cut by the policy's nominal day within what git bounds: never before the fork, never after the branch's own first commit", async () => {
    const nominal = (day: string) => () => day;
    const cut = async (day: string) => (await readGitHistory({ repo: work, naming, nominalCut: nominal(day) })).branches[0]!.createdAt;
    // release-36.0.0 forked from a commit of 2025-08-05; its own first commit is of 2025-08-12; main moved on 2025-08-15.
    expect(await cut("2025-08-07")).toBe("2025-08-07");
    // Cut later than nominal: the branch's own first commit, made before the default branch moved again.
    expect(await cut("2025-08-01")).toBe("2025-08-12");
    expect(await cut("2025-08-20")).toBe("2025-08-12");
  });

  it("ignores versions and branches outside the line scheme: pre-1.0 tags are not a line 0", async () => {
    const scratch = path.join(root, "pre1");
    fs.mkdirSync(scratch);
    git(scratch, ["init", "-q", "-b", "main"]);
    const first = commit(scratch, "start", "2025-01-01T09:00:00Z");
    git(scratch, ["tag", "v0.9.0", first]);
    git(scratch, ["branch", "release-0.0.0", first]);
    commit(scratch, "one", "2025-02-01T09:00:00Z");
    git(scratch, ["tag", "v1.0.0"]);
    expect(await readGitHistory({ repo: scratch, naming })).toEqual({ releases: [{ version: "1.0.0", date: "2025-02-01" }], branches: [] });
  });
});

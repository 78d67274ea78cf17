/**
 * Reads a ReleaseHistory from a local git repository (worktree or bare), running only read-only git
 * commands with `git -C <repo>`: release tags become releases, release branches become branches.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { toIsoDay } from "../engine/dates.js";
import { compareLines, type LineId, type Naming } from "../engine/naming.js";
import type { BranchRecord, IsoDate, ReleaseHistory, ReleaseRecord } from "../engine/types.js";

const execFileAsync = promisify(execFile);

/** The repository cannot be read (missing, not a git repository, git not installed): a one-line message. */
export class GitHistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitHistoryError";
  }
}

/** Variables that would point git at another repository (or part of one) than the `-C` path. */
const REPOSITORY_VARIABLES = [
  "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE",
];

async function git(repo: string, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  try {
    const { stdout } = await execFileAsync("git", ["-C", repo, ...args], {
      encoding: "utf8",
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") throw new GitHistoryError("git is not installed (not found on PATH)");
    throw error;
  }
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

/** The UTC calendar day of a git ISO-8601 timestamp, or null if there is none. */
function utcDay(timestamp: string | undefined): IsoDate | null {
  const time = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(time) ? null : toIsoDay(new Date(time));
}

/** `X.Y.Z` versions (what Naming.versionOfTag returns) in numeric order. */
function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** `refs/heads/<name>` and `refs/remotes/<remote>/<name>` to `<name>`. */
const branchName = (ref: string) => ref.replace(/^refs\/heads\//, "").replace(/^refs\/remotes\/[^/]+\//, "");

async function checkRepository(repo: string): Promise<void> {
  if (repo === "") throw new GitHistoryError("no git repository path given");
  try {
    await git(repo, ["rev-parse", "--git-dir"]);
  } catch (error) {
    if (error instanceof GitHistoryError) throw error;
    if (!existsSync(repo)) throw new GitHistoryError(`"${repo}" does not exist`);
    const detail = lines(String((error as { stderr?: unknown }).stderr ?? ""))[0]?.replace(/^fatal: /, "") ?? "";
    const reason = detail === "" || detail.includes("not a git repository") ? "" : ` (${detail})`;
    throw new GitHistoryError(`"${repo}" is not a git repository${reason}`);
  }
}

/** Release tags; a version tagged twice keeps its earliest day. Sorted by version. */
async function readReleases(repo: string, naming: Naming): Promise<ReleaseRecord[]> {
  // creatordate: tagger date of annotated tags, committer date of lightweight ones; the peeled commit's
  // date is a fallback for annotated tags without a tagger line.
  const format = "--format=%(refname:lstrip=2)%00%(creatordate:iso-strict)%00%(*committerdate:iso-strict)";
  const earliest = new Map<string, IsoDate>();
  for (const line of lines(await git(repo, ["for-each-ref", format, "refs/tags"]))) {
    const [tag = "", created, peeled] = line.split("\0");
    const version = naming.versionOfTag(tag);
    const day = utcDay(created) ?? utcDay(peeled);
    if (version === null || day === null) continue;
    const seen = earliest.get(version);
    if (seen === undefined || day < seen) earliest.set(version, day);
  }
  return [...earliest].map(([version, date]) => ({ version, date })).sort((a, b) => compareVersions(a.version, b.version));
}

async function mergeBase(repo: string, ref: string, base: string): Promise<string | null> {
  try {
    return (await git(repo, ["merge-base", ref, base])).trim() || null;
  } catch (error) {
    if (error instanceof GitHistoryError) throw error;
    return null; // no common ancestor (exit 1) or no base yet (unborn HEAD)
  }
}

/**
 * Release branches, local and remote-tracking (deduplicated by name, the local one first), sorted by line.
 * `createdAt` is the UTC committer day of the branch's fork point from the default branch: the target of
 * `refs/remotes/origin/HEAD` if it exists, else HEAD. Null when there is no fork point or the default
 * branch is itself a release branch.
 */
async function readBranches(repo: string, naming: Naming): Promise<BranchRecord[]> {
  const format = "--format=%(refname)%00%(symref)%00%(HEAD)";
  const found = new Map<string, { ref: string; line: LineId }>();
  let originHead: string | null = null;
  let head = "HEAD";
  for (const line of lines(await git(repo, ["for-each-ref", format, "refs/heads", "refs/remotes"]))) {
    const [ref = "", symref = "", current = ""] = line.split("\0");
    if (symref !== "") {
      if (ref === "refs/remotes/origin/HEAD") originHead = symref;
      continue;
    }
    if (current === "*") head = ref;
    const name = branchName(ref);
    const id = naming.lineOfBranch(name);
    if (id !== null && !found.has(name)) found.set(name, { ref, line: id });
  }
  const base = originHead ?? head;
  const usable = base === "HEAD" || naming.lineOfBranch(branchName(base)) === null;
  const entries = [...found];
  const forks = usable ? await Promise.all(entries.map(([, { ref }]) => mergeBase(repo, ref, base))) : [];
  const shas = [...new Set(forks.filter((sha): sha is string => sha !== null))];
  const days = new Map<string, IsoDate | null>();
  if (shas.length > 0) {
    for (const line of lines(await git(repo, ["log", "--no-walk=unsorted", "--format=%H%x00%cI", ...shas, "--"]))) {
      const [sha = "", date] = line.split("\0");
      days.set(sha, utcDay(date));
    }
  }
  return entries
    .map(([name, { line }], i) => ({ name, line, createdAt: days.get(forks[i] ?? "") ?? null }))
    .sort((a, b) => compareLines(a.line, b.line) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, createdAt }) => ({ name, createdAt }));
}

export async function readGitHistory(options: { repo: string; naming: Naming }): Promise<ReleaseHistory> {
  await checkRepository(options.repo);
  const [releases, branches] = await Promise.all([
    readReleases(options.repo, options.naming),
    readBranches(options.repo, options.naming),
  ]);
  return { releases, branches };
}

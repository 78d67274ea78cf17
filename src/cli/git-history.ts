/**
 * Reads a ReleaseHistory from a local git repository (worktree or bare), running only read-only git
 * commands with `git -C <repo>`: release tags become releases, release branches become branches.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { toIsoDay } from "../engine/dates.js";
import { compareLines, lineOfVersion, type LineId, type Naming } from "../engine/naming.js";
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
    if (!inScheme(naming, lineOfVersion(version, naming.granularity))) continue;
    const seen = earliest.get(version);
    if (seen === undefined || day < seen) earliest.set(version, day);
  }
  return [...earliest].map(([version, date]) => ({ version, date })).sort((a, b) => compareVersions(a.version, b.version));
}

/** The day a branch was cut, from what its history bounds: never before the fork, never after its own first commit. */
function cutDay(options: { fork: IsoDate | null; ownFirst: IsoDate | null; nextOnDefault: IsoDate | null; nominal: IsoDate | null }): IsoDate | null {
  const { fork, ownFirst, nextOnDefault, nominal } = options;
  if (fork === null) return null;
  // The cut took the default branch's head after the fork commit and before the next one landed, and before
  // the branch's own first commit: the policy's nominal day when it falls in that window; a cut later than
  // nominal, the branch's own first commit when it is inside the window (a version bump made at the cut), else
  // the fork; a cut earlier than nominal, the window's end. Without a nominal day, the branch's own first
  // commit (else the fork).
  const upper = [ownFirst, nextOnDefault].filter((d): d is IsoDate => d !== null && d >= fork).sort()[0] ?? null;
  if (nominal === null) return ownFirst !== null && ownFirst >= fork ? ownFirst : fork;
  if (nominal < fork) return ownFirst !== null && ownFirst >= fork && (nextOnDefault === null || ownFirst <= nextOnDefault) ? ownFirst : fork;
  return upper !== null && nominal > upper ? upper : nominal;
}

/**
 * Release branches, local and remote-tracking (deduplicated by name, the local one first), sorted by line.
 * `createdAt` is the branch's cut day (see `cutDay`), from the default branch: the target of
 * `refs/remotes/origin/HEAD` if it exists, else HEAD. Null when there is no fork point or the default
 * branch is itself a release branch.
 *
 * Three git processes whatever the number of refs: the release branches' own commits in one `git log`
 * (`--source` names the branch that reached each; its oldest commit's parent is the fork), the default
 * branch's first-parent history (the fork's date, and the next commit after it), and the tips.
 */
async function readBranches(repo: string, naming: Naming, nominalCut: (line: LineId) => IsoDate | null): Promise<BranchRecord[]> {
  const format = "--format=%(refname)%00%(symref)%00%(HEAD)%00%(objectname)";
  const found = new Map<string, { ref: string; line: LineId; tip: string }>();
  let originHead: string | null = null;
  let head = "HEAD";
  for (const line of lines(await git(repo, ["for-each-ref", format, "refs/heads", "refs/remotes"]))) {
    const [ref = "", symref = "", current = "", tip = ""] = line.split("\0");
    if (symref !== "") {
      if (ref === "refs/remotes/origin/HEAD") originHead = symref;
      continue;
    }
    if (current === "*") head = ref;
    const name = branchName(ref);
    const id = naming.lineOfBranch(name);
    if (id !== null && !found.has(name) && inScheme(naming, id)) found.set(name, { ref, line: id, tip });
  }
  const base = originHead ?? head;
  const usable = base === "HEAD" || naming.lineOfBranch(branchName(base)) === null;
  const entries = [...found];
  const dates = new Map<string, { fork: IsoDate | null; ownFirst: IsoDate | null; nextOnDefault: IsoDate | null }>();
  if (usable && entries.length > 0) {
    const baseSha = await git(repo, ["rev-parse", "--verify", "-q", `${base}^{commit}`]).then((out) => out.trim()).catch(() => "");
    if (baseSha !== "") {
      // The default branch's first-parent history: each commit's day, and the day of the commit after it.
      const onDefault = new Map<string, { day: IsoDate | null; next: IsoDate | null }>();
      let newer: IsoDate | null = null;
      for (const line of lines(await git(repo, ["log", "--first-parent", "--format=%H%x00%cI", baseSha, "--"]))) {
        const [sha = "", date] = line.split("\0");
        const day = utcDay(date);
        onDefault.set(sha, { day, next: newer });
        newer = day;
      }
      // Every commit on a release branch and not on the default branch, oldest last per branch.
      const own = new Map<string, { first: string; firstDay: IsoDate | null; parent: string | null }>();
      const refs = entries.map(([, { ref }]) => ref);
      const log = await git(repo, ["log", "--source", "--format=%S%x00%H%x00%P%x00%cI", ...refs, "--not", baseSha, "--"]);
      const onBranches = new Set<string>();
      const rows = lines(log).map((line) => {
        const [source = "", sha = "", parents = "", date] = line.split("\0");
        onBranches.add(sha);
        return { source, sha, parents: parents.split(" ").filter(Boolean), day: utcDay(date) };
      });
      for (const row of rows) {
        // The oldest own commit of a branch is the one whose parent is not one of the branches' own commits.
        const parent = row.parents.find((p) => !onBranches.has(p)) ?? null;
        if (parent !== null || row.parents.length === 0) own.set(branchName(row.source), { first: row.sha, firstDay: row.day, parent });
      }
      const forkDays = new Map<string, IsoDate | null>();
      const offDefault = [...own.values()].map((o) => o.parent).filter((p): p is string => p !== null && !onDefault.has(p));
      if (offDefault.length > 0) {
        for (const line of lines(await git(repo, ["log", "--no-walk=unsorted", "--format=%H%x00%cI", ...new Set(offDefault), "--"]))) {
          const [sha = "", date] = line.split("\0");
          forkDays.set(sha, utcDay(date));
        }
      }
      for (const [name, { tip }] of entries) {
        const mine = own.get(name);
        const fork = mine ? mine.parent : onDefault.has(tip) ? tip : null;
        if (fork === null) continue; // an unrelated history, or a tip reached only through another branch
        const known = onDefault.get(fork);
        dates.set(name, { fork: known?.day ?? forkDays.get(fork) ?? null, ownFirst: mine?.firstDay ?? null, nextOnDefault: known?.next ?? null });
      }
    }
  }
  return entries
    .map(([name, { line }]) => {
      const d = dates.get(name);
      return { name, line, createdAt: d ? cutDay({ ...d, nominal: nominalCut(line) }) : null };
    })
    .sort((a, b) => compareLines(a.line, b.line) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, createdAt }) => ({ name, createdAt }));
}

/** Lines outside the configured scheme: pre-1.0 versions when lines are majors (they are not line "0"). */
function inScheme(naming: Naming, id: LineId): boolean {
  return naming.granularity !== "major" || id.major >= 1;
}

export async function readGitHistory(options: { repo: string; naming: Naming; nominalCut?: (line: LineId) => IsoDate | null }): Promise<ReleaseHistory> {
  await checkRepository(options.repo);
  const [releases, branches] = await Promise.all([
    readReleases(options.repo, options.naming),
    readBranches(options.repo, options.naming, options.nominalCut ?? (() => null)),
  ]);
  return { releases, branches };
}

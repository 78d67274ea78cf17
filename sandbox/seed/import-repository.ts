/**
 * Copies a local repository (bare or with a worktree) into a new bare repository for the sandbox:
 * branches, remote-tracking branches of `origin` that have no local branch, and tags. Local only.
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { BareRepo } from "../git/bare-repo.js";
import { looksLikeRefName } from "../git/names.js";
import { GitError, runGit } from "../git/run-git.js";

export interface ImportedTag {
  name: string;
  /** The tagged commit (annotated tags peeled). */
  sha: string;
  /** Tagger date of an annotated tag, else the commit date (ISO, UTC). */
  date: string;
}

export interface ImportResult {
  repo: BareRepo;
  defaultBranch: string;
  tags: ImportedTag[];
}

/** The source's git directory; refuses a directory that is merely inside some other repository. */
async function sourceGitDir(source: string): Promise<string> {
  const dir = await realpath(source).catch(() => null);
  if (dir === null) throw new GitError("not-a-repository", `${source} does not exist`);
  const ask = async (args: string[]) => {
    const { code, stdout } = await runGit({ args: ["-C", dir, "rev-parse", ...args], okCodes: [128] });
    return code === 0 ? stdout.toString("utf8").trim() : null;
  };
  const [gitDir = "", bare = ""] = ((await ask(["--absolute-git-dir", "--is-bare-repository"])) ?? "").split("\n");
  const top = bare === "true" ? gitDir : await ask(["--show-toplevel"]);
  const own = gitDir !== "" && top !== null && (await realpath(top).catch(() => null)) === dir;
  if (!own) throw new GitError("not-a-repository", `${source} is not the top of a git repository`);
  return gitDir;
}

async function sourceRefs(gitDir: string): Promise<{ heads: string[]; remote: string[]; head: string | null }> {
  const { stdout } = await runGit({ gitDir, args: ["for-each-ref", "--format=%(refname)", "refs/heads/", "refs/remotes/origin/"] });
  const refs = stdout.toString("utf8").split("\n").filter(looksLikeRefName);
  const heads = refs.filter((ref) => ref.startsWith("refs/heads/")).map((ref) => ref.slice("refs/heads/".length));
  const remote = refs
    .filter((ref) => ref.startsWith("refs/remotes/origin/"))
    .map((ref) => ref.slice("refs/remotes/origin/".length))
    .filter((name) => name !== "HEAD" && !heads.includes(name));
  const symbolic = await runGit({ gitDir, args: ["symbolic-ref", "--quiet", "HEAD"], okCodes: [1, 128] });
  const headRef = symbolic.stdout.toString("utf8").trim();
  return { heads, remote, head: headRef.startsWith("refs/heads/") ? headRef.slice("refs/heads/".length) : null };
}

/** The branch HEAD names if it was imported, else `main`, `master`, or the first branch. */
function chooseDefault(branches: string[], head: string | null): string | null {
  for (const candidate of [head, "main", "master"]) if (candidate !== null && branches.includes(candidate)) return candidate;
  return branches[0] ?? null;
}

export async function importRepository(options: { source: string; into: string }): Promise<ImportResult> {
  const gitDir = await sourceGitDir(options.source);
  const { heads, remote, head } = await sourceRefs(gitDir);
  const branches = [...heads, ...remote].sort();
  const defaultBranch = chooseDefault(branches, head);
  if (defaultBranch === null) throw new GitError("invalid-argument", `${options.source} has no branches`);

  const repo = await BareRepo.init({ dir: path.resolve(options.into), defaultBranch });
  const refspecs = [
    "+refs/heads/*:refs/heads/*",
    "+refs/tags/*:refs/tags/*",
    ...remote.map((name) => `+refs/remotes/origin/${name}:refs/heads/${name}`),
  ];
  await repo.git({
    args: ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--", gitDir, ...refspecs],
  });
  const tags = (await repo.listTags()).flatMap((tag) =>
    tag.commit !== null && tag.date !== null ? [{ name: tag.name, sha: tag.commit, date: tag.date }] : [],
  );
  return { repo, defaultBranch, tags };
}

/** The ref half of BareRepo: listing, reading, compare-and-swap updates and deletion of refs. */
import { isoFromUnix, type ObjectType } from "./objects.js";
import { isSha, looksLikeRefName, ZERO_SHA } from "./names.js";
import { GitError, runGit, type GitRun, type RunGitOptions } from "./run-git.js";

export interface RefEntry {
  ref: string;
  sha: string;
}

export interface TagEntry {
  /** Without `refs/tags/`. */
  name: string;
  /** What the ref points at: the tag object of an annotated tag, else the commit. */
  sha: string;
  annotated: boolean;
  /** The commit after peeling; null when the tag names a tree or blob. */
  commit: string | null;
  /** Tagger date of an annotated tag, else the commit's committer date (ISO, UTC). */
  date: string | null;
}

/** "stale": the ref was not at `expectedOld`; "missing-object": the sha is not in the repository. */
export type UpdateRefResult = "ok" | "stale" | "missing-object";

/** Commands that never move a ref (they may write objects, which refs do not see). */
const KEEPS_REFS = new Set(["cat-file", "for-each-ref", "ls-tree", "rev-list", "merge-base", "merge-tree", "diff-tree", "rev-parse", "commit-tree", "mktree", "hash-object", "check-ref-format"]);

/** `check-ref-format` is a pure function of the name: asked once per name. */
const validNames = new Map<string, boolean>();

export abstract class RefStore {
  /** Runs git in the repository without touching the ref snapshot; `git` wraps it. */
  protected abstract runInRepo(options: Omit<RunGitOptions, "gitDir">): Promise<GitRun>;

  /**
   * Every ref and its sha, read with one `for-each-ref` and kept until a command that can move a ref runs
   * through this store (every write in the sandbox does). `generation` tells a read that finished after a
   * write not to keep its now-stale answer.
   */
  private snapshot: Promise<Map<string, string>> | null = null;
  private generation = 0;

  /** Runs git in the repository. */
  async git(options: Omit<RunGitOptions, "gitDir">): Promise<GitRun> {
    if (KEEPS_REFS.has(options.args[0] ?? "")) return this.runInRepo(options);
    this.forgetRefs();
    try {
      return await this.runInRepo(options);
    } finally {
      this.forgetRefs();
    }
  }

  private forgetRefs(): void {
    this.generation += 1;
    this.snapshot = null;
  }

  private refMap(): Promise<Map<string, string>> {
    if (this.snapshot) return this.snapshot;
    const generation = this.generation;
    const reading = this.refLines("%(objectname) %(refname)", []).then((lines) => new Map(lines.map((line) => [line.slice(41), line.slice(0, 40)])));
    this.snapshot = reading;
    reading.then(
      () => {
        if (this.generation !== generation && this.snapshot === reading) this.snapshot = null;
      },
      () => {
        if (this.snapshot === reading) this.snapshot = null;
      },
    );
    return reading;
  }

  abstract objectType(sha: string): Promise<ObjectType | null>;

  private async refLines(format: string, patterns: string[]): Promise<string[]> {
    const { stdout } = await this.git({ args: ["for-each-ref", `--format=${format}`, "--", ...patterns] });
    return stdout.toString("utf8").split("\n").filter((line) => line !== "");
  }

  /** Full ref names that git accepts (`refs/...`, checked by `git check-ref-format`). */
  async isValidRefName(ref: string): Promise<boolean> {
    if (!looksLikeRefName(ref)) return false;
    const known = validNames.get(ref);
    if (known !== undefined) return known;
    const valid = (await runGit({ args: ["check-ref-format", ref], okCodes: [1] })).code === 0;
    if (validNames.size >= 50_000) validNames.clear();
    validNames.set(ref, valid);
    return valid;
  }

  private async requireValidRef(ref: string): Promise<void> {
    if (!(await this.isValidRefName(ref))) throw new GitError("invalid-ref", `invalid ref name: ${JSON.stringify(ref)}`);
  }

  /** Refs whose name starts with `prefix` (a plain string prefix, as GitHub's matching-refs), sorted by name. */
  async listRefs(prefix = "refs/"): Promise<RefEntry[]> {
    return [...(await this.refMap())]
      .map(([ref, sha]) => ({ sha, ref }))
      .filter((entry) => entry.ref.startsWith(prefix))
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }

  async readRef(ref: string): Promise<string | null> {
    if (!looksLikeRefName(ref)) return null;
    return (await this.refMap()).get(ref) ?? null;
  }

  /** The branch HEAD points at, without `refs/heads/`. */
  async defaultBranch(): Promise<string | null> {
    const { code, stdout } = await this.git({ args: ["symbolic-ref", "--quiet", "HEAD"], okCodes: [1] });
    const ref = stdout.toString("utf8").trim();
    return code === 0 && ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : null;
  }

  async setDefaultBranch(branch: string): Promise<void> {
    const ref = `refs/heads/${branch}`;
    await this.requireValidRef(ref);
    await this.git({ args: ["symbolic-ref", "HEAD", ref] });
  }

  /**
   * Points `ref` at `sha`. `expectedOld`: undefined, no check; null, the ref must not exist yet; a sha,
   * the ref must be there (compare-and-swap). Branches may only point at commits.
   */
  async updateRef(options: { ref: string; sha: string; expectedOld?: string | null }): Promise<UpdateRefResult> {
    const { ref, sha, expectedOld } = options;
    if (!isSha(sha) || (typeof expectedOld === "string" && !isSha(expectedOld))) {
      throw new GitError("invalid-argument", "object names must be 40 lowercase hex digits");
    }
    await this.requireValidRef(ref);
    const type = await this.objectType(sha);
    if (type === null) return "missing-object";
    if (ref.startsWith("refs/heads/") && type !== "commit") {
      throw new GitError("invalid-argument", `a branch must point at a commit, ${sha} is a ${type}`);
    }
    const old = expectedOld === undefined ? [] : [expectedOld ?? ZERO_SHA];
    const run = await this.git({ args: ["update-ref", "--no-deref", "-m", "sandbox", ref, sha, ...old], okCodes: [128] });
    if (run.code === 0) return "ok";
    const current = await this.readRef(ref);
    if (expectedOld !== undefined && current !== expectedOld) return "stale";
    throw refFailure(ref, run);
  }

  /** Removes `ref`; false when it did not exist. */
  async deleteRef(ref: string): Promise<boolean> {
    await this.requireValidRef(ref);
    const current = await this.readRef(ref);
    if (current === null) return false;
    // Deleting only the value we saw: a concurrent move makes this fail instead of losing the new value.
    const run = await this.git({ args: ["update-ref", "--no-deref", "-d", ref, current], okCodes: [128] });
    if (run.code === 0) return true;
    if ((await this.readRef(ref)) === null) return false;
    throw refFailure(ref, run);
  }

  /** Every tag with its peeled commit and date, sorted by name. */
  async listTags(): Promise<TagEntry[]> {
    const format = "%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)%00%(creatordate:raw)%00%(*committerdate:raw)";
    const lines = await this.refLines(format, ["refs/tags/"]);
    return lines
      .map((line) => {
        const [ref = "", sha = "", type = "", peeled = "", peeledType = "", created = "", peeledDate = ""] = line.split("\0");
        const annotated = type === "tag";
        const commitType = annotated ? peeledType : type;
        const seconds = Number((created || peeledDate).split(" ")[0]);
        return {
          name: ref.slice("refs/tags/".length),
          sha,
          annotated,
          commit: commitType === "commit" ? (annotated ? peeled : sha) : null,
          date: (created || peeledDate) === "" || Number.isNaN(seconds) ? null : isoFromUnix(seconds),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function refFailure(ref: string, run: GitRun): GitError {
  const details = { exitCode: run.code, stderr: run.stderr };
  // A branch `a` blocks `a/b` and the other way round (refs are files and directories).
  if (/exists; cannot create/.test(run.stderr)) return new GitError("ref-conflict", `ref ${ref} conflicts with an existing ref`, details);
  return new GitError("command-failed", `could not update ${ref}: ${run.stderr.trim()}`, details);
}

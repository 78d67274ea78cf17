/**
 * Writes a declarative history (SeedScript) into a bare repository with one `git fast-import` process,
 * so hundreds of commits take milliseconds rather than one git process per commit.
 */
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { BareRepo } from "../git/bare-repo.js";
import { looksLikeRefName } from "../git/names.js";
import { GitError } from "../git/run-git.js";

export interface SeedAuthor {
  name: string;
  email: string;
}

export interface SeedCommit {
  branch: string;
  /** A name later steps (`branch.from`, `tag.at`) and the result use for this commit. */
  label?: string;
  message: string;
  /** Full file contents by path; null deletes the file. */
  files: Record<string, string | null>;
  author?: SeedAuthor;
  /** `YYYY-MM-DD` (taken as 12:00:00Z) or a full ISO 8601 timestamp. */
  date: string;
}

export type SeedStep =
  | { commit: SeedCommit }
  /** `from`: a label or a branch name (its current head). */
  | { branch: { name: string; from: string } }
  | { tag: { name: string; at: string; annotated?: boolean; message?: string; date?: string; tagger?: SeedAuthor } };

export type SeedScript = SeedStep[];

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedError";
  }
}

export const DEFAULT_SEED_AUTHOR: SeedAuthor = { name: "Sandbox Seeder", email: "seeder@sandbox.invalid" };

/** Seconds since the epoch of a step date. */
function seconds(date: string): number {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T12:00:00Z` : date);
  if (Number.isNaN(time)) throw new SeedError(`invalid date: ${date}`);
  return Math.floor(time / 1000);
}

const clean = (value: string) => value.replace(/[<>\n\r\0]/g, "");
const ident = (who: SeedAuthor, when: number) => `${clean(who.name)} <${clean(who.email)}> ${when} +0000`;

/** fast-import's `data` command: an exact byte count, so any content is safe. */
function data(text: string): Buffer[] {
  const body = Buffer.from(text, "utf8");
  return [Buffer.from(`data ${body.length}\n`), body, Buffer.from("\n")];
}

function checkPath(file: string): string {
  // Quoted or multi-line paths would need fast-import's C-style quoting; seed scripts never need them.
  if (file === "" || file.startsWith('"') || file.startsWith("/") || /[\n\r\0]/.test(file)) {
    throw new SeedError(`unsupported seed path: ${JSON.stringify(file)}`);
  }
  return file;
}

function checkRef(ref: string): string {
  if (!looksLikeRefName(ref)) throw new SeedError(`invalid ref name: ${ref}`);
  return ref;
}

export interface BuildResult {
  /** Label → commit sha. */
  commits: Record<string, string>;
  /** Branch → head sha after the script (existing branches included). */
  branches: Record<string, string>;
  /** Tag → the sha its ref points at (a tag object for annotated tags). */
  tags: Record<string, string>;
}

/** Runs the script on top of the repository's existing branches. Commits on a new branch must be on the default branch (a root commit). */
export async function buildRepository(options: { repo: BareRepo; script: SeedScript }): Promise<BuildResult> {
  const { repo, script } = options;
  const defaultBranch = (await repo.defaultBranch()) ?? "main";
  // A branch's head as fast-import understands it: `:<mark>` or an existing sha.
  const heads = new Map<string, string>();
  for (const { ref, sha } of await repo.listRefs("refs/heads/")) heads.set(ref.slice("refs/heads/".length), sha);
  const labels = new Map<string, string>();
  const markDates = new Map<string, number>();
  const labelMarks: [string, string][] = [];
  const tagMarks: [string, string][] = [];
  const chunks: Buffer[] = [Buffer.from("feature done\n")];
  let nextMark = 1;

  const resolve = (name: string): string => {
    const found = labels.get(name) ?? heads.get(name);
    if (found === undefined) throw new SeedError(`unknown label or branch: ${name}`);
    return found;
  };

  for (const step of script) {
    if ("commit" in step) {
      const { branch, message, files, label, author = DEFAULT_SEED_AUTHOR, date } = step.commit;
      const ref = checkRef(`refs/heads/${branch}`);
      const parent = heads.get(branch);
      if (parent === undefined && branch !== defaultBranch) throw new SeedError(`commit on unknown branch ${branch}`);
      const mark = `:${nextMark++}`;
      const when = seconds(date);
      const who = ident(author, when);
      chunks.push(Buffer.from(`commit ${ref}\nmark ${mark}\nauthor ${who}\ncommitter ${who}\n`), ...data(message));
      if (parent !== undefined) chunks.push(Buffer.from(`from ${parent}\n`));
      for (const [file, content] of Object.entries(files)) {
        if (content === null) chunks.push(Buffer.from(`D ${checkPath(file)}\n`));
        else chunks.push(Buffer.from(`M 100644 inline ${checkPath(file)}\n`), ...data(content));
      }
      chunks.push(Buffer.from("\n"));
      heads.set(branch, mark);
      markDates.set(mark, when);
      if (label !== undefined) {
        labels.set(label, mark);
        labelMarks.push([label, mark]);
      }
    } else if ("branch" in step) {
      const from = resolve(step.branch.from);
      chunks.push(Buffer.from(`reset ${checkRef(`refs/heads/${step.branch.name}`)}\nfrom ${from}\n\n`));
      heads.set(step.branch.name, from);
    } else {
      const { name, at, annotated = false, message = `${name}\n`, date, tagger = DEFAULT_SEED_AUTHOR } = step.tag;
      const target = resolve(at);
      const ref = checkRef(`refs/tags/${name}`);
      if (annotated) {
        // The tag's date defaults to the tagged commit's.
        const when = date !== undefined ? seconds(date) : (markDates.get(target) ?? Math.floor(Date.now() / 1000));
        chunks.push(Buffer.from(`tag ${name}\nfrom ${target}\ntagger ${ident(tagger, when)}\n`), ...data(message));
      } else chunks.push(Buffer.from(`reset ${ref}\nfrom ${target}\n\n`));
      tagMarks.push([name, ref]);
    }
  }
  chunks.push(Buffer.from("done\n"));

  const marksFile = path.join(repo.dir, `seed-marks-${randomBytes(6).toString("hex")}`);
  const marks = new Map<string, string>();
  try {
    await repo.git({ args: ["fast-import", "--quiet", "--date-format=raw", `--export-marks=${marksFile}`], input: Buffer.concat(chunks) });
    // No marks at all (a script without commits) may leave no file.
    const exported = await readFile(marksFile, "utf8").catch(() => "");
    for (const line of exported.split("\n")) {
      const [mark, sha] = line.split(" ");
      if (mark && sha) marks.set(mark, sha);
    }
  } catch (error) {
    if (error instanceof GitError) throw new SeedError(`fast-import failed: ${error.message}`);
    throw error;
  } finally {
    await rm(marksFile, { force: true });
  }

  const sha = (head: string) => marks.get(head) ?? head;
  const commits = Object.fromEntries(labelMarks.map(([label, mark]) => [label, sha(mark)]));
  const branches = Object.fromEntries([...heads].map(([name, head]) => [name, sha(head)]));
  const tagRefs = new Map((await repo.listRefs("refs/tags/")).map(({ ref, sha: target }) => [ref, target]));
  const tags = Object.fromEntries(tagMarks.map(([name, ref]) => [name, tagRefs.get(ref) ?? ""]));
  return { commits, branches, tags };
}

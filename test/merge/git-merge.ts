/**
 * The merge real git makes of many (base, ours, theirs) triples at once: one `fast-import` writes a base,
 * an ours and a theirs commit per triple, `git merge-tree --write-tree` (the "ort" merge `git cherry-pick`
 * runs, base = the two commits' merge base) merges each pair, and one `cat-file --batch` reads the results.
 * Conflict labels are the refs' names: `o<k>` and `t<k>`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Triple {
  base: Buffer;
  ours: Buffer;
  theirs: Buffer;
}

const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GIT_"))),
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

function blob(path: string, content: Buffer): Buffer[] {
  return [Buffer.from(`M 100644 inline ${path}\ndata ${content.length}\n`), content, Buffer.from("\n")];
}

function commit(ref: string, mark: number, from: number | null, files: Buffer[]): Buffer[] {
  const head = `commit refs/heads/${ref}\nmark :${mark}\ncommitter T <t@example.com> 1700000000 +0000\ndata 0\n${from === null ? "" : `from :${from}\n`}`;
  return [Buffer.from(head), ...files, Buffer.from("\n")];
}

/** For each triple, the merged file git writes (markers labelled `o<k>` / `t<k>`). */
export function gitMergeAll(triples: Triple[]): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), "lts-steward-merge-"));
  try {
    execFileSync("git", ["init", "-q", "--bare", dir], { env });
    const stream = triples.flatMap((t, k) => [
      ...commit(`b${k}`, 3 * k + 1, null, blob("f", t.base)),
      ...commit(`o${k}`, 3 * k + 2, 3 * k + 1, blob("f", t.ours)),
      ...commit(`t${k}`, 3 * k + 3, 3 * k + 1, blob("f", t.theirs)),
    ]);
    execFileSync("git", ["--git-dir", dir, "fast-import", "--quiet"], { input: Buffer.concat(stream), env });
    const trees = triples.map((_, k) => {
      const run = spawnSync("git", ["--git-dir", dir, "merge-tree", "--write-tree", "--no-messages", `o${k}`, `t${k}`], { env });
      if (run.status !== 0 && run.status !== 1) throw new Error(`git merge-tree failed: ${run.stderr.toString()}`);
      return run.stdout.toString().split("\n", 1)[0]!;
    });
    const out = execFileSync("git", ["--git-dir", dir, "cat-file", "--batch"], { input: trees.map((tree) => `${tree}:f\n`).join(""), env, maxBuffer: 1 << 28 });
    const results: Buffer[] = [];
    let at = 0;
    for (let k = 0; k < triples.length; k++) {
      const nl = out.indexOf(10, at);
      const [, , size] = out.subarray(at, nl).toString().split(" ");
      const start = nl + 1;
      results.push(out.subarray(start, start + Number(size)));
      at = start + Number(size) + 1;
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

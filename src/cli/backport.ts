/**
 * `lts-steward backport <commit…> --to <selector…> [--on DATE] [--combine] [--push REMOTE]`: private
 * preparation in a local clone (for example of an advisory's temporary private fork, where no App may go).
 * The engine's targets for the day decide the lines; each line gets a branch with the commits cherry-picked
 * (`git cherry-pick -x`) in order. A line where a pick conflicts is reported with its files, the earlier
 * changes to those files the line never got, and the commands to finish by hand, and is left without a
 * branch. Nothing is pushed unless `--push <remote>` names where.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { resolveTargets } from "../engine/selectors.js";
import type { IsoDate, Policy, ReleaseLine, Target } from "../engine/types.js";
import { CliError } from "./errors.js";

export interface CliBackportOptions {
  repo: string;
  commits: string[];
  selectors: string[];
  lines: ReleaseLine[];
  policy: Policy;
  on: IsoDate;
  /** One branch per line with every commit (default: also one branch per line, all commits in order; `combine` names it after all of them). */
  combine: boolean;
  push: string | null;
  /** Prefix of the created branches. */
  prefix: string;
}

export type LineOutcome =
  | { kind: "branch"; target: Target; branch: string; head: string }
  | { kind: "conflict"; target: Target; commit: string; files: string[]; missing: string[]; commands: string[] }
  | { kind: "empty"; target: Target };

function git(repo: string, args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function tryGit(repo: string, args: string[]): { ok: true; out: string } | { ok: false; out: string } {
  try {
    return { ok: true, out: git(repo, args) };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** The ref a line's branch is read from: the local branch, else the first remote's. */
function baseRef(repo: string, branch: string): string | null {
  for (const ref of [`refs/heads/${branch}`, ...git(repo, ["for-each-ref", "--format=%(refname)", `refs/remotes/*/${branch}`]).split("\n").filter(Boolean)]) {
    if (tryGit(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).ok) return ref;
  }
  return null;
}

/** Cherry-picks the commits onto one line in a scratch worktree; the branch is created only when all apply. */
function pickLine(options: CliBackportOptions, target: Target, shas: string[], name: string): LineOutcome {
  const { repo } = options;
  const base = baseRef(repo, target.branch);
  if (!base) throw new CliError(`no branch ${target.branch} in ${repo} (fetch it first)`);
  const dir = git(repo, ["rev-parse", "--git-common-dir"]);
  const worktree = resolve(repo, dir, `lts-steward-${process.pid}-${target.line}`);
  git(repo, ["worktree", "add", "--detach", "-q", worktree, base]);
  try {
    for (const sha of shas) {
      const picked = tryGit(worktree, ["-c", "user.name=lts-steward", "-c", "user.email=lts-steward@users.noreply.github.com", "cherry-pick", "-x", "--allow-empty", sha]);
      if (picked.ok) continue;
      const files = git(worktree, ["diff", "--name-only", "--diff-filter=U"]).split("\n").filter(Boolean);
      tryGit(worktree, ["cherry-pick", "--abort"]);
      const missing = files.length > 0 ? git(repo, ["log", "--format=%h %s", "-n", "10", `${base}..${sha}^`, "--", ...files]).split("\n").filter(Boolean) : [];
      const commands = [
        `git switch -c ${name} ${base.replace(/^refs\/(heads|remotes)\//, "")}`,
        `git cherry-pick -x ${shas.join(" ")}`,
        "# resolve the conflicts, git add the files, git cherry-pick --continue",
      ];
      return { kind: "conflict", target, commit: sha, files, missing, commands };
    }
    const head = git(worktree, ["rev-parse", "HEAD"]);
    if (head === git(repo, ["rev-parse", base])) return { kind: "empty", target };
    git(repo, ["branch", "-f", name, head]);
    return { kind: "branch", target, branch: name, head };
  } finally {
    git(repo, ["worktree", "remove", "--force", worktree]);
  }
}

export function runCliBackport(options: CliBackportOptions): { outcomes: LineOutcome[]; output: string[] } {
  if (options.commits.length === 0) throw new CliError("backport needs at least one commit");
  if (options.selectors.length === 0) throw new CliError("backport needs --to <selector…>, e.g. --to security");
  const shas = options.commits.map((c) => {
    const r = tryGit(options.repo, ["rev-parse", "--verify", "--quiet", `${c}^{commit}`]);
    if (!r.ok) throw new CliError(`unknown commit ${c} in ${options.repo}`);
    return r.out;
  });
  const result = resolveTargets({ selectors: options.selectors, lines: options.lines, on: options.on, policy: options.policy });
  const label = options.combine ? shas.map((s) => s.slice(0, 8)).join("-") : shas[0]!.slice(0, 8) + (shas.length > 1 ? `-and-${shas.length - 1}` : "");
  const outcomes = result.targets.map((t) => pickLine(options, t, shas, `${options.prefix}${t.branch}/${label}`));
  const out: string[] = [`On ${options.on}, ${outcomes.length} target line${outcomes.length === 1 ? "" : "s"} for ${options.selectors.join(" ")}:`];
  const push: string[] = [];
  for (const o of outcomes) {
    if (o.kind === "branch") {
      out.push(`  ${o.target.branch}: branch ${o.branch} (${shas.length} commit${shas.length === 1 ? "" : "s"}, fix ships in ${o.target.nextPatch})`);
      push.push(`git push ${options.push ?? "<remote>"} ${o.branch}`, `gh pr create --base ${o.target.branch} --head ${o.branch} --title "[${o.target.branch}] backport ${label}"`);
    } else if (o.kind === "empty") {
      out.push(`  ${o.target.branch}: already has these changes, no branch`);
    } else {
      out.push(`  ${o.target.branch}: conflict cherry-picking ${o.commit.slice(0, 12)}, no branch`);
      out.push(`    files: ${o.files.join(", ") || "(none reported)"}`);
      if (o.missing.length > 0) out.push("    earlier changes to these files that this line never got:", ...o.missing.map((m) => `      ${m}`));
      out.push("    to do it by hand:", ...o.commands.map((c) => `      ${c}`));
    }
  }
  if (result.skipped.length > 0) out.push("Left out:", ...result.skipped.filter((s) => s.status !== "end-of-support").map((s) => `  ${s.branch}: ${s.reason}`));
  if (options.push) {
    for (const o of outcomes) if (o.kind === "branch") git(options.repo, ["push", "-q", options.push, `${o.branch}:refs/heads/${o.branch}`]);
    out.push(`Pushed to ${options.push}. To open the PRs:`, ...push.filter((c) => c.startsWith("gh ")).map((c) => `  ${c}`));
  } else if (push.length > 0) {
    out.push("Nothing pushed. To push and open the PRs:", ...push.map((c) => `  ${c}`));
  }
  return { outcomes, output: out };
}

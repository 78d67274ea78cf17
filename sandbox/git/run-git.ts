/**
 * Runs git against one explicit git directory with an isolated environment: no user or system config,
 * no repository discovery, C locale, no prompts. Output is kept as a Buffer; callers decode.
 */
import { spawn } from "node:child_process";

/** Why a git operation failed; "not-found" results are returned as null by BareRepo, not thrown. */
export type GitErrorCode =
  | "git-missing"
  | "not-a-repository"
  | "invalid-argument"
  | "invalid-ref"
  | "ref-conflict"
  | "output-too-large"
  | "command-failed";

export class GitError extends Error {
  constructor(
    readonly code: GitErrorCode,
    message: string,
    readonly details: { args?: string[]; exitCode?: number | null; stderr?: string } = {},
  ) {
    super(message);
    this.name = "GitError";
  }
}

export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface RunGitOptions {
  /** The git directory (`--git-dir`); omitted for commands that need no repository. */
  gitDir?: string;
  args: string[];
  input?: Buffer | string;
  /** Exit codes that are answers rather than failures (0 is always accepted). */
  okCodes?: number[];
  /** Extra environment, e.g. author identity or a temporary index file. */
  env?: Record<string, string>;
  /** Stdout beyond this many bytes fails with "output-too-large" (default 256 MiB). */
  maxOutput?: number;
}

/** Variables that would make git look at something other than the repository we name. */
const DROPPED = /^(GIT_|XDG_CONFIG_HOME$)/;

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!DROPPED.test(name)) env[name] = value;
  return {
    ...env,
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    // The default attributes file lives under HOME (~/.config/git/attributes) and could change diffs.
    GIT_ATTR_NOSYSTEM: "1",
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "core.attributesFile",
    GIT_CONFIG_VALUE_0: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_OPTIONAL_LOCKS: "0",
    GIT_PROTOCOL_FROM_USER: "0",
    // Only local transports: the sandbox never touches the network.
    GIT_ALLOW_PROTOCOL: "file",
  };
}

export function runGit(options: RunGitOptions): Promise<GitRun> {
  const args = options.gitDir === undefined ? options.args : [`--git-dir=${options.gitDir}`, ...options.args];
  const maxOutput = options.maxOutput ?? 256 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { env: { ...baseEnv(), ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let tooLarge = false;
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) {
        tooLarge = true;
        child.kill();
      } else out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    // A child that exits before reading all input closes the pipe; its exit code tells what happened.
    child.stdin.on("error", () => undefined);
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new GitError("git-missing", "git is not installed (not found on PATH)", { args })
          : new GitError("command-failed", `git could not be started: ${error.message}`, { args }),
      );
    });
    child.on("close", (exitCode) => {
      const stderr = Buffer.concat(err).toString("utf8");
      if (tooLarge) {
        reject(new GitError("output-too-large", `git ${options.args[0] ?? ""} produced more than ${maxOutput} bytes`, { args }));
        return;
      }
      const code = exitCode ?? -1;
      if (code !== 0 && !(options.okCodes ?? []).includes(code)) {
        const first = stderr.split("\n").find((line) => line.trim() !== "") ?? `exit code ${code}`;
        reject(new GitError("command-failed", `git ${options.args[0] ?? ""} failed: ${first}`, { args, exitCode: code, stderr }));
        return;
      }
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

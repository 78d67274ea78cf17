/**
 * `lts-steward`: the support-window engine offline, against a local git repository or a JSON history.
 * Prints results to stdout on purpose; problems go to stderr as one line and exit 2.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { EngineError } from "../engine/errors.js";
import { isIsoDate, toIsoDay } from "../engine/dates.js";
import { CliError } from "./errors.js";
import { COMMANDS, type CommandContext } from "./commands.js";
import { loadCliConfig, loadCliHistory, requirePolicy } from "./inputs.js";
import { runCliBackport } from "./backport.js";
import { computeLines } from "../engine/lines.js";
import { Naming } from "../engine/naming.js";
import { resolve } from "node:path";
import { tickCommand, type CliEnv } from "./tick.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Today's UTC day; the CLI's only clock. */
  today: string;
  /** Where `tick` finds the App's credentials (default: process.env). */
  env?: CliEnv;
}

export const USAGE = `Usage: lts-steward <command> [options]

Commands:
  schedule                     the release lines, their status and dates, and what comes next
  targets <selector...>        the branches a fix for these selectors goes to, and why others are left out
  affected --range R [...]     what an advisory's vulnerable ranges mean for each line: affected (and the
  affected --advisory <file>   version its fix ships in), patched in X, ended and vulnerable, or not affected;
                               then the advisory's entries to publish: affected and patched versions per line
  backport <commit...> --to <selector...>
                               in a local clone: one branch per target line with the commits
                               cherry-picked (-x) in order; conflicts reported, no branch for them;
                               pushes only with --push <remote>
  check-config [file]          validate a config file (default .github/lts-steward.yml)
  tick --repo owner/name       run the App's daily tick for one repository (--on, --dry-run, --base-url);
                               credentials from APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH (GHE_HOST for Enterprise)

Options:
  --config <file>      policy file (default: <repo>/.github/lts-steward.yml)
  --preset <name>      use a named policy (wasmtime); with --config, the file overrides it
  --on <YYYY-MM-DD>    the day to answer for (default: today, UTC)
  --repo <path>        read releases (tags) and branches from this git repository (default: .)
  --releases <file>    read the history from JSON instead: {"releases":[…],"branches":[…]}
  --format <f>         schedule output: table (default), json, mermaid, or endoflife (every released
                       line as endoflife.date release entries, YAML to paste into a product page)
  --all                schedule: list every line, not only live ones
  --json               targets/affected: print JSON
  --range <range>      affected: a vulnerable range in GitHub's syntax, e.g. ">= 36.0.0, < 36.0.4"
  --advisory <file>    affected: read the ranges from an advisory as GitHub's REST API gives it (JSON, e.g.
                       gh api repos/OWNER/REPO/security-advisories/GHSA-…), or from its webhook payload
  --to <selector>      backport: target selectors (security, lts, 38, release-38.0.0…), repeatable
  --combine            backport: name each line's branch after all the commits (they always share one branch)
  --push <remote>      backport: push the branches to this remote
  --dry-run            tick: print the plan, write nothing
  --base-url <url>     tick: GitHub's REST API (default: https://<GHE_HOST>/api/v3, else https://api.github.com)
  -h, --help           show this help`;

const OPTIONS = {
  config: { type: "string" },
  preset: { type: "string" },
  on: { type: "string" },
  repo: { type: "string" },
  releases: { type: "string" },
  format: { type: "string" },
  all: { type: "boolean" },
  json: { type: "boolean" },
  range: { type: "string", multiple: true },
  advisory: { type: "string" },
  help: { type: "boolean", short: "h" },
  "dry-run": { type: "boolean" },
  "base-url": { type: "string" },
  to: { type: "string", multiple: true },
  combine: { type: "boolean" },
  push: { type: "string" },
} as const;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${(error as Error).message.split("\n")[0]}\n\n${USAGE}`);
    }
    const { values, positionals } = parsed;
    const [name, ...args] = positionals;
    if (values.help || !name) {
      io.stdout(USAGE);
      return values.help ? 0 : 2;
    }
    if (name === "backport") {
      const on = values.on ?? io.today;
      if (!isIsoDate(on)) throw new CliError(`bad date "${on}" for --on: expected a calendar day as YYYY-MM-DD`);
      const { config, policy } = requirePolicy(await loadCliConfig({ ...values, cwd: io.cwd }));
      const history = await loadCliHistory({ repo: values.repo, releases: values.releases, cwd: io.cwd, naming: new Naming(policy.granularity, policy.branchPattern, policy.tagPattern) });
      const { output } = runCliBackport({
        repo: resolve(io.cwd, values.repo ?? "."), commits: args, selectors: (values.to ?? []).flatMap((t) => t.split(/[\s,]+/)).filter(Boolean),
        lines: computeLines(policy, history, on), policy, on, combine: values.combine ?? false, push: values.push ?? null, prefix: config.backport.branchPrefix,
      });
      io.stdout(output.join("\n"));
      return 0;
    }
    const command = COMMANDS[name];
    if (!command && name !== "tick") throw new CliError(`unknown command "${name}"; commands: ${[...Object.keys(COMMANDS), "tick"].join(", ")}`);
    const on = values.on ?? io.today;
    if (!isIsoDate(on)) throw new CliError(`bad date "${on}" for --on: expected a calendar day as YYYY-MM-DD`);
    if (!command) {
      return await tickCommand({
        args, repo: values.repo, on, dryRun: values["dry-run"] ?? false, baseUrl: values["base-url"], env: io.env ?? process.env, cwd: io.cwd,
        stdout: io.stdout, stderr: io.stderr,
      });
    }
    const ctx: CommandContext = {
      args,
      values,
      on,
      io,
      config: () => loadCliConfig({ ...values, cwd: io.cwd, file: name === "check-config" ? args[0] : undefined }),
      history: (naming, nominalCut) => loadCliHistory({ repo: values.repo, releases: values.releases, cwd: io.cwd, naming, ...(nominalCut ? { nominalCut } : {}) }),
      source: values.releases ? "json" : "git",
      warnings: [],
    };
    const code = await command(ctx);
    if (code === 0) for (const warning of ctx.warnings) io.stderr(warning);
    return code;
  } catch (error) {
    if (error instanceof CliError || error instanceof EngineError) {
      io.stderr(`lts-steward: ${error.message}`);
      return 2;
    }
    io.stderr(`lts-steward: unexpected error: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
}

/** Runs when executed directly (the bin, or `tsx src/cli/main.ts`), not when imported by tests. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    cwd: process.cwd(),
    today: toIsoDay(new Date()),
  });
  process.exitCode = code;
}

if (isEntryPoint()) void main();

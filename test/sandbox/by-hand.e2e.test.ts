/**
 * The sandbox as a GitHub to try the App on by hand, as a reader of docs/SANDBOX.md does it: the sandbox
 * started with `npm run sandbox -- … --deliver-to <the App's webhook URL>` and the App with the settings it
 * wrote, each its own process; then only GitHub's REST API (Octokit, then the documented curl lines) opens a
 * fix labelled `backport:lts` and merges it. The sandbox's own webhooks make the App open the backport PRs:
 * no test driver sends anything.
 *
 * Every command of "Try the App by hand" runs here, with the ports and the settings directory swapped for
 * free ones (a shared machine), and `npm start` for what it starts (src/main.ts through tsx rather than a
 * build into dist/; test/docs/sandbox-docs.test.ts checks that `npm start` is a build then dist/main.js).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { fileURLToPath } from "node:url";
import { Octokit } from "@octokit/rest";
import { verify } from "@octokit/webhooks-methods";
import { freePort } from "../../scripts/demo/app-process.js";
import { byHandCommands } from "../docs/sandbox-by-hand.js";
import { eventually } from "../helpers/eventually.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const [owner, name] = ["bytecodealliance", "wasmtime"];
/** The LTS lines on 2025-11-21 (the documented day) under the Wasmtime policy: 24 and 36. */
const LTS_BRANCHES = ["release-24.0.0", "release-36.0.0"];

/** A documented command line, run by bash in the repository, in its own process group (so it stops whole). */
class Command {
  output = "";
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(line: string, env: NodeJS.ProcessEnv) {
    this.child = spawn("bash", ["-c", line], { cwd: ROOT, env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout?.on("data", (chunk) => (this.output += String(chunk)));
    this.child.stderr?.on("data", (chunk) => (this.output += String(chunk)));
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  /** Types a line into the command's standard input, as a person would at its prompt. */
  type(text: string): void {
    this.child.stdin?.write(`${text}\n`);
  }

  /** Waits for `check` to pass while the command runs; its exit fails the wait at once, with what it printed. */
  async ready(check: () => void | Promise<void>): Promise<void> {
    let dead = false;
    const died = this.exited.then((code) => {
      dead = true;
      throw new Error(`exited (${code}) before the condition held:\n${this.output}`);
    });
    // Once the command is gone the poll ends too (the race has already failed).
    await Promise.race([eventually(async () => (dead ? undefined : check())), died]);
  }

  async stop(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) process.kill(-this.child.pid, signal);
    return this.exited;
  }
}

let dir: string;
let sandboxPort: number;
let appPort: number;
let sandbox: Command;
let app: Command;
let api: string;
let tokens: Record<string, string | undefined>;

/** The documented lines with the ports and the `.sandbox` directory of this run. */
const local = (line: string) =>
  line.replaceAll("localhost:3000", `localhost:${appPort}`).replaceAll("127.0.0.1:3030", `127.0.0.1:${sandboxPort}`).replaceAll(".sandbox/", `${dir}/`);

/** What a person's terminal has: no WEBHOOK_SECRET of some other App, no jest worker variables that matter. */
function shellEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { WEBHOOK_SECRET: _secret, NODE_OPTIONS: _options, ...env } = process.env;
  return { ...env, ...extra };
}

const client = (token: string | undefined) => {
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return new Octokit({ auth: token, baseUrl: api, log: quiet });
};

/** The App's backport PRs of fix #number, open, by base branch; and its summary comment on the fix. */
async function backportsOf(octokit: Octokit, number: number) {
  const pulls = await octokit.paginate(octokit.pulls.list, { owner, repo: name, state: "open", per_page: 100 });
  const backports = pulls.filter((p) => p.user?.login === "lts-steward[bot]" && p.title.endsWith(`(#${number})`));
  const comments = await octokit.paginate(octokit.issues.listComments, { owner, repo: name, issue_number: number, per_page: 100 });
  const summary = comments.find((c) => c.user?.login === "lts-steward[bot]" && LTS_BRANCHES.every((b) => c.body?.includes(b)));
  return { bases: backports.map((p) => p.base.ref).sort(), backports, summary };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lts-steward-by-hand-"));
  [sandboxPort, appPort] = [await freePort(), await freePort()];
  api = `http://127.0.0.1:${sandboxPort}/api/v3`;
  const commands = byHandCommands();

  sandbox = new Command(`${local(commands.sandbox)} --port ${sandboxPort} --dir ${dir}`, shellEnv());
  await sandbox.ready(() => expect(sandbox.output).toContain("Ctrl-C stops it."));
  expect(sandbox.output).toContain(`Webhooks: issue_comment, pull_request, release, repository_advisory, security_advisory, workflow_run to http://localhost:${appPort}/api/github/webhooks`);

  // `npm start` is a build, then `node dist/main.js`: the same program as src/main.ts, which node runs here through tsx.
  expect(commands.app.endsWith(" npm start")).toBe(true);
  app = new Command(local(commands.app).replace(/ npm start$/, " node --import tsx src/main.ts"), shellEnv({ PORT: String(appPort) }));
  await app.ready(async () => {
    const health = (await (await fetch(`http://localhost:${appPort}/health`)).json()) as { today: string };
    expect(health.today).toBe("2025-11-21");
  });
  tokens = parseEnv(readFileSync(join(dir, "people.env"), "utf8"));
});

afterAll(async () => {
  await app?.stop("SIGTERM");
  await sandbox?.stop("SIGINT");
  rmSync(dir, { recursive: true, force: true });
});

test("with Octokit only: a fix labelled backport:lts merged through the sandbox's REST API gets its backport PRs from the App", async () => {
  const committer = client(tokens["COMMITTER_TOKEN"]);
  const maintainer = client(tokens["MAINTAINER_TOKEN"]);
  const main = (await committer.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
  await committer.git.createRef({ owner, repo: name, ref: "refs/heads/fix-fuel", sha: main });
  const content = Buffer.from("Fuel is charged per call.\n").toString("base64");
  await committer.repos.createOrUpdateFileContents({ owner, repo: name, path: "docs/fuel.md", message: "Charge fuel per call", content, branch: "fix-fuel" });
  const { number } = (await committer.pulls.create({ owner, repo: name, title: "Charge fuel per call", head: "fix-fuel", base: "main" })).data;
  await committer.issues.addLabels({ owner, repo: name, issue_number: number, labels: ["backport:lts"] });
  await maintainer.pulls.merge({ owner, repo: name, pull_number: number, merge_method: "squash" });

  await app.ready(async () => {
    const { bases, summary } = await backportsOf(committer, number);
    expect(bases).toEqual(LTS_BRANCHES);
    expect(summary).toBeDefined();
  });
  const { backports } = await backportsOf(committer, number);
  for (const pull of backports) {
    const files = await committer.pulls.listFiles({ owner, repo: name, pull_number: pull.number });
    expect(files.data.map((f) => f.filename)).toEqual(["docs/fuel.md"]);
    expect(pull.head.ref).toBe(`lts-steward/backport/${pull.base.ref}/pr-${number}`);
  }
  // The sandbox's console: each delivery, with the App's answer.
  for (const event of ["pull_request.opened", "pull_request.labeled", "pull_request.closed"]) {
    expect(sandbox.output).toMatch(new RegExp(`webhook ${event.replace(".", "\\.")} #${number} → 200 \\(delivery [0-9a-f-]{36}\\)`));
  }
});

test("the documented curl lines: open a fix, label it, merge it, then see the backport PRs and the summary", async () => {
  const { merge, look } = byHandCommands();
  // One shell, as in the reader's terminal; the pause (the only undocumented lines) is where the reader waits a few seconds.
  const shell = new Command(`set -euo pipefail\n${local(merge)}\necho "PR=$PR"\nread -r _\n${local(look)}`, shellEnv());
  try {
    await shell.ready(() => expect(shell.output).toMatch(/^PR=\d+$/m));
    expect(shell.output).toContain("refs/heads/fix-docs\n");
    expect(shell.output).toContain("backport:lts\n");
    expect(shell.output).toContain("Pull Request successfully merged\n");
    const number = Number(/^PR=(\d+)$/m.exec(shell.output)?.[1]);
    const reader = client(tokens["OUTSIDER_TOKEN"]);
    await app.ready(async () => {
      const { bases, summary } = await backportsOf(reader, number);
      expect(bases).toEqual(LTS_BRANCHES);
      expect(summary).toBeDefined();
    });
    shell.type("");
    expect(await shell.exited).toBe(0);
    for (const branch of LTS_BRANCHES) expect(shell.output).toMatch(new RegExp(`^#\\d+ ${branch}: \\[${branch}\\] Fix the docs \\(#${number}\\)$`, "m"));
    expect(shell.output).toContain("lts-steward:summary");
  } finally {
    await shell.stop("SIGTERM");
  }
});

test("Ctrl-C stops the sandbox, which says what it served", async () => {
  await sandbox.stop("SIGINT");
  expect(sandbox.output).toMatch(/Served \d+ requests \(\d+ writes\)\.\n$/);
});

describe("the delivery options", () => {
  test("--help names them", async () => {
    const help = new Command("npm run --silent sandbox -- --help", shellEnv());
    expect(await help.exited).toBe(0);
    for (const option of ["--deliver-to URL", "--webhook-secret S", "--events LIST"]) expect(help.output).toContain(option);
  });

  test("--webhook-secret (over $WEBHOOK_SECRET) signs every delivery and is kept for the next run; --events all sends pushes too", async () => {
    const received: { event: string; verified: boolean; payload: { ref?: string; created?: boolean } }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        void verify("flag-secret", body, String(req.headers["x-hub-signature-256"])).then((verified) => {
          received.push({ event: String(req.headers["x-github-event"]), verified, payload: JSON.parse(body) as { ref?: string } });
          res.writeHead(verified ? 200 : 400).end();
        });
      });
    });
    const receiverPort = await freePort();
    await new Promise<void>((resolve) => receiver.listen(receiverPort, "127.0.0.1", resolve));
    const [port, otherDir] = [await freePort(), mkdtempSync(join(tmpdir(), "lts-steward-by-hand-"))];
    const url = `http://127.0.0.1:${receiverPort}/hook`;
    const second = new Command(
      `npm run sandbox -- --through 2025-11-21 --deliver-to ${url} --webhook-secret flag-secret --events all --port ${port} --dir ${otherDir}`,
      shellEnv({ WEBHOOK_SECRET: "env-secret" }),
    );
    try {
      await second.ready(() => expect(second.output).toContain("Ctrl-C stops it."));
      expect(second.output).toContain(`Webhooks: every event to ${url}`);
      expect(parseEnv(readFileSync(join(otherDir, "app.env"), "utf8"))["WEBHOOK_SECRET"]).toBe("flag-secret");
      expect(readFileSync(join(otherDir, "webhook-secret"), "utf8")).toBe("flag-secret\n");
      const people = parseEnv(readFileSync(join(otherDir, "people.env"), "utf8"));
      const committer = new Octokit({ auth: people["COMMITTER_TOKEN"], baseUrl: `http://127.0.0.1:${port}/api/v3` });
      const main = (await committer.git.getRef({ owner, repo: name, ref: "heads/main" })).data.object.sha;
      await committer.git.createRef({ owner, repo: name, ref: "refs/heads/topic", sha: main });
      await second.ready(() => expect(second.output).toContain("webhook push refs/heads/topic → 200"));
      expect(received).toEqual([{ event: "push", verified: true, payload: expect.objectContaining({ ref: "refs/heads/topic", created: true }) }]);
      await second.stop("SIGINT");

      // Restarted with neither: the kept secret, so an App started with the first app.env still verifies.
      const third = new Command(`npm run sandbox -- --through 2025-11-21 --port ${port} --dir ${otherDir}`, shellEnv());
      await third.ready(() => expect(third.output).toContain("Ctrl-C stops it."));
      await third.stop("SIGINT");
      expect(parseEnv(readFileSync(join(otherDir, "app.env"), "utf8"))["WEBHOOK_SECRET"]).toBe("flag-secret");
    } finally {
      await second.stop("SIGINT");
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

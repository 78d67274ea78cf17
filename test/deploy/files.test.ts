/**
 * The deployment files agree with the code: every environment variable the sources read is in
 * .env.example and docs/deployment.md; the Dockerfile is multi-stage, installs production dependencies
 * only, runs as a non-root user, and copies paths that exist (the compiled ones after a build); its health
 * check command works against a running server. No Docker engine is needed. CI (`.ci/run`) runs the suite on
 * this machine's Node and again on the image's Node (24), and `engines` accepts the majors the image and CI use.
 */
import { execFile, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pino } from "pino";
import semver from "semver";
import { startServer } from "../../src/server.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const envExample = read(".env.example");
const docs = read("docs/deployment.md");
const dockerfile = read("Dockerfile");
const dockerignore = read(".dockerignore");
const SLOW = 60_000;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Upper-case names read as `process.env.X`, `env.X` or `env["X"]` anywhere in src/. */
function variablesReadInSource(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(join(ROOT, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\])/g)) names.add((match[1] ?? match[2])!);
  }
  return [...names].sort();
}

/** `NAME=` lines of .env.example, commented out or not. */
const variablesInExample = (): string[] => [...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!).sort();

describe(".env.example", () => {
  test("finds the variables the sources read (the scan itself works)", () => {
    expect(variablesReadInSource()).toEqual(expect.arrayContaining(["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "GHE_HOST", "TICK_TIME", "LTS_STEWARD_TODAY", "WRITE_INTERVAL_MS"]));
  });

  test("lists every variable read in src/", () => {
    const missing = variablesReadInSource().filter((name) => !variablesInExample().includes(name));
    expect(missing).toEqual([]);
  });

  test("has a comment above every variable", () => {
    const lines = envExample.split("\n");
    lines.forEach((line, i) => {
      if (/^#?\s*[A-Z][A-Z0-9_]*=/.test(line)) expect(lines[i - 1]).toMatch(/^#/);
    });
  });

  test("every variable in it is documented in docs/deployment.md", () => {
    const undocumented = variablesInExample().filter((name) => !docs.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});

describe("Dockerfile", () => {
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ image: m[1]!, name: m[2] }));
  const instructions = dockerfile.replace(/\\\n/g, " ").split("\n").filter((line) => /^[A-Z]+\s/.test(line));
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM"));

  test("is multi-stage on Node 24: a build stage and a slim runtime", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toMatch(/^node:24(-|$)/);
    expect(stages.at(-1)!.image).toMatch(/^node:24-([a-z]+-)?(slim|alpine)/);
    expect(dockerfile).toMatch(/RUN npm ci\n/);
    expect(dockerfile).toMatch(/RUN npm run build/);
  });

  test("the runtime installs production dependencies only, runs as a non-root user and checks /health", () => {
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime.replace(/\\\n/g, " ")).toMatch(/^HEALTHCHECK .*\/health/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(runtime).toMatch(/LOG_FORMAT=json/);
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
    // Nothing but the compiled code comes from the build stage (no dev dependencies).
    const fromBuild = instructions.filter((line) => line.startsWith("COPY --from="));
    expect(fromBuild.map((line) => line.split(/\s+/)[2])).toEqual(["/app/dist"]);
  });

  test("every path it copies from the context exists and is let through by .dockerignore", () => {
    const allowed = dockerignore.split("\n").filter((line) => line.startsWith("!")).map((line) => line.slice(1));
    expect(dockerignore.split("\n").find((line) => line && !line.startsWith("#"))).toBe("*");
    const sources = instructions.filter((line) => line.startsWith("COPY ") && !line.includes("--from=")).flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source))).toBe(true);
      expect(allowed).toContain(source);
    }
    for (const secret of [".env", "node_modules", "dist"]) expect(allowed).not.toContain(secret);
  });

  test("its HEALTHCHECK command exits 0 against a running server and 1 when nothing listens", async () => {
    const line = instructions.find((l) => l.startsWith("HEALTHCHECK "))!;
    const command = JSON.parse(line.slice(line.indexOf("CMD ") + 4)) as string[];
    expect(command[0]).toBe("node");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const server = await startServer({
      env: { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s", HOST: "127.0.0.1", PORT: "0", TICK_TIME: "off" },
      log: pino({ level: "silent" }),
    });
    const port = new URL(server.url).port;
    const exitCode = (env: Record<string, string>) =>
      new Promise<number | null>((resolveExit) => {
        const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
        spawn(process.execPath, command.slice(1), { env: { ...inherited, ...env }, stdio: "ignore" }).on("exit", resolveExit);
      });
    try {
      expect(await exitCode({ PORT: port })).toBe(0);
    } finally {
      await server.stop();
    }
    expect(await exitCode({ PORT: port })).toBe(1);
  }, SLOW);
});

describe(".ci/run and the supported Node.js versions", () => {
  const ciRun = read(".ci/run");
  /** The `tier NAME [--node MAJOR] COMMAND…` lines: what CI runs, and on which Node (none: this machine's). */
  const tiers = [...ciRun.matchAll(/^tier\s+"([^"]+)"\s+(?:--node\s+(\d+)\s+)?(.+?)\s*$/gm)].map((m) => ({ name: m[1]!, node: m[2], command: m[3]! }));
  const imageMajor = Number(/^FROM node:(\d+)/m.exec(dockerfile)?.[1]);
  const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
  const installNode = join(ROOT, "scripts/ci/install-node.sh");

  test("installs cleanly, type-checks, and runs the whole suite on this machine's Node and on the image's Node 24", () => {
    expect(ciRun).toMatch(/^npm ci\b/m);
    expect(tiers.map((t) => t.command)).toContain("npm run typecheck");
    expect(imageMajor).toBe(24);
    expect(tiers).toContainEqual(expect.objectContaining({ node: undefined, command: "npm test" }));
    expect(tiers).toContainEqual(expect.objectContaining({ node: String(imageMajor), command: "npm test" }));
    // The end-to-end tier is part of the whole suite: on both Node versions too.
    expect(tiers).toContainEqual(expect.objectContaining({ node: undefined, command: "npm run test:e2e" }));
    expect(tiers).toContainEqual(expect.objectContaining({ node: String(imageMajor), command: "npm run test:e2e" }));
  });

  test("the tiers that need a service or a browser each run, after .ci/run installs what they need when it is missing", () => {
    expect(tiers).toContainEqual(expect.objectContaining({ name: "redis", node: undefined, command: "npm run test:redis" }));
    expect(tiers).toContainEqual(expect.objectContaining({ name: "browser", node: undefined, command: "npm run test:browser" }));
    const firstTier = ciRun.search(/^tier /m);
    for (const [binary, pkg] of [["redis-server", "redis-server"], ["chromium", "chromium"]]) {
      const check = ciRun.indexOf(`if ! command -v ${binary} >/dev/null; then`);
      expect({ binary, checked: check >= 0 && check < firstTier }).toEqual({ binary, checked: true });
      expect(ciRun.slice(check, firstTier)).toContain(`apt-get install -y ${pkg}`);
    }
    // The acceptance stories stay last.
    expect(tiers.at(-1)!.command).toBe("npm run test:acceptance");
  });

  test("npm test leaves out the service, browser, end-to-end and acceptance tiers, and each has its own script and jest config", () => {
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    const ignored = /testPathIgnorePatterns: \[([^\]]*)\]/.exec(read("jest.config.js"))![1]!;
    for (const folder of ["redis", "browser", "acceptance"]) expect(ignored).toContain(`"<rootDir>/test/${folder}/"`);
    for (const [script, config, folder] of [["test:redis", "jest.redis.config.js", "test/redis/"], ["test:browser", "jest.browser.config.js", "test/browser/"], ["test:acceptance", "jest.acceptance.config.js", "test/acceptance/"]] as const) {
      expect(scripts[script]).toBe(`NODE_OPTIONS=--experimental-vm-modules jest -c ${config}`);
      expect(read(config)).toContain(`**/${folder}**/*.test.ts`);
    }
    // The browser tier drives a Chromium it does not download: playwright-core, never playwright.
    const dev = (JSON.parse(read("package.json")) as { devDependencies: Record<string, string> }).devDependencies;
    expect(Object.keys(dev)).toContain("playwright-core");
    expect(Object.keys(dev)).not.toContain("playwright");
  });

  test("engines accepts the Node.js majors of the image and of CI's --node tiers", () => {
    const majors = [imageMajor, ...tiers.flatMap((t) => (t.node ? [Number(t.node)] : []))];
    for (const major of majors) expect({ major, accepted: semver.intersects(engines, `${major}.x`) }).toEqual({ major, accepted: true });
  });

  test("the README names every npm command a tier runs", () => {
    const readme = read("README.md");
    for (const { command } of tiers.filter((t) => t.command.startsWith("npm "))) expect({ command, named: readme.includes(command) }).toEqual({ command, named: true });
  });

  test("the Node.js it installs stays out of git", async () => {
    await expect(promisify(execFile)("git", ["check-ignore", "--quiet", "--no-index", ".ci/node24/bin/node"], { cwd: ROOT })).resolves.toBeDefined();
  });

  test("install-node.sh reuses a folder that already holds the major (no download) and refuses a malformed major", async () => {
    const dir = mkdtempSync(join(tmpdir(), "install-node-"));
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolveRun) => {
        const child = spawn("bash", [installNode, ...args], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("exit", (code) => resolveRun({ code, out }));
      });
    try {
      mkdirSync(join(dir, "bin"));
      writeFileSync(join(dir, "bin/node"), "#!/bin/sh\necho v24.1.0\n", { mode: 0o755 });
      expect(await run(["24", dir])).toEqual({ code: 0, out: `install-node: ${dir} has Node.js v24.1.0\n` });
      expect(await run(["24.1", dir])).toEqual({ code: 2, out: expect.stringContaining("MAJOR must be a number") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

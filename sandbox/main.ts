/**
 * `npm run sandbox`: a local GitHub for trying the App by hand. Seeds the Wasmtime-like history (or imports
 * a local repository), writes the App's credentials to `.sandbox/app.env`, and serves until Ctrl-C.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Sandbox } from "./sandbox.js";

const USAGE = `Usage: npm run sandbox -- [options]

  --port N            listen on this port (default 3030; 0 picks a free one)
  --through DAY       Wasmtime-like history up to this day, YYYY-MM-DD (default: today, UTC)
  --import PATH       import a local git repository instead (branches, tags; version tags become releases)
  --as OWNER/NAME     the imported repository's name (default: sandbox/<directory name>)
  --dir PATH          where credentials and keys are kept (default .sandbox)
  --help              this text`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "3030" },
      through: { type: "string" },
      import: { type: "string" },
      as: { type: "string" },
      dir: { type: "string", default: ".sandbox" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const through = values.through ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(through)) return fail(`--through must be a day like 2025-12-10, not "${through}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be a port number, not "${values.port}"`);

  const dir = resolve(values.dir);
  await mkdir(dir, { recursive: true });
  const keyPath = join(dir, "app.pem");
  const privateKey = existsSync(keyPath) ? await readFile(keyPath, "utf8") : undefined;
  const sandbox = await Sandbox.start({ port, ...(privateKey ? { app: { privateKey } } : {}) });
  let summary: string;
  if (values.import) {
    const [owner, name] = (values.as ?? `sandbox/${resolve(values.import).split("/").pop()}`).split("/");
    if (!owner || !name) return fail(`--as must be OWNER/NAME, not "${values.as}"`);
    const { repo } = await sandbox.seedRepository({ owner, name, importFrom: resolve(values.import) });
    summary = `${owner}/${name}: imported from ${values.import} (${repo.releases.length} releases from version tags)`;
  } else {
    const { repo, history } = await sandbox.seedWasmtime({ through });
    summary = `${repo.owner.login}/${repo.name}: Wasmtime-like history through ${through} (${history.branches.length} release branches, ${history.releases.length} releases)`;
  }

  const { appId, webhookSecret } = sandbox.credentials;
  await writeFile(keyPath, sandbox.credentials.privateKey, { mode: 0o600 });
  const host = new URL(sandbox.url).host;
  const env = [`APP_ID=${appId}`, `PRIVATE_KEY_PATH=${keyPath}`, `WEBHOOK_SECRET=${webhookSecret}`, `GHE_HOST=${host}`, `GHE_PROTOCOL=http`];
  await writeFile(join(dir, "app.env"), `${env.join("\n")}\n`);
  process.stdout.write(
    [
      `lts-steward sandbox: a local GitHub at ${sandbox.url} (REST API ${sandbox.apiUrl})`,
      `  ${summary}`,
      `  App credentials: ${join(values.dir, "app.env")}`,
      `  Run the App against it:  env $(cat ${join(values.dir, "app.env")} | xargs) npm start`,
      "Ctrl-C stops it.",
      "",
    ].join("\n"),
  );
  await new Promise<void>((done) => process.once("SIGINT", done));
  const counts = sandbox.log.counts();
  process.stdout.write(`\nServed ${counts.calls} requests (${counts.writes} writes).\n`);
  await sandbox.stop();
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sandbox failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

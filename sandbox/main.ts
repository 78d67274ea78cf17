/**
 * `npm run sandbox`: a local GitHub for trying the App by hand. Seeds the Wasmtime-like history (or imports
 * a local repository), writes the App's settings to `.sandbox/app.env` and people's tokens to
 * `.sandbox/people.env`, and serves until Ctrl-C. With `--deliver-to`, it sends the App the webhooks GitHub
 * would for what REST calls change, and prints each delivery.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { Sandbox } from "./sandbox.js";
import { WASMTIME_PEOPLE } from "./seed/seed-sandbox.js";
import type { Permission } from "./state/types.js";
import type { OutboxDelivery, OutboxRetry } from "./webhooks/outbox.js";

const USAGE = `Usage: npm run sandbox -- [options]

  --port N              listen on this port (default 3030; 0 picks a free one)
  --through DAY         Wasmtime-like history up to this day, YYYY-MM-DD, and the sandbox lives on that day
                        (default: today, UTC)
  --import PATH         import a local git repository instead (branches, tags; version tags become releases)
  --as OWNER/NAME       the imported repository's name (default: sandbox/<directory name>)
  --dir PATH            where settings, tokens and keys are kept (default .sandbox)
  --deliver-to URL      send webhooks to the App at this URL (e.g. http://localhost:3000/api/github/webhooks)
                        when REST calls change something: PRs opened, labelled, merged, closed; comments;
                        releases; advisories published; pushes
  --webhook-secret S    sign them with S (default: $WEBHOOK_SECRET, else the one kept in the --dir)
  --events LIST         the events the App subscribes to, comma-separated, or "all"
                        (default: default_events in the App's app.yml)
  --help                this text`;

/** People for trying things by hand, with the roles the Wasmtime-like repository gives them. */
const PEOPLE: [variable: string, login: string, permission: Permission][] = [
  ["MAINTAINER_TOKEN", WASMTIME_PEOPLE.maintainer, "maintain"],
  ["COMMITTER_TOKEN", WASMTIME_PEOPLE.committer, "write"],
  ["TRIAGER_TOKEN", WASMTIME_PEOPLE.triager, "triage"],
  ["OUTSIDER_TOKEN", WASMTIME_PEOPLE.outsider, "read"],
];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "3030" },
      through: { type: "string" },
      import: { type: "string" },
      as: { type: "string" },
      dir: { type: "string", default: ".sandbox" },
      "deliver-to": { type: "string" },
      "webhook-secret": { type: "string" },
      events: { type: "string" },
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
  const deliverTo = values["deliver-to"];
  if (deliverTo !== undefined && !/^https?:\/\/[^\s]+$/.test(deliverTo)) return fail(`--deliver-to must be an http(s) URL, not "${deliverTo}"`);
  const events = values.events === undefined ? manifestEvents() : values.events === "all" ? undefined : values.events.split(",").map((e) => e.trim()).filter(Boolean);

  const dir = resolve(values.dir);
  await mkdir(dir, { recursive: true });
  const keyPath = join(dir, "app.pem");
  const privateKey = existsSync(keyPath) ? await readFile(keyPath, "utf8") : undefined;
  const webhookSecret = await keptWebhookSecret({ dir, given: values["webhook-secret"] ?? process.env.WEBHOOK_SECRET });
  // With --through, the sandbox lives on that day (at the real time of day), so what people do now happens after the history.
  const now = values.through === undefined ? undefined : () => new Date(`${through}T${new Date().toISOString().slice(11)}`);
  const sandbox = await Sandbox.start({ port, ...(now ? { now } : {}), app: { webhookSecret, ...(privateKey ? { privateKey } : {}) } });
  let summary: string;
  let repo;
  if (values.import) {
    const [owner, name] = (values.as ?? `sandbox/${resolve(values.import).split("/").pop()}`).split("/");
    if (!owner || !name) return fail(`--as must be OWNER/NAME, not "${values.as}"`);
    ({ repo } = await sandbox.seedRepository({ owner, name, importFrom: resolve(values.import) }));
    for (const [, login, permission] of PEOPLE) sandbox.store.setPermission(repo, login, permission);
    summary = `${owner}/${name}: imported from ${values.import} (${repo.releases.length} releases from version tags)`;
  } else {
    const seeded = await sandbox.seedWasmtime({ through });
    repo = seeded.repo;
    summary = `${repo.owner.login}/${repo.name}: Wasmtime-like history through ${through} (${seeded.history.branches.length} release branches, ${seeded.history.releases.length} releases)`;
  }

  const { appId } = sandbox.credentials;
  await writeFile(keyPath, sandbox.credentials.privateKey, { mode: 0o600 });
  const host = new URL(sandbox.url).host;
  // WRITE_INTERVAL_MS=0: the sandbox has no secondary rate limits, so the App need not pace its writes.
  const env = [`APP_ID=${appId}`, `PRIVATE_KEY_PATH=${keyPath}`, `WEBHOOK_SECRET=${webhookSecret}`, `GHE_HOST=${host}`, `GHE_PROTOCOL=http`, "WRITE_INTERVAL_MS=0"];
  if (values.through !== undefined) env.push(`LTS_STEWARD_TODAY=${through}`);
  await writeFile(join(dir, "app.env"), `${env.join("\n")}\n`, { mode: 0o600 });
  const tokens = PEOPLE.map(([variable, login]) => `${variable}=${sandbox.store.userToken(login)}`);
  await writeFile(join(dir, "people.env"), `${tokens.join("\n")}\n`, { mode: 0o600 });

  if (deliverTo !== undefined) sandbox.deliverTo(deliverTo, { ...(events ? { events } : {}), onDelivery: printDelivery, onRetry: printRetry });
  const appEnv = join(values.dir, "app.env");
  process.stdout.write(
    [
      `lts-steward sandbox: a local GitHub at ${sandbox.url} (REST API ${sandbox.apiUrl})`,
      `  ${summary}`,
      `  The sandbox's day: ${values.through === undefined ? "today (the real clock)" : `${through} (the App's too: LTS_STEWARD_TODAY in ${appEnv})`}`,
      `  App settings: ${appEnv}`,
      `  People's tokens: ${join(values.dir, "people.env")} (${PEOPLE.map(([variable, login, permission]) => `${variable}: ${login}, ${permission}`).join("; ")})`,
      deliverTo === undefined
        ? "  Webhooks: none (--deliver-to URL sends them)"
        : `  Webhooks: ${events ? events.join(", ") : "every event"} to ${deliverTo}, signed with the WEBHOOK_SECRET in ${appEnv}`,
      `  Run the App against it:  env $(cat ${appEnv} | xargs) npm start`,
      "Ctrl-C stops it.",
      "",
    ].join("\n"),
  );
  // `on`, not `once`: a Ctrl-C reaches npm, tsx and this process alike, and a repeated signal must not cut the stop short.
  await new Promise<void>((done) => {
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
  const counts = sandbox.log.counts();
  process.stdout.write(`\nServed ${counts.calls} requests (${counts.writes} writes).\n`);
  await sandbox.stop();
  return 0;
}

function printDelivery(delivery: OutboxDelivery): void {
  const what = `webhook ${delivery.event}${delivery.subject ? ` ${delivery.subject}` : ""}`;
  const tries = delivery.attempts > 1 ? `, ${delivery.attempts} attempts` : "";
  const line = delivery.status === null ? `${what} → not delivered: ${delivery.error}${tries}` : `${what} → ${delivery.status} (delivery ${delivery.deliveryId}${tries})`;
  process.stdout.write(`${line}\n`);
}

function printRetry(retry: OutboxRetry): void {
  process.stdout.write(`webhook ${retry.event} ${retry.subject}: ${retry.error}; trying again in ${(retry.delayMs / 1000).toFixed(1)} s\n`);
}

/** The events the App subscribes to, as its manifest (app.yml next to this directory) says; all when there is none. */
function manifestEvents(): string[] | undefined {
  const path = new URL("../app.yml", import.meta.url);
  if (!existsSync(path)) return undefined;
  const events = (parseYaml(readFileSync(path, "utf8")) as { default_events?: unknown } | null)?.default_events;
  return Array.isArray(events) ? events.map(String) : undefined;
}

/** The secret given, else the one kept from an earlier run (so a running App stays in step), else a new one. */
async function keptWebhookSecret({ dir, given }: { dir: string; given: string | undefined }): Promise<string> {
  const path = join(dir, "webhook-secret");
  const secret = given?.trim() || (existsSync(path) ? (await readFile(path, "utf8")).trim() : "") || randomBytes(16).toString("hex");
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  return secret;
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

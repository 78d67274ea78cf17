/**
 * `npm start`: the App's server (src/server.ts) with settings from the environment and `.env`; see
 * docs/deployment.md. Without APP_ID (outside production) it serves Probot's setup page instead, which
 * registers the App from app.yml and writes its credentials to `.env`. Only wiring.
 */
import { resolve } from "node:path";
import { run } from "probot";
import { createApp, defaultDeps } from "./app.js";
import { AppOctokit } from "./github/app-octokit.js";
import { startServer } from "./server.js";
import { ConfigError, loadDotEnv, needsSetup } from "./settings.js";

loadDotEnv(resolve(".env"), process.env);

if (needsSetup(process.env)) {
  await run(createApp({ ...defaultDeps, tick: false }), { Octokit: AppOctokit });
} else {
  try {
    const server = await startServer({ env: process.env });
    const shutdown = (signal: string) => {
      server.log.info({ signal }, "shutting down");
      void server.stop().then(() => process.exit(0));
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`lts-steward: ${error.message}\n`);
    process.exit(2);
  }
}

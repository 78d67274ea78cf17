/**
 * `npm start`: Probot's server (env: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, …) with
 * Probot's own throttling and retries switched off, because the App paces writes per installation and
 * retries transient failures itself (src/github/pacer.ts, retry.ts). Only wiring.
 */
import { run } from "probot";
import { createApp } from "./app.js";
import { AppOctokit } from "./github/app-octokit.js";

await run(createApp(), { Octokit: AppOctokit });

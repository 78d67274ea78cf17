/**
 * `npm start`: Probot's server (env: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, …) with
 * Probot's own throttling and retries switched off, because the App paces writes per installation and
 * retries transient failures itself (src/github/pacer.ts, retry.ts), and the daily tick at TICK_TIME (UTC
 * "HH:MM", default 06:00). Only wiring.
 */
import { run } from "probot";
import { createApp, defaultDeps } from "./app.js";
import { AppOctokit } from "./github/app-octokit.js";

await run(createApp({ ...defaultDeps, tick: { time: process.env.TICK_TIME ?? "06:00" } }), { Octokit: AppOctokit });

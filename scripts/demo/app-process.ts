/**
 * The App as its own process (`src/main.ts` through tsx), pointed at the sandbox the way a GitHub
 * Enterprise install is: `GHE_HOST`/`GHE_PROTOCOL`, the App's id, key and webhook secret. The demo waits
 * for the App's work through its health endpoint (`queue.pending`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { Sandbox } from "../../sandbox/sandbox.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A free loopback port (the App process and the Redis tier's redis-server listen on one). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface AppProcess {
  url: string;
  webhookUrl: string;
  /** Resolves when the App has no queued or running job. */
  settled(): Promise<void>;
  stop(): Promise<void>;
  /** SIGKILL: the process dies at once, wherever it is. */
  kill(): Promise<void>;
}

/** The environment the App (and `lts-steward tick`) need to talk to the sandbox as GitHub. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  const { appId, privateKey, webhookSecret } = sandbox.credentials;
  const host = new URL(sandbox.url).host;
  return { APP_ID: String(appId), PRIVATE_KEY: privateKey, WEBHOOK_SECRET: webhookSecret, GHE_HOST: host, GHE_PROTOCOL: "http", WRITE_INTERVAL_MS: "0" };
}

export async function startAppProcess(sandbox: Sandbox, options: { today: string; env?: Record<string, string> }): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Node itself runs the App (tsx only as its loader): the process killed below is the App, not a wrapper
  // that would leave the App running as an orphan.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", `${ROOT}src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, ...sandboxEnv(sandbox), PORT: String(port), HOST: "127.0.0.1", LTS_STEWARD_TODAY: options.today, TICK_TIME: "off", LOG_LEVEL: "warn", LOG_FORMAT: "json", ...options.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  const health = async () => {
    const response = await fetch(`${url}/health`);
    return (await response.json()) as { queue: { pending: number; failed: number } };
  };
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`the App exited (${child.exitCode}):\n${stderr}`);
    try {
      await health();
      break;
    } catch {
      if (attempt > 300) throw new Error(`the App did not answer on ${url}/health:\n${stderr}`);
      await sleep(100);
    }
  }
  return {
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    async settled() {
      for (;;) {
        // A poll can meet a keep-alive connection the server just closed: that is no answer, ask again.
        const queue = await health().then((h) => h.queue, () => null);
        if (queue?.pending === 0) return;
        await sleep(50);
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}

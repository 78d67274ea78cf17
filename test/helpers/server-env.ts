/** The deployable server's environment pointed at a sandbox, as production sets it (src/settings.ts): no tick, no pacing, a fixed day. */
import type { Sandbox } from "../../sandbox/sandbox.js";
import type { Env } from "../../src/settings.js";

export function sandboxServerEnv(sandbox: Sandbox, day: string, extra: Env = {}): Env {
  const { appId, privateKey, webhookSecret, baseUrl } = sandbox.credentials;
  return {
    APP_ID: String(appId), PRIVATE_KEY: privateKey, WEBHOOK_SECRET: webhookSecret, GHE_HOST: new URL(baseUrl).host, GHE_PROTOCOL: "http",
    HOST: "127.0.0.1", PORT: "0", TICK_TIME: "off", LTS_STEWARD_TODAY: day, WRITE_INTERVAL_MS: "0", ...extra,
  };
}

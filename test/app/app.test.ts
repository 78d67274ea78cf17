import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/app.js";

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

test("the App loads into Probot and logs that it is ready, with the injected day", async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: "test",
    log: pino(sink),
    // Throttling and retries would make every test write wait; tests switch them off.
    Octokit: ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }),
  });
  await probot.load(createApp({ today: () => "2025-12-10", recovery: false }));
  expect(lines).toContainEqual(expect.objectContaining({ msg: "lts-steward loaded", today: "2025-12-10" }));
});

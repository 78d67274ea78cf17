/**
 * `release.published` for a tag that is not a release of a configured line (per `lines.tag`) does nothing at
 * all: no reads of release history, no schedule issue (issue 14). A line's release still does its work.
 */
import { toPolicy } from "../../src/config/policy.js";
import type { JobEnv } from "../../src/runtime/jobs.js";
import type { Log } from "../../src/log.js";
import { releasePublished } from "../../src/workflows/release-published.js";
import { configOf, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

function envFor() {
  const { fake } = wasmtimeRepo();
  const config = configOf({ preset: "wasmtime" });
  const debug: string[] = [];
  const noop = () => undefined;
  const log = { debug: (_obj: object, msg: string) => void debug.push(msg), info: noop, warn: noop, error: noop, child: () => log } as unknown as Log;
  const env: JobEnv = { port: fake, config: async () => ({ status: "ok", config, policy: toPolicy(config) }), today: "2025-12-10", log, skipped: noop };
  return { fake, env, debug };
}

test.each(["nightly-2025-12-10", "dev", "cli-v1.2.3", "v40.0.0-rc.1x"])("tag %s: nothing read, nothing written, and a debug line says why", async (tag) => {
  const { fake, env, debug } = envFor();
  const before = fake.calls().length;
  await releasePublished(env, { tag });
  expect(fake.calls().slice(before).map((c) => c.method)).toEqual([]);
  expect(debug).toEqual(["release tag is not a release of a configured line: nothing done"]);
});

test("a line's release (v40.0.0) still reads the history", async () => {
  const { fake, env } = envFor();
  const before = fake.calls().length;
  await releasePublished(env, { tag: "v40.0.0" });
  expect(fake.calls().slice(before).map((c) => c.method)).toContain("listReleases");
});

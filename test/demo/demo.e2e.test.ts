/**
 * `npm run demo` is the README's first command: it must keep working. It runs here as a child process,
 * exactly as a reader would run it, and its story's outcomes are checked in what it prints.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

test("npm run demo plays the story against the sandbox and exits 0", async () => {
  const { stdout } = await promisify(execFile)(`${ROOT}node_modules/.bin/tsx`, [`${ROOT}scripts/demo/main.ts`], { cwd: ROOT, timeout: 120_000, maxBuffer: 10_000_000 });
  // A security fix: three backport PRs, one conflict with its commands, a tracking issue.
  expect(stdout.match(/release-\d+\.0\.0\s+backport PR #\d+ opened/g)).toHaveLength(3);
  expect(stdout).toMatch(/release-24\.0\.0\s+conflict in 1 file/);
  expect(stdout).toContain("$ git cherry-pick -x ");
  expect(stdout).toMatch(/Tracking issue #\d+ "Backports of #1/);
  // /backport lts: the outsider is refused, the maintainer gets the LTS lines.
  expect(stdout).toMatch(/only people with write, maintain or admin permission/);
  expect(stdout).toMatch(/backport PRs opened: #\d+ → release-36\.0\.0, #\d+ → release-24\.0\.0/);
  // The advisory: nothing while embargoed, then rows for 38 and 36.
  expect(stdout).toContain("the App made 0 API calls and 0 writes (embargo)");
  expect(stdout).toMatch(/38\.0\.x\s+fix ships in 38\.0\.2: open/);
  // The release-day cut and the next major.
  expect(stdout).toContain("create branch release-40.0.0 from main (cut day 2025-12-05)");
  expect(stdout).toMatch(/40 : active, 2025-12-20, 2026-02-20/);
  expect(stdout).toMatch(/Done in \d+\.\d s; every request the App made matched GitHub's OpenAPI description/);
}, 120_000);

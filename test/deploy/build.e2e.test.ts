/**
 * The build (end-to-end tier: it compiles the whole project, which `npm run typecheck` already checks for
 * errors): what the runtime and the CLI start is what `tsc -p tsconfig.build.json` emits.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

test("the build emits what the runtime starts: dist/main.js, dist/server.js and the CLI bin/ imports", async () => {
  const outDir = mkdtempSync(join(tmpdir(), "lts-steward-build-"));
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json"), "--outDir", outDir], { cwd: ROOT });
    for (const file of ["main.js", "server.js", "cli/main.js"]) expect(existsSync(join(outDir, file))).toBe(true);
    expect(read("bin/lts-steward.js")).toContain("../dist/cli/main.js");
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

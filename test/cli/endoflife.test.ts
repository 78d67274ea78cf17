/** `schedule --format endoflife`: every released line as an endoflife.date product's release entries. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { runCli } from "../../src/cli/main.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lts-steward-eol-"));
  const releases = [
    ["24.0.0", "2024-08-20"], ["24.0.5", "2025-10-02"], ["36.0.0", "2025-08-20"], ["36.0.2", "2025-10-02"], ["37.0.0", "2025-09-22"], ["38.0.0", "2025-10-20"], ["39.0.0", "2025-11-20"],
  ].map(([version, date]) => ({ version, date }));
  writeFileSync(join(dir, "history.json"), JSON.stringify({ releases, branches: [{ name: "release-40.0.0", createdAt: "2025-12-05" }] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, today: "2025-12-10" });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

test("released lines, newest first, with release date, LTS, end of support and latest version; the upcoming line is not listed", async () => {
  const { code, stdout } = await cli(["schedule", "--format", "endoflife", "--preset", "wasmtime", "--releases", "history.json", "--on", "2025-12-10"]);
  expect(code).toBe(0);
  expect(stdout).toMatchInlineSnapshot(`
"releases:
  - releaseCycle: "39"
    releaseDate: 2025-11-20
    lts: false
    eol: 2026-01-20
    latest: "39.0.0"
  - releaseCycle: "38"
    releaseDate: 2025-10-20
    lts: false
    eol: 2025-12-20
    latest: "38.0.0"
  - releaseCycle: "37"
    releaseDate: 2025-09-22
    lts: false
    eol: 2025-11-20
    latest: "37.0.0"
  - releaseCycle: "36"
    releaseDate: 2025-08-20
    lts: true
    eol: 2027-08-20
    latest: "36.0.2"
  - releaseCycle: "24"
    releaseDate: 2024-08-20
    lts: true
    eol: 2026-08-20
    latest: "24.0.5""
`);
  const parsed = parse(stdout) as { releases: { releaseCycle: string; releaseDate: string; lts: boolean; eol: string | false; latest: string }[] };
  expect(parsed.releases.map((r) => r.releaseCycle)).toEqual(["39", "38", "37", "36", "24"]);
  expect(parsed.releases.every((r) => typeof r.releaseCycle === "string" && typeof r.latest === "string")).toBe(true);
});

test("a bad format names endoflife among the choices", async () => {
  const { code, stderr } = await cli(["schedule", "--format", "eol", "--preset", "wasmtime", "--releases", "history.json"]);
  expect(code).toBe(2);
  expect(stderr).toContain("expected table, json, mermaid or endoflife");
});

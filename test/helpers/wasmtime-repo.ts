/**
 * A Wasmtime-like repository in the fake GitHub, for workflow tests: `main` with a few files, a
 * `release-N.0.0` branch cut from `main` for each line (each line's `Cargo.toml` says its version, so a
 * backport that copied `main` instead of cherry-picking would show), a published `vN.0.0` release on each
 * line's nominal day (test/fixtures/policies.ts), and upcoming branches cut but not released.
 */

import type { Log } from "../../src/log.js";
import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import type { Permission } from "../../src/github/types.js";
import { wasmtimeRelease } from "../fixtures/policies.js";
import { FakeGitHub, type FakeGitHubOptions } from "./fake-github.js";

export const TABLE_RS = "crates/wasmtime/src/table.rs";
export const TABLE_V1 = "pub fn copy(dst: u32, src: u32, len: u32) {\n    // no bounds check\n}\n";
export const TABLE_FIXED = "pub fn copy(dst: u32, src: u32, len: u32) {\n    check_bounds(dst, src, len);\n}\n";

const cargo = (major: number | "main") => `[package]\nname = "wasmtime"\nversion = "${major === "main" ? "0.0.0-main" : `${major}.0.0`}"\n`;

export interface WasmtimeRepo {
  fake: FakeGitHub;
  /** `release-N.0.0` for every line, oldest first. */
  branches: string[];
}

/**
 * Lines 24 and 36–39 released, 40 upcoming (cut, not released): on 2025-12-10 `lts` is 36 and 24, and
 * `security` (supported + upcoming) is 40, 39, 38, 36 and 24.
 */
export function wasmtimeRepo(options: FakeGitHubOptions & { released?: number[]; upcoming?: number[]; permissions?: Record<string, Permission> } = {}): WasmtimeRepo {
  const fake = new FakeGitHub({ files: { "Cargo.toml": cargo("main"), [TABLE_RS]: TABLE_V1, "RELEASES.md": "# Releases\n" }, ...options });
  const released = options.released ?? [24, 36, 37, 38, 39];
  const upcoming = options.upcoming ?? [40];
  const branches: string[] = [];
  for (const major of [...released, ...upcoming].sort((a, b) => a - b)) {
    const branch = `release-${major}.0.0`;
    fake.setBranch(branch, "main");
    fake.commit({ branch, files: { "Cargo.toml": cargo(major) }, message: `Release ${major}.0.0`, author: "release-bot" });
    if (released.includes(major)) fake.addRelease({ tag: `v${major}.0.0`, publishedAt: `${wasmtimeRelease(major).date}T18:00:00Z`, target: branch });
    // main moves on after each cut, so the lines differ from main and from each other.
    fake.commit({ branch: "main", files: { "RELEASES.md": `# Releases\n\n${major}.0.0 cut\n` }, message: `Start ${major + 1}.0.0`, author: "release-bot" });
    branches.push(branch);
  }
  const permissions: Record<string, Permission> = options.permissions ?? { alex: "write", sam: "maintain", "release-team": "write" };
  for (const [login, permission] of Object.entries(permissions)) fake.setPermission(login, permission);
  return { fake, branches };
}

/** The repository's config through the project's own parser, as the App loads it. */
export function configOf(raw: Record<string, unknown>): Config {
  const result = parseConfig(raw);
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** A log that keeps what it was told, for the rare test that looks. */
export function memoryLog(): Pick<Log, "info" | "warn"> & { entries: { level: string; obj: object; msg: string }[] } {
  const entries: { level: string; obj: object; msg: string }[] = [];
  return {
    entries,
    info: (obj, msg) => entries.push({ level: "info", obj, msg }),
    warn: (obj, msg) => entries.push({ level: "warn", obj, msg }),
  };
}

/** The Wasmtime-like tree: its first commit, version files, release notes and the patch-release fixes. */
import { MEMORY_OLD } from "./wasmtime-memory.js";
import * as src from "./wasmtime-sources.js";

const RULE = "-".repeat(80);

/** Wasmtime `X.Y.Z` ships Cranelift `0.(X+87).Z`. */
const craneliftVersion = (version: string) => {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  return `0.${major + 87 + minor}.${patch}`;
};

export function cargoToml(version: string): string {
  return `[workspace]
resolver = "2"
members = [
  "crates/cranelift",
  "crates/runtime",
  "crates/wasi",
  "crates/wasmtime",
]

[workspace.package]
version = "${version}"
authors = ["The Wasmtime Project Developers"]
edition = "2021"
license = "Apache-2.0 WITH LLVM-exception"
rust-version = "1.78.0"

[workspace.dependencies]
wasmtime = { path = "crates/wasmtime", version = "=${version}" }
wasmtime-runtime = { path = "crates/runtime", version = "=${version}" }
wasmtime-wasi = { path = "crates/wasi", version = "=${version}" }
cranelift-codegen = { path = "crates/cranelift", version = "${craneliftVersion(version)}" }
anyhow = "1.0.22"
`;
}

/** RELEASES.md on main: the section of the release in development and a pointer to the branches. */
export function mainReleaseNotes(next: number): string {
  return `${RULE}

## ${next}.0.0

Unreleased.

### Added

### Changed

${RULE}

Release notes for previous releases of Wasmtime can be found on the respective
release branches of the Wasmtime repository.
`;
}

/** The release commit on a branch dates the section of its `.0.0` release. */
export const markReleased = (notes: string, day: string) => notes.replace("Unreleased.", `Released ${day}.`);

/** A patch release adds its own section on top. */
export function addPatchNotes(options: { notes: string; version: string; day: string; note: string }): string {
  return `${RULE}\n\n## ${options.version}\n\nReleased ${options.day}.\n\n### Fixed\n\n* ${options.note}\n\n${options.notes}`;
}

export function initialFiles(): Record<string, string> {
  return {
    ".github/lts-steward.yml": "preset: wasmtime\n",
    ".github/workflows/main.yml":
      "name: CI\non:\n  pull_request:\n  push:\n    branches: [main, 'release-*']\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: cargo test --workspace\n",
    "Cargo.toml": cargoToml("20.0.0"),
    "README.md":
      "# Wasmtime (sandbox copy)\n\nA fast and secure runtime for WebAssembly. This tree imitates the layout and\nrelease process of Wasmtime for the lts-steward sandbox; it does not build.\n",
    "RELEASES.md": mainReleaseNotes(20),
    "docs/stability-release.md":
      "# Release process\n\nA release branch `release-X.0.0` is cut from `main` on the 5th of each month\nand `vX.0.0` is tagged on it on the 20th. Every 12th release is an LTS release\nsupported for 24 months.\n",
    "crates/cranelift/src/isa/x64/lower.rs": src.LOWER_X64,
    "crates/cranelift/src/opts.rs": "//! Mid-end simplification rules.\n\nuse crate::ir::{Opcode, Value};\n",
    "crates/runtime/src/lib.rs":
      "//! Runtime support for compiled WebAssembly.\n\npub mod instance;\npub mod memory;\npub mod table;\npub mod vmcontext;\n",
    "crates/runtime/src/instance.rs": src.INSTANCE,
    "crates/runtime/src/memory.rs": MEMORY_OLD,
    "crates/runtime/src/table.rs": src.TABLE,
    "crates/runtime/src/vmcontext.rs": src.VMCONTEXT,
    "crates/wasi/src/filesystem.rs": src.FILESYSTEM,
    "crates/wasi/src/preview1.rs": src.PREVIEW1,
    "crates/wasmtime/src/config.rs": "//! Engine configuration.\n\n/// Global configuration options used to create an `Engine`.\n#[derive(Clone, Default)]\npub struct Config {\n    inner: ConfigInner,\n}\n",
  };
}

/** A fix that landed on main and was released on some lines as `X.0.N` patch releases. */
export interface PatchFix {
  day: string;
  title: string;
  /** The line of the RELEASES.md entry. */
  note: string;
  file: string;
  anchor: string;
  replacement: string;
  /** Lines patched, with the patch number each release gets. */
  releases: { line: number; patch: number }[];
}

export const PATCH_FIXES: PatchFix[] = [
  {
    day: "2024-09-10",
    title: "wasi: return the next cookie from `fd_readdir`",
    note: "`fd_readdir` returned the cookie of the current entry, repeating entries.",
    file: "crates/wasi/src/preview1.rs",
    anchor: "        let cookie = entry.index;\n",
    replacement: "        let cookie = entry.index + 1;\n",
    releases: [{ line: 24, patch: 1 }],
  },
  {
    day: "2024-11-05",
    title: "wasi: don't follow symlinks out of a preopened directory",
    note: "Symlinks could escape a preopened directory (GHSA-sandbox-0001).",
    file: "crates/wasi/src/filesystem.rs",
    anchor: "    let follow = true;\n",
    replacement: "    let follow = !flags.contains(PathFlags::SYMLINK_NOFOLLOW) && dir.allows_symlinks();\n",
    releases: [{ line: 24, patch: 2 }, { line: 26, patch: 1 }],
  },
  {
    day: "2025-04-09",
    title: "x64: mask the shift amount of `i8x16.shl`",
    note: "Miscompilation of `i8x16.shl` with shift amounts of 8 or more (GHSA-sandbox-0002).",
    file: "crates/cranelift/src/isa/x64/lower.rs",
    anchor: "    let amt = ctx.put_input_in_reg(insn, 1);\n",
    replacement: "    let amt = ctx.mask_shift_amount(ctx.put_input_in_reg(insn, 1), 7);\n",
    releases: [{ line: 24, patch: 3 }],
  },
  {
    day: "2025-07-18",
    title: "Keep a guard below the stack limit when fuel is enabled",
    note: "Stack overflow detection could be bypassed with fuel metering (GHSA-sandbox-0003).",
    file: "crates/runtime/src/vmcontext.rs",
    anchor: "        self.stack_limit = limit;\n",
    replacement: "        self.stack_limit = limit.saturating_add(STACK_GUARD);\n",
    releases: [{ line: 24, patch: 4 }, { line: 34, patch: 1 }],
  },
  {
    day: "2025-09-02",
    title: "Don't panic instantiating a module without tables",
    note: "Instantiating a module with element segments but no table panicked.",
    file: "crates/runtime/src/instance.rs",
    anchor: "        let table = &self.tables[0];\n",
    replacement: '        let Some(table) = self.tables.first() else { bail!("no table") };\n',
    releases: [{ line: 36, patch: 1 }],
  },
  {
    day: "2025-10-14",
    title: "wasi: honor the offset in `fd_pread`",
    note: "`fd_pread` read from the current position instead of the given offset.",
    file: "crates/wasi/src/preview1.rs",
    anchor: "    let _ = offset;\n    let nread = file.read(buf)?;\n",
    replacement: "    let nread = file.read_at(buf, offset)?;\n",
    releases: [{ line: 36, patch: 2 }],
  },
  {
    day: "2025-11-11",
    title: "wasi: reject `..` components in `path_open`",
    note: "`path_open` accepted `..` components (GHSA-sandbox-0004).",
    file: "crates/wasi/src/filesystem.rs",
    anchor: "    let path = dir.join(name);\n",
    replacement: "    let path = dir.join(validate_name(name)?);\n",
    releases: [{ line: 36, patch: 3 }, { line: 38, patch: 1 }],
  },
];

/** Replaces the anchor; a missing anchor is a bug in this seed data, not a runtime condition. */
export function replaceAnchor(options: { content: string; anchor: string; replacement: string; file: string }): string {
  if (!options.content.includes(options.anchor)) throw new Error(`seed data: anchor not found in ${options.file}`);
  return options.content.replace(options.anchor, options.replacement);
}

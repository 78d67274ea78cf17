// Adds lock entries for platform-specific optional packages that this machine's registry does not serve
// (e.g. @unrs/resolver-binding-darwin-arm64). npm install leaves them out of package-lock.json, and then
// `npm ci` refuses the lock as "out of sync". An entry with its os/cpu lets `npm ci` skip the package on
// platforms it does not fit without fetching it. Run after changing dependencies: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const OS = { android: "android", darwin: "darwin", freebsd: "freebsd", linux: "linux", openharmony: "openharmony", win32: "win32" };
const CPU = { "arm-eabi": "arm", arm64: "arm64", x64: "x64", arm: "arm", loong64: "loong64", ppc64: "ppc64", riscv64: "riscv64", s390x: "s390x", ia32: "ia32" };

function platformOf(name) {
  const match = /-(android|darwin|freebsd|linux|openharmony|win32)-([a-z0-9]+(?:-eabi)?)(?:-(gnu|musl|gnueabihf|musleabihf|msvc))?$/.exec(name);
  if (!match) return null;
  const [, os, cpu, abi] = match;
  const entry = { os: [OS[os]], cpu: [CPU[cpu] ?? cpu] };
  if (abi?.startsWith("gnu")) entry.libc = ["glibc"];
  if (abi?.startsWith("musl")) entry.libc = ["musl"];
  return entry;
}

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const depKey = `node_modules/${dep}`;
    const nested = `${key ? `${key}/` : ""}node_modules/${dep}`;
    if (lock.packages[depKey] || lock.packages[nested]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+$/.test(spec)) continue;
    lock.packages[depKey] = { version: spec, optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} lock entries\n`);

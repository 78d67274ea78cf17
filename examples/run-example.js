// `npm run example`: the CLI on a bundled Wasmtime-like history, on a fixed day so the output is stable.
import { execFileSync } from "node:child_process";

const common = ["--config", "examples/wasmtime/lts-steward.yml", "--releases", "examples/wasmtime/releases.json", "--on", "2025-12-10"];
const runs = [
  ["schedule"],
  ["schedule", "--format", "mermaid"],
  ["targets", "security"],
  ["affected", "--range", ">= 36.0.0, < 36.0.5", "--range", ">= 39.0.0, < 39.0.2"],
];
for (const args of runs) {
  process.stdout.write(`\n$ lts-steward ${[...args, ...common].map((a) => (/[\s<>]/.test(a) ? `"${a}"` : a)).join(" ")}\n`);
  process.stdout.write(execFileSync(process.execPath, ["bin/lts-steward.js", ...args, ...common], { encoding: "utf8" }));
}

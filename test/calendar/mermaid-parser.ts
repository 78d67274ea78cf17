/**
 * Mermaid's own parser, for tests: a chart is valid when Mermaid parses it, not when it matches a snapshot.
 * It runs in a child process (scripts/parse-mermaid.mjs) because Mermaid needs a DOM (jsdom) to load.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/parse-mermaid.mjs", import.meta.url));

export type MermaidResult = { ok: true; type: string } | { ok: false; error: string };

/** Parses each text; one child process for all of them. */
export function parseMermaid(texts: string[]): Promise<MermaidResult[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [SCRIPT], { maxBuffer: 10_000_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`parse-mermaid failed: ${stderr || error.message}`));
      resolve(JSON.parse(stdout) as MermaidResult[]);
    });
    child.stdin?.end(JSON.stringify(texts));
  });
}

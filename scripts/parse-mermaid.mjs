// Parses Mermaid diagrams with Mermaid's own parser: reads a JSON array of diagram texts on stdin and prints
// a JSON array of results ({ ok: true, type } or { ok: false, error }). Mermaid needs a DOM to load, so
// jsdom provides one; this runs in its own process so the DOM globals never leak into the caller.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push(parsed ? { ok: true, type: parsed.diagramType } : { ok: false, error: "not a Mermaid diagram" });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));

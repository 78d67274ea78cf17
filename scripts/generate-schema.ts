// Writes schema/lts-steward.schema.json and docs/configuration.md from the zod schema (`npm run schema`);
// tests keep both current.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configJsonSchema } from "../src/config/json-schema.js";
import { configurationReference } from "../src/config/reference.js";

for (const [path, text] of [["../schema/lts-steward.schema.json", configJsonSchema()], ["../docs/configuration.md", configurationReference()]] as const) {
  const target = fileURLToPath(new URL(path, import.meta.url));
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}

// Writes schema/lts-steward.schema.json from the zod schema (`npm run schema`); a test keeps it current.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configJsonSchema } from "../src/config/json-schema.js";

const target = fileURLToPath(new URL("../schema/lts-steward.schema.json", import.meta.url));
writeFileSync(target, configJsonSchema());
process.stdout.write(`wrote ${target}\n`);

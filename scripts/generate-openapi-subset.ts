// Writes sandbox/openapi/github-rest-subset.json (`npm run sandbox:openapi`); a test keeps it current.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SERVED_OPERATIONS } from "../sandbox/openapi/operations.js";
import { buildSubset, readSourceSpec, serializeSubset, SOURCE_PACKAGE } from "./openapi-subset.js";

const { spec, packageVersion } = readSourceSpec();
const subset = buildSubset(spec, SERVED_OPERATIONS);
// The subset records info.version, which Octokit sets to the package version; fail loudly if that ever changes.
if (subset.source.version !== packageVersion) {
  throw new Error(`${SOURCE_PACKAGE} ${packageVersion} describes itself as version ${subset.source.version}`);
}

const target = fileURLToPath(new URL("../sandbox/openapi/github-rest-subset.json", import.meta.url));
const text = serializeSubset(subset);
writeFileSync(target, text);
const operations = Object.keys(subset.operations).length;
const schemas = Object.keys(subset.components.schemas).length;
const kib = (Buffer.byteLength(text) / 1024).toFixed(1);
process.stdout.write(
  `wrote ${target}: ${kib} KiB, ${operations} operations, ${schemas} component schemas (${SOURCE_PACKAGE}@${packageVersion})\n`,
);

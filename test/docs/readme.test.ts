import { readFileSync } from "node:fs";
import { parseConfigText } from "../../src/config/load.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

describe("README", () => {
  test("shows the two set-up commands", () => {
    expect(readme).toContain("npm ci && npm test");
    expect(readme).toContain("npm ci && npm run example");
    // The demo is the first command a reader meets.
    expect(readme.match(/```sh\n([^\n]*)/)?.[1]).toBe("npm ci && npm run demo");
  });

  test.each(yamlBlocks.map((block, i) => [i, block]))("config example %i is valid", (_i, block) => {
    expect(parseConfigText(block)).toMatchObject({ ok: true });
  });

  test("has config examples to check", () => expect(yamlBlocks.length).toBeGreaterThanOrEqual(3));
});

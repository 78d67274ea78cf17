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

  test("the block after `preset: wasmtime` \"which means:\" is exactly what the preset means", () => {
    const block = /which means:\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const spelledOut = parseConfigText(block!);
    const preset = parseConfigText("preset: wasmtime\n");
    expect(spelledOut.ok && preset.ok).toBe(true);
    if (spelledOut.ok && preset.ok) expect(spelledOut.config).toEqual({ ...preset.config, preset: undefined });
  });
});

describe("docs/deployment.md", () => {
  const deployment = readFileSync(new URL("../../docs/deployment.md", import.meta.url), "utf8");
  const blocks = [...deployment.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

  test("its config examples are valid (the own-release-automation one turns the cut off)", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    for (const block of blocks) expect(parseConfigText(block)).toMatchObject({ ok: true });
    const own = blocks.find((b) => b.includes("cutBranches"));
    const parsed = own === undefined ? null : parseConfigText(own);
    expect(parsed?.ok && parsed.config.automation.cutBranches).toBe(false);
  });
});

/**
 * The config check (src/calendar/config-check.ts) on hostile files, against the fake GitHub: whatever the
 * PR's `.github/lts-steward.yml` holds (absurd values, an alias bomb, 450 KB, a key of 30 KB, a table too
 * long for a check run), exactly one check run is created, failing with the key or the limit named.
 */
import type { Log } from "../../src/log.js";
import { CONFIG_CHECK_NAME, CONFIG_PATH, runConfigCheck } from "../../src/workflows/config-check.js";

import { wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";
const log: Log = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, child: () => log };

/** A PR changing the config to `text` on a Wasmtime-like repository; returns the check runs created for it. */
async function check(text: string, setup?: (fake: ReturnType<typeof wasmtimeRepo>["fake"]) => void) {
  const { fake } = wasmtimeRepo();
  setup?.(fake);
  fake.setBranch("config-change", "main");
  const head = fake.commit({ branch: "config-change", files: { [CONFIG_PATH]: text }, message: "Change the config" });
  const pull = fake.plantPull({ title: "Change the config", author: "alex", head: "config-change" });
  const outcome = await runConfigCheck({ port: fake, number: pull.number, today: TODAY, log });
  const runs = fake.checkRuns.filter((r) => r.headSha === head);
  expect(runs).toHaveLength(1);
  const run = runs[0]!;
  expect(run.name).toBe(CONFIG_CHECK_NAME);
  expect(run.summary.length).toBeLessThanOrEqual(65_535);
  return { outcome, run };
}

const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`).join("\n")}\n`;

test.each([
  ["cadence: 99999999999999999999 months", "preset: wasmtime\ncalendar:\n  cadence: 99999999999999999999 months\n  anchor: { version: 20.0.0, date: 2024-04-20 }\n", "`calendar.cadence`: at most 100 years"],
  ["regular: 999999999999 years", "preset: wasmtime\nsupport:\n  regular: 999999999999 years\n", "`support.regular`: at most 100 years"],
  ["regular: latest 99999999999999 releases", "preset: wasmtime\nsupport:\n  regular: latest 99999999999999 releases\n", "`support.regular`: a count of at most 100"],
  ["an anchor of 9999-12-31", "preset: wasmtime\ncalendar:\n  cadence: 1 month\n  anchor: { version: 20.0.0, date: 9999-12-31 }\n", "`calendar.anchor.date`: expected a day from 1970-01-01 to 2200-12-31"],
  ["an alias bomb", bomb, "`(file)`: YAML: too many aliases: expanding them goes past the limit of 100 alias uses"],
  ["450 KB", `preset: wasmtime\n${"# padding to 450 KB\n".repeat(23_000)}`, "`(file)`: the file is 450 KB; configs are limited to 32 KB"],
])("%s: one failing check run naming the key or the limit", async (_name, text, expected) => {
  const { outcome, run } = await check(text);
  expect(outcome).toBe("invalid");
  expect(run.conclusion).toBe("failure");
  expect(run.summary).toContain(expected);
});

test("a misspelt key of 30 KB is shown by its start, and the summary stays within GitHub's limit", async () => {
  const { run } = await check(`preset: wasmtime\n? ${"k".repeat(30_000)}\n: 1\n`);
  expect(run.conclusion).toBe("failure");
  expect(run.summary).toContain(`\`${"k".repeat(100)}…\`: unknown key`);
  expect(run.summary.length).toBeLessThan(2000);
});

test("a valid config whose table is too long for a check run is cut at a row, with a note", async () => {
  // 3,000 supported lines: every release is supported for 100 years.
  const { run } = await check("support:\n  regular: 100 years\n", (fake) => {
    for (let major = 1000; major < 4000; major++) fake.addRelease({ tag: `v${major}.0.0`, publishedAt: "2025-01-01T00:00:00Z" });
  });
  expect(run.conclusion).toBe("success");
  expect(run.summary).toMatch(/\n\n… \(cut here: GitHub allows 65,535 characters in a check run's summary\)$/);
});

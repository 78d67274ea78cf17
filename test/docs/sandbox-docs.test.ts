/**
 * docs/SANDBOX.md's "Try the App by hand" in the fast tier: its commands have the shape the end-to-end test
 * (test/sandbox/by-hand.e2e.test.ts) runs and agree with the defaults they rely on; the README points to it.
 */
import { readFileSync } from "node:fs";
import { DEFAULT_WEBHOOK_PATH } from "../../src/settings.js";
import { byHandCommands } from "./sandbox-by-hand.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

test("the sandbox is started with --deliver-to the App's default port and webhook path", () => {
  const { sandbox } = byHandCommands();
  expect(sandbox).toMatch(/^npm run sandbox -- .*--deliver-to http:\/\/localhost:3000(\S+)$/);
  expect(/--deliver-to http:\/\/localhost:3000(\S+)/.exec(sandbox)?.[1]).toBe(DEFAULT_WEBHOOK_PATH);
  expect(read("sandbox/main.ts")).toContain('port: { type: "string", default: "3030" }');
});

test("the App is started with npm start and the settings the sandbox wrote", () => {
  expect(byHandCommands().app).toBe("env $(cat .sandbox/app.env | xargs) npm start");
  const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
  // The end-to-end test runs src/main.ts with tsx where the reader runs npm start (a build, then dist/main.js).
  expect([scripts["prestart"], scripts["start"]]).toEqual(["npm run build --silent", "node dist/main.js"]);
});

test("the REST calls go to the sandbox's default port with people's tokens, and look in the same shell", () => {
  const { merge, look } = byHandCommands();
  expect(merge.split("\n")[0]).toBe("source .sandbox/people.env");
  expect(merge).toContain("API=http://127.0.0.1:3030/api/v3/repos/bytecodealliance/wasmtime");
  expect(merge).toMatch(/"labels": \["backport:lts"\]/);
  expect(merge).toMatch(/\/pulls\/\$PR\/merge/);
  expect(look).toContain("$API/pulls?state=open");
});

test("a missing or reshaped section is an error that says what is expected", () => {
  expect(() => byHandCommands("# nothing here\n")).toThrow(/no "### Try the App by hand" section/);
  expect(() => byHandCommands("### Try the App by hand\n\n```sh\nnpm run sandbox\n```\n")).toThrow(/4 sh blocks/);
});

test("the README's sandbox line names --deliver-to and links the walkthrough", () => {
  const item = /\n- `npm run sandbox`:[^\n]*(\n {2}[^\n]*)*/.exec(read("README.md"))?.[0] ?? "";
  expect(item).toContain("--deliver-to");
  expect(item).toContain("docs/SANDBOX.md#try-the-app-by-hand");
});

/**
 * The commands of docs/SANDBOX.md's "Try the App by hand", in the order a reader runs them: what
 * test/sandbox/by-hand.e2e.test.ts runs, and test/docs/sandbox-docs.test.ts keeps in shape.
 */
import { readFileSync } from "node:fs";

export interface ByHandCommands {
  /** `npm run sandbox -- … --deliver-to …` */
  sandbox: string;
  /** `env $(cat .sandbox/app.env | xargs) npm start` */
  app: string;
  /** The shell lines that open a labelled fix and merge it. */
  merge: string;
  /** The shell lines that show the backport PRs and the summary, in the same shell. */
  look: string;
}

export const SANDBOX_DOC = new URL("../../docs/SANDBOX.md", import.meta.url);

export function byHandCommands(markdown = readFileSync(SANDBOX_DOC, "utf8")): ByHandCommands {
  const start = markdown.indexOf("### Try the App by hand");
  if (start < 0) throw new Error('docs/SANDBOX.md has no "### Try the App by hand" section');
  const rest = markdown.slice(start + 1);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? "").trim());
  const [sandbox, app, merge, look] = blocks;
  if (blocks.length !== 4 || !sandbox || !app || !merge || !look) {
    throw new Error(`"Try the App by hand" should have 4 sh blocks (sandbox, App, merge, look), not ${blocks.length}`);
  }
  return { sandbox, app, merge, look };
}

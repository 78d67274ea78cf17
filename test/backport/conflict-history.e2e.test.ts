/**
 * Acceptance, end to end (issue 16): a fix that conflicts on a line cut long ago (release-24.0.0, 2024), after
 * more than 250 unrelated commits on the default branch and a merge of an old, unrelated history into it. The
 * conflict report names the file as it is on the line (it was renamed on the default branch since) and lists
 * the earlier changes to it that the line never got, the newest included.
 */
import { WASMTIME_PEOPLE } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { SLOW, startHarness, type Harness } from "./harness.js";

const people = WASMTIME_PEOPLE;
/** A file every line has had since before release-24.0.0 was cut, renamed on main in this test. */
const LEGACY = "crates/runtime/src/memory.rs";
const MODERN = "crates/runtime/src/linear_memory.rs";
let h: Harness;
let repo: RepoRecord;

beforeAll(async () => {
  h = await startHarness({ through: "2025-11-21" });
  repo = h.repo;
}, SLOW);
afterAll(() => h.stop());
afterEach(() => h.sandbox.assertNoViolations());

test("the report names the file as the line has it and lists the earlier changes the line never got, the newest included, past 250 commits and an old history's merge", async () => {
  const commit = (branch: string, message: string, files: Record<string, string | null>) => h.sandbox.scenario.commit({ repo, branch, message, files, author: people.committer });
  const git = h.git();
  const forkPoint = (await git.mergeBase((await git.readRef("refs/heads/main"))!, (await git.readRef("refs/heads/release-24.0.0"))!))!;
  expect((await git.readPath({ commit: forkPoint, path: LEGACY }))?.kind).toBe("file");
  const current = await git.readPath({ commit: (await git.readRef("refs/heads/main"))!, path: LEGACY });
  if (current?.kind !== "file") throw new Error(`${LEGACY} is not on main`);
  const text = current.content.toString("utf8");
  const body = (tail: string) => `${text}${tail}\n`;
  await commit("main", "Move linear memories to their own file (#880)", { [LEGACY]: null, [MODERN]: body("") });
  for (const change of ["A", "B", "C"]) await commit("main", `Engine change ${change} (#90${change.charCodeAt(0) - 64})`, { [MODERN]: body(`// change ${change}`) });
  for (let i = 0; i < 260; i++) await commit("main", `Unrelated change ${i}`, { [`docs/noise/${i % 20}.md`]: `noise ${i}\n` });
  // An old, unrelated history merged into main: its commits are dated years back.
  const identity = { name: "Old Timer", email: "old@example.com", date: "2019-03-01T10:00:00Z" };
  let old: string | null = null;
  for (let i = 0; i < 3; i++) {
    const tree = await git.createTree({ base: null, edits: [{ path: `old/${i}.txt`, mode: "100644", sha: (await git.writeBlob(`old ${i}\n`))! }] });
    old = await git.createCommit({ tree: tree!, parents: old ? [old] : [], message: `Old history ${i}`, author: identity });
  }
  const main = (await git.readRef("refs/heads/main"))!;
  const merged = await git.createCommit({ tree: (await git.readCommit(main))!.tree, parents: [main, old!], message: "Merge the old tooling history", author: { ...identity, date: new Date().toISOString() } });
  expect(await git.updateRef({ ref: "refs/heads/main", sha: merged!, expectedOld: main })).toBe("ok");

  const { issue } = await h.sandbox.scenario.proposeFix({ repo, branch: "fix-engine", title: "Fix the engine's step 9", files: { [MODERN]: body("// fixed") }, author: people.committer, labels: ["backport:release-24.0.0"] });
  await h.sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  await h.deliver(await h.driver.pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));

  const [row] = h.summaryRows(issue.number);
  if (row?.outcome.kind !== "conflict") throw new Error(`expected a conflict, got ${JSON.stringify(row?.outcome)}`);
  expect(row.outcome.files).toEqual([LEGACY]);
  const titles = row.outcome.missing.map((m) => m.title);
  expect(titles.at(-1)).toBe("Engine change C (#903)");
  expect(titles).toEqual(expect.arrayContaining(["Engine change A (#901)", "Engine change B (#902)"]));
  expect(row.outcome.missing.at(-1)?.pull).toBe(903);
  expect(titles).toContain("Move linear memories to their own file (#880)");
  expect(titles.some((t) => t.startsWith("Unrelated") || t.startsWith("Old history"))).toBe(false);
}, 300_000);

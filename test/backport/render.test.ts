import { embedState, hasMarker, readEmbedded } from "../../src/state/markers.js";
import { readBackportRef, renderBackportBody, renderBackportTitle, renderConflictIssue, type ConflictOutcome } from "../../src/backport/render.js";
import { renderAcknowledgement, renderConfigProblems, renderRefusal, renderRejection, renderStarted } from "../../src/backport/render-replies.js";
import { readSummary, renderSummary } from "../../src/backport/render-summary.js";
import { readTracking, renderFixTracking, renderLineTracking, trackingDone } from "../../src/backport/render-tracking.js";
import { readCombined, renderCombinedBody, renderCombinedTitle } from "../../src/backport/render-combined.js";
import type { BackportRequest, SkippedLine, SourcePull, TargetRow, TrackingRow } from "../../src/backport/types.js";

/** The state comment changes with every field; snapshots show it as a placeholder and round trips check it. */
const withoutState = (body: string) => body.replace(/<!-- lts-steward:state [A-Za-z0-9_-]+ -->/, "<!-- lts-steward:state … -->");

const source: SourcePull = {
  number: 123,
  title: "Fix the frobnicator overflow",
  url: "https://github.com/acme/engine/pull/123",
  author: "alex",
  mergedBy: "sam",
};

const pull = (number: number) => ({ number, url: `https://github.com/acme/engine/pull/${number}` });

const conflict: ConflictOutcome = {
  kind: "conflict",
  files: ["crates/a.rs", "crates/b.rs"],
  commands: [
    "git fetch origin release-24.0.0",
    "git switch -c lts-steward/backport/release-24.0.0/pr-123 origin/release-24.0.0",
    "git cherry-pick -x 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
    "# resolve the conflicts, then:",
    "git cherry-pick --continue",
    "git push origin lts-steward/backport/release-24.0.0/pr-123",
  ],
  missing: [{ sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", title: "Refactor the parser (#98)", pull: 98 }],
  issue: pull(502),
};

const row = (line: string, lineKind: "lts" | "regular", nextPatch: string, outcome: TargetRow["outcome"]): TargetRow => ({
  branch: `release-${line}.0.0`,
  line,
  label: `${line}.0.x`,
  lineKind,
  nextPatch,
  reason: lineKind === "lts" ? "lts: LTS, supported until 2027-08-20" : "security: supported until 2026-01-20",
  outcome,
});

const rows: TargetRow[] = [
  row("39", "regular", "39.0.2", {
    kind: "opened",
    pull: pull(501),
    commits: [{ source: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", picked: "abcdefabcdef0123456789abcdef0123456789ab", title: "Fix the frobnicator overflow" }],
  }),
  row("38", "regular", "38.0.4", { kind: "exists", pull: pull(480), state: "merged" }),
  row("36", "lts", "36.0.5", { kind: "empty" }),
  row("24", "lts", "24.0.9", conflict),
];

const skipped: SkippedLine[] = [{ branch: "release-37.0.0", line: "37", label: "37.0.x", reason: "end of support 2025-11-20" }];

const requests: BackportRequest[] = [
  { selector: "lts", via: "label backport:lts" },
  { selector: "security", via: "comment by @alex (#issuecomment-12)" },
  { selector: "release-37.0.0", via: "comment by @alex (#issuecomment-12)" },
];

const tracking = (line: string, status: TrackingRow["status"], extra: Partial<TrackingRow> = {}): TrackingRow => ({
  source: { number: 123, title: source.title },
  branch: `release-${line}.0.0`,
  line,
  label: `${line}.0.x`,
  nextPatch: `${line}.0.5`,
  status,
  pull: null,
  issue: null,
  ...extra,
});

describe("backport PR", () => {
  test("title template: known placeholders filled once, unknown ones kept", () => {
    const values = { target: "release-36.0.0", line: "36.0.x", title: "Use {number} {braces}", number: 123 };
    expect(renderBackportTitle("[{target}] {title} (#{number}, {line}) {unknown}", values)).toBe(
      "[release-36.0.0] Use {number} {braces} (#123, 36.0.x) {unknown}",
    );
    expect(renderBackportTitle("$& {title}", { ...values, title: "costs $1" })).toBe("$& costs $1");
  });

  test("body: source, target, reason, picked commits and how to add to it", () => {
    const body = renderBackportBody({
      source,
      branch: "release-36.0.0",
      line: "36",
      label: "36.0.x",
      nextPatch: "36.0.5",
      reason: "lts: LTS, supported until 2027-08-20",
      commits: [
        { source: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", picked: "abcdefabcdef0123456789abcdef0123456789ab", title: "Fix the frobnicator overflow" },
        { source: "2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c", picked: "bcdefabcdef0123456789abcdef0123456789abc", title: "Add a test" },
      ],
    });
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:backport pr-123/release-36.0.0 -->

Backport of #123 to \`release-36.0.0\`, release line 36.0.x (ships in 36.0.5): Fix the frobnicator overflow

Why this target: lts: LTS, supported until 2027-08-20.

Commits picked from the source PR (source → backport):

- \`1a2b3c4d5e6f\` → \`abcdefabcdef\` Fix the frobnicator overflow
- \`2b3c4d5e6f7a\` → \`bcdefabcdef0\` Add a test

lts-steward cherry-picked these through the GitHub API; each commit message carries the \`(cherry picked from commit …)\` line that \`git cherry-pick -x\` adds. If the release line needs more (a conflict resolved differently, an extra change), push it to this PR's branch.

<!-- lts-steward:state … -->"
`);
    expect(readBackportRef(body)).toEqual({ version: 1, source: 123, branch: "release-36.0.0", line: "36" });
  });
});

describe("summary comment", () => {
  test("one row per target, conflict details, skipped lines, requests and problems", () => {
    const body = renderSummary({ source, rows: [...rows, row("40", "regular", "40.0.1", { kind: "failed", reason: "GitHub answered 422 three times" })], skipped, requests, problems: ["Could not read the comments of #123."] });
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:summary pr-123 -->

### Backports

| Release line | Branch | Result |
|---|---|---|
| 39.0.x | \`release-39.0.0\` | #501 opened |
| 38.0.x | \`release-38.0.0\` | #480 (already existed, merged) |
| 36.0.x | \`release-36.0.0\` | already on this line: nothing to pick |
| 24.0.x | \`release-24.0.0\` | conflict in \`crates/a.rs\`, \`crates/b.rs\`: see #502 |
| 40.0.x | \`release-40.0.0\` | failed: GitHub answered 422 three times |

<details>
<summary>Conflict on \`release-24.0.0\`: how to finish it by hand</summary>

Files in conflict: \`crates/a.rs\`, \`crates/b.rs\`.

To finish the backport by hand:

\`\`\`sh
git fetch origin release-24.0.0
git switch -c lts-steward/backport/release-24.0.0/pr-123 origin/release-24.0.0
git cherry-pick -x 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b
# resolve the conflicts, then:
git cherry-pick --continue
git push origin lts-steward/backport/release-24.0.0/pr-123
\`\`\`

Earlier changes to these files that \`release-24.0.0\` never got:

- \`9f8e7d6c5b4a\` Refactor the parser (#98)

</details>

Not backported:

- 37.0.x (\`release-37.0.0\`): end of support 2025-11-20

Requested by: \`backport:lts\` label for \`lts\`; \`/backport\` comment by @alex (#issuecomment-12) for \`security\`, \`release-37.0.0\`

Problems:

- Could not read the comments of #123.

<!-- lts-steward:state … -->"
`);
  });

  test("the state round-trips and the marker is found", () => {
    const body = renderSummary({ source, rows, skipped, requests });
    expect(body.startsWith("<!-- lts-steward:summary pr-123 -->")).toBe(true);
    expect(readSummary(body)).toEqual({ version: 1, rows, skipped, requests });
    expect(readEmbedded(body)).toEqual({ version: 1, rows, skipped, requests });
  });

  test("a conflict without an issue points to the steps, and many files are shortened in the table", () => {
    const files = ["a", "b", "c", "d", "e", "f", "g"].map((f) => `src/${f}.rs`);
    const missing = [{ sha: "0123456789abcdef0123", title: "Tidy the lexer", pull: null }];
    const body = renderSummary({ source, rows: [row("24", "lts", "24.0.9", { ...conflict, files, issue: null, missing })], skipped: [], requests: [] });
    expect(body).toContain("| conflict in `src/a.rs`, `src/b.rs`, `src/c.rs`, `src/d.rs`, `src/e.rs` and 2 more: steps below |");
    expect(body).toContain("Files in conflict: `src/a.rs`, `src/b.rs`, `src/c.rs`, `src/d.rs`, `src/e.rs`, `src/f.rs`, `src/g.rs`.");
    expect(body).toContain("never got:\n\n- `0123456789ab` Tidy the lexer\n");
    const bare = renderSummary({ source, rows: [row("24", "lts", "24.0.9", { ...conflict, files: [], issue: null, missing: [] })], skipped: [], requests: [] });
    expect(bare).toContain("| conflict: steps below |");
    expect(bare).not.toContain("never got");
  });

  test("text from people cannot break the table, open a comment or spoof a marker", () => {
    const body = renderSummary({
      source,
      rows: [row("36", "lts", "36.0.5", { kind: "skipped", reason: "a | b <!-- lts-steward:summary pr-9 -->" })],
      skipped: [],
      requests: [{ selector: "lts", via: "label we`ird" }],
    });
    expect(body).toContain("| skipped: a \\| b &lt;!-- lts-steward:summary pr-9 --> |");
    expect(body).toContain("Requested by: `` we`ird `` label for `lts`");
    expect(hasMarker(body, "summary", "pr-9")).toBe(false);
    expect(readSummary(body)?.rows[0]?.outcome).toEqual({ kind: "skipped", reason: "a | b <!-- lts-steward:summary pr-9 -->" });
  });

  test("requests are grouped by where they came from, each selector once", () => {
    const twice = [...requests, { selector: "lts", via: "label backport:lts" }, { selector: "24", via: "a schedule" }];
    const body = renderSummary({ source, rows, skipped: [], requests: twice });
    expect(body).toContain(
      "Requested by: `backport:lts` label for `lts`; `/backport` comment by @alex (#issuecomment-12) for `security`, `release-37.0.0`; a schedule for `24`\n",
    );
  });

  test("no targets says so", () => {
    expect(renderSummary({ source, rows: [], skipped, requests: [] })).toContain("No targets: nothing was backported.");
  });

  test("absent, corrupt or foreign state reads as null", () => {
    expect(readSummary(null)).toBeNull();
    expect(readSummary("<!-- lts-steward:summary pr-1 -->\n\nhello")).toBeNull();
    expect(readSummary("<!-- lts-steward:state %%% -->")).toBeNull();
    expect(readSummary(renderFixTracking({ source, rows: [tracking("36", "open")], security: false }).body)).toBeNull();
    const wrongOutcome = embedState({ version: 1, rows: [{ ...rows[0]!, outcome: { kind: "sideways" } }], skipped, requests });
    expect(readSummary(wrongOutcome)).toBeNull();
    expect(readSummary(embedState({ version: 2, rows, skipped, requests }))).toBeNull();
    expect(readSummary(embedState({ version: 1, rows, skipped: [{ branch: "release-37.0.0" }], requests }))).toBeNull();
  });
});

describe("conflict issue", () => {
  test("title, what happened, files, commands, missing changes and what to do when done", () => {
    const issue = renderConflictIssue({ source, row: rows[3]!, outcome: conflict });
    expect(issue.title).toBe("Backport #123 to release-24.0.0 needs a hand: Fix the frobnicator overflow");
    expect(withoutState(issue.body)).toMatchInlineSnapshot(`
"<!-- lts-steward:conflict pr-123/release-24.0.0 -->

#123 (Fix the frobnicator overflow) does not cherry-pick cleanly onto \`release-24.0.0\`, release line 24.0.x, whose next patch is 24.0.9. It was chosen as a target because: lts: LTS, supported until 2027-08-20.

Files in conflict: \`crates/a.rs\`, \`crates/b.rs\`.

To finish the backport by hand:

\`\`\`sh
git fetch origin release-24.0.0
git switch -c lts-steward/backport/release-24.0.0/pr-123 origin/release-24.0.0
git cherry-pick -x 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b
# resolve the conflicts, then:
git cherry-pick --continue
git push origin lts-steward/backport/release-24.0.0/pr-123
\`\`\`

Earlier changes to these files that \`release-24.0.0\` never got:

- \`9f8e7d6c5b4a\` Refactor the parser (#98)

When it is done, push the branch and open a pull request from it into \`release-24.0.0\`. Keep the branch name from the commands so lts-steward recognises the backport PR; this issue closes when that backport PR is merged.

@alex, @sam: you wrote and merged #123; could one of you finish this backport?

<!-- lts-steward:state … -->"
`);
    expect(hasMarker(issue.body, "conflict", "pr-123/release-24.0.0")).toBe(true);
    const selfMerged = renderConflictIssue({ source: { ...source, mergedBy: "alex" }, row: rows[3]!, outcome: conflict });
    expect(selfMerged.body).toContain("@alex: you wrote #123; could you finish this backport?");
    expect(readBackportRef(issue.body)).toEqual({ version: 1, source: 123, branch: "release-24.0.0", line: "24" });
  });
});

describe("tracking issues", () => {
  const fixRows: TrackingRow[] = [
    tracking("39", "merged", { pull: pull(501) }),
    tracking("38", "open", { pull: pull(480) }),
    tracking("37", "closed", { pull: pull(470) }),
    tracking("36", "already-on-target"),
    tracking("24", "conflict", { issue: pull(502) }),
    tracking("40", "pending"),
    tracking("41", "failed"),
  ];

  test("per fix: a checklist row per target, ticked when merged or already there", () => {
    const issue = renderFixTracking({ source, rows: fixRows, security: true });
    expect(issue.title).toBe("Backports of #123: Fix the frobnicator overflow");
    expect(withoutState(issue.body)).toMatchInlineSnapshot(`
"<!-- lts-steward:tracking pr-123 -->

Backports of #123 (Fix the frobnicator overflow), one row per target. lts-steward updates this list as backport PRs are merged or closed, and closes this issue when every row is done.

This is a security fix: the affected release lines get their patch releases together.

- [x] 39.0.x (\`release-39.0.0\`), ships in 39.0.5: merged in #501
- [ ] 38.0.x (\`release-38.0.0\`), ships in 38.0.5: backport PR #480 open
- [ ] 37.0.x (\`release-37.0.0\`), ships in 37.0.5: closed without merging #470
- [x] 36.0.x (\`release-36.0.0\`), ships in 36.0.5: already on this line
- [ ] 24.0.x (\`release-24.0.0\`), ships in 24.0.5: conflict: see #502
- [ ] 40.0.x (\`release-40.0.0\`), ships in 40.0.5: pending
- [ ] 41.0.x (\`release-41.0.0\`), ships in 41.0.5: failed

<!-- lts-steward:state … -->"
`);
    expect(readTracking(issue.body)).toEqual({ mode: "fix", rows: fixRows, security: true });
    expect(readEmbedded(issue.body)).toEqual({ version: 1, mode: "fix", security: true, rows: fixRows });
    const plain = renderFixTracking({ source, rows: fixRows, security: false }).body;
    expect(plain).not.toContain("security");
    expect(readTracking(plain)?.security).toBe(false);
  });

  test("per line: a checklist row per source PR", () => {
    const lineRows: TrackingRow[] = [
      tracking("36", "merged", { pull: pull(501) }),
      { ...tracking("36", "open", { pull: pull(511) }), source: { number: 130, title: "Guard the <script> loader" } },
      { ...tracking("36", "conflict", { issue: pull(512) }), source: { number: 131, title: "Bump the wasm parser" } },
    ];
    const issue = renderLineTracking({ branch: "release-36.0.0", label: "36.0.x", nextPatch: "36.0.5", rows: lineRows });
    expect(issue.title).toBe("Backports to release-36.0.0 (36.0.x)");
    expect(withoutState(issue.body)).toMatchInlineSnapshot(`
"<!-- lts-steward:tracking line-36.0.x -->

Backports to \`release-36.0.0\` (release line 36.0.x) that ship in 36.0.5, one row per source PR. lts-steward updates this list as backport PRs are merged or closed.

- [x] #123 Fix the frobnicator overflow: merged in #501
- [ ] #130 Guard the &lt;script> loader: backport PR #511 open
- [ ] #131 Bump the wasm parser: conflict: see #512

<!-- lts-steward:state … -->"
`);
    expect(hasMarker(issue.body, "tracking", "line-36.0.x")).toBe(true);
    expect(readTracking(issue.body)).toEqual({ mode: "line", rows: lineRows, security: false });
    expect(readEmbedded(issue.body)).toMatchObject({ version: 1, mode: "line", branch: "release-36.0.0", line: "36.0.x" });
  });

  test("readTracking: null for absent, corrupt or foreign state", () => {
    expect(readTracking(null)).toBeNull();
    expect(readTracking("<!-- lts-steward:state e30 -->")).toBeNull(); // {}
    expect(readTracking(renderSummary({ source, rows, skipped, requests }))).toBeNull();
    const bad = renderFixTracking({ source, rows: [{ ...fixRows[0]!, status: "shipped" as never }], security: false });
    expect(readTracking(bad.body)).toBeNull();
  });

  test("done when every row is merged, already on its target or closed", () => {
    expect(trackingDone([tracking("39", "merged"), tracking("36", "already-on-target"), tracking("37", "closed")])).toBe(true);
    expect(trackingDone([tracking("39", "merged"), tracking("36", "open")])).toBe(false);
    expect(trackingDone([tracking("39", "merged"), tracking("24", "conflict")])).toBe(false);
    expect(trackingDone([tracking("39", "failed")])).toBe(false);
    expect(trackingDone([])).toBe(false);
  });
});

describe("replies to /backport", () => {
  test("refusal", () => {
    const body = renderRefusal({ commentId: 77, login: "mallory", permission: "read", required: ["write", "maintain", "admin"] });
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-77 -->

<!-- lts-steward:refusal mallory -->

@mallory, only people with write, maintain or admin permission on this repository can ask for backports; you have read. Nothing was done. A maintainer can repeat the \`/backport\` command if this fix should go to other release lines.

<!-- lts-steward:state … -->"
`);
    expect(hasMarker(body, "reply", "comment-77")).toBe(true);
    expect(readEmbedded(body)).toEqual({ version: 1, reply: "refusal" });
  });

  test("acknowledgement before merge", () => {
    const body = renderAcknowledgement({
      commentId: 78,
      targets: [
        { branch: "release-39.0.0", line: "39.0.x", nextPatch: "39.0.2", reason: "current: supported until 2026-01-20" },
        { branch: "release-36.0.0", line: "36.0.x", nextPatch: "36.0.5", reason: "lts: LTS, supported until 2027-08-20" },
      ],
      skipped,
    });
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-78 -->

Will backport to these 2 targets once this PR is merged:

- 39.0.x (\`release-39.0.0\`), ships in 39.0.2: current: supported until 2026-01-20
- 36.0.x (\`release-36.0.0\`), ships in 36.0.5: lts: LTS, supported until 2027-08-20

Not backported:

- 37.0.x (\`release-37.0.0\`): end of support 2025-11-20

<!-- lts-steward:state … -->"
`);
    expect(readEmbedded(body)).toEqual({ version: 1, reply: "acknowledgement" });
  });

  test("rejection of unknown and ended selectors", () => {
    const body = renderRejection({
      commentId: 79,
      problems: [
        { selector: "release-37.0.0", reason: "end of support 2025-11-20" },
        { selector: "stable", reason: "not a selector, branch or release line" },
      ],
      valid: ["security", "lts", "current", "upcoming", "supported", "release-40.0.0", "release-39.0.0", "release-38.0.0", "release-36.0.0", "release-24.0.0"],
    });
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-79 -->

Nothing was done: these selectors do not name a release line that can take a backport.

- \`release-37.0.0\`: end of support 2025-11-20
- \`stable\`: not a selector, branch or release line

Valid selectors today: \`security\`, \`lts\`, \`current\`, \`upcoming\`, \`supported\`, \`release-40.0.0\`, \`release-39.0.0\`, \`release-38.0.0\`, \`release-36.0.0\`, \`release-24.0.0\`.

To try again, post a new \`/backport\` comment with valid selectors.

<!-- lts-steward:state … -->"
`);
    expect(hasMarker(body, "reply", "comment-79")).toBe(true);
  });

  test("started after merge", () => {
    const body = renderStarted({
      commentId: 80,
      targets: [
        { branch: "release-39.0.0", line: "39.0.x" },
        { branch: "release-36.0.0", line: "36.0.x" },
      ],
    });
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-80 -->

Backporting to 39.0.x (\`release-39.0.0\`) and 36.0.x (\`release-36.0.0\`) now; the summary comment on this PR will show the results.

<!-- lts-steward:state … -->"
`);
    expect(readEmbedded(body)).toEqual({ version: 1, reply: "started" });
    expect(renderStarted({ commentId: 81, targets: [] })).toContain("No target to backport to; nothing was done.");
  });

  test("config problems: where the file is wrong, and that nothing was done", () => {
    const body = renderConfigProblems({
      commentId: 82,
      problems: [
        { path: "backport.labelPrefix", message: "expected string, received number" },
        { path: "", message: "YAML: bad indentation (line 4)" },
      ],
    });
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-82 -->

Nothing was done: \`.github/lts-steward.yml\` has problems, so lts-steward cannot tell which release lines to backport to.

- \`backport.labelPrefix\`: expected string, received number
- the file: YAML: bad indentation (line 4)

Once the config is fixed, post the \`/backport\` comment again.

<!-- lts-steward:state … -->"
`);
    expect(readEmbedded(body)).toEqual({ version: 1, reply: "config-problems" });
  });
});

describe("combined backport PRs", () => {
  const entry = (number: number, title: string) => ({ number, title, url: `https://github.com/o/r/pull/${number}`, commits: [{ source: "a".repeat(40), picked: "b".repeat(40), title }] });

  test("the title fills {line}, {titles} and {numbers}; other braces stay", () => {
    expect(renderCombinedTitle("[{line}] Backports: {titles} ({numbers}) {other}", { target: "release-36.0.0", line: "36.0.x", titles: ["Fix a\n bug", "Fix b"], numbers: ["#1", "#2"] }))
      .toBe("[36.0.x] Backports: Fix a bug; Fix b (#1, #2) {other}");
  });

  test("the body lists each fix with its commits, escapes what people wrote, and reads back", () => {
    const hostile = "x | y <!-- lts-steward:summary pr-1 --> `z`";
    const body = renderCombinedBody({ branch: "release-36.0.0", line: "36", label: "36.0.x", nextPatch: "36.0.5", reason: "security: LTS", sources: [entry(1, "Fix a"), entry(2, hostile)] });
    expect(body).not.toContain("<!-- lts-steward:summary");
    expect(body).toContain("x \\| y");
    expect(body.split("\n").filter((l) => l.startsWith("| #"))).toHaveLength(2);
    expect(readCombined(body)?.sources.map((s) => [s.number, s.title])).toEqual([[1, "Fix a"], [2, hostile]]);
    expect(readCombined("no state here")).toBeNull();
  });
});

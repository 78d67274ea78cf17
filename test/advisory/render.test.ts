import { embedState, findMarkerKeys, hasMarker, readEmbedded } from "../../src/state/markers.js";
import {
  advisoryDone,
  advisoryKey,
  readAdvisoryIssue,
  renderAdvisoryClosing,
  renderAdvisoryIssue,
  renderDismissed,
  renderDismissRejected,
  renderFixAccepted,
  renderFixRejected,
  renderWithdrawnComment,
} from "../../src/advisory/render.js";
import type { AdvisoryRow, AdvisoryTracking } from "../../src/advisory/types.js";

/** The state comment changes with every field; snapshots show it as a placeholder and round trips check it. */
const withoutState = (body: string) => body.replace(/<!-- lts-steward:state [A-Za-z0-9_-]+ -->/, "<!-- lts-steward:state … -->");

const pull = (number: number) => ({ number, url: `https://github.com/acme/engine/pull/${number}` });

const row = (line: string, status: AdvisoryRow["status"], extra: Partial<AdvisoryRow> = {}): AdvisoryRow => ({
  branch: `release-${line}.0.0`,
  line,
  label: `${line}.0.x`,
  nextPatch: `${line}.0.4`,
  reason: `${line}.0.3 is within >= ${line}.0.0, < ${line}.0.4; the fix ships in ${line}.0.4`,
  status,
  pull: null,
  issue: null,
  releasedIn: null,
  dismissed: null,
  ...extra,
});

const base: AdvisoryTracking = {
  ghsaId: "GHSA-abcd-efgh-ijkl",
  cveId: "CVE-2025-1234",
  summary: "Heap overflow in the <frobnicator>",
  advisoryUrl: "https://github.com/acme/engine/security/advisories/GHSA-abcd-efgh-ijkl",
  ranges: [">= 36.0.0, < 36.0.4", ">= 38.0.0, < 38.0.4"],
  assessedOn: "2025-06-10",
  rows: [row("38", "open", { pull: pull(501) }), row("36", "released", { pull: pull(480), releasedIn: "36.0.4" })],
  unaffected: [{ branch: "release-37.0.0", line: "37", label: "37.0.x", reason: "37.0.5 and later are outside >= 36.0.0, < 36.0.4 or >= 38.0.0, < 38.0.4" }],
  endOfSupport: [{ branch: "release-35.0.0", line: "35", label: "35.0.x", reason: "end of support 2025-05-20; has vulnerable versions, no fix planned" }],
  fixes: [{ kind: "pull", number: 123, title: "Bound the frobnicator buffer", url: "https://github.com/acme/engine/pull/123" }],
  withdrawn: false,
};

describe("advisoryKey", () => {
  test("is the GHSA id in lower case", () => {
    expect(advisoryKey("GHSA-AbCd-EFGH-ijkl")).toBe("ghsa-abcd-efgh-ijkl");
  });
});

describe("advisory tracking issue", () => {
  test("two affected rows, an unaffected line, a line past end of support and a fix", () => {
    const issue = renderAdvisoryIssue(base);
    expect(issue.title).toBe("GHSA-abcd-efgh-ijkl (CVE-2025-1234): Heap overflow in the <frobnicator>");
    expect(withoutState(issue.body)).toMatchInlineSnapshot(`
"<!-- lts-steward:advisory ghsa-abcd-efgh-ijkl -->

Security advisory [GHSA-abcd-efgh-ijkl](https://github.com/acme/engine/security/advisories/GHSA-abcd-efgh-ijkl) (CVE-2025-1234): Heap overflow in the &lt;frobnicator>

It covers versions within \`>= 36.0.0, < 36.0.4\` or \`>= 38.0.0, < 38.0.4\`; the release lines below were assessed on 2025-06-10.

### Affected lines

- [ ] 38.0.x (\`release-38.0.0\`), fix ships in 38.0.4: backport PR #501 open — 38.0.3 is within >= 38.0.0, &lt; 38.0.4
- [x] 36.0.x (\`release-36.0.0\`), fix ships in 36.0.4: released in 36.0.4 (#480) — 36.0.3 is within >= 36.0.0, &lt; 36.0.4

### Not affected

- 37.0.x (\`release-37.0.0\`): 37.0.5 and later are outside >= 36.0.0, &lt; 36.0.4 or >= 38.0.0, &lt; 38.0.4

### Past end of support (no fix planned)

- 35.0.x (\`release-35.0.0\`): end of support 2025-05-20; has vulnerable versions, no fix planned

### Fix

- #123 Bound the frobnicator buffer

If another change is part of the fix, point lts-steward at it with a comment on this issue from someone with write access: \`/backport security #123\` for a merged pull request, or \`/backport security <commit sha>\` for a commit.

### How this issue works

lts-steward ticks a row when the patch release carrying its backport ships, and closes this issue when every row is released or dismissed. Ticking a box by hand changes nothing.

To dismiss a row that will not get a fix, someone with write access can comment \`/dismiss <line> <reason>\` on this issue. For example: \`/dismiss 38.0.x <reason>\`.

<!-- lts-steward:state … -->"
`);
    expect(findMarkerKeys(issue.body, "advisory")).toEqual(["ghsa-abcd-efgh-ijkl"]);
    expect(readEmbedded(issue.body)).toEqual({ version: 1, tracking: base });
  });

  test("no fix found yet: says how to point the App at it", () => {
    const t: AdvisoryTracking = { ...base, cveId: null, advisoryUrl: null, ranges: [">= 38.0.0, < 38.0.4"], rows: [row("38", "pending")], unaffected: [], endOfSupport: [], fixes: [] };
    const issue = renderAdvisoryIssue(t);
    expect(issue.title).toBe("GHSA-abcd-efgh-ijkl: Heap overflow in the <frobnicator>");
    expect(withoutState(issue.body)).toMatchInlineSnapshot(`
"<!-- lts-steward:advisory ghsa-abcd-efgh-ijkl -->

Security advisory GHSA-abcd-efgh-ijkl: Heap overflow in the &lt;frobnicator>

It covers versions within \`>= 38.0.0, < 38.0.4\`; the release lines below were assessed on 2025-06-10.

### Affected lines

- [ ] 38.0.x (\`release-38.0.0\`), fix ships in 38.0.4: waiting for the fix — 38.0.3 is within >= 38.0.0, &lt; 38.0.4

### Fix

No commit or merged pull request on the default branch names GHSA-abcd-efgh-ijkl yet. Once the fix is merged, point lts-steward at it with a comment on this issue from someone with write access: \`/backport security #123\` for a merged pull request, or \`/backport security <commit sha>\` for a commit.

### How this issue works

lts-steward ticks a row when the patch release carrying its backport ships, and closes this issue when every row is released or dismissed. Ticking a box by hand changes nothing.

To dismiss a row that will not get a fix, someone with write access can comment \`/dismiss <line> <reason>\` on this issue. For example: \`/dismiss 38.0.x <reason>\`.

<!-- lts-steward:state … -->"
`);
  });

  test("a commit fix shows its short sha", () => {
    const t: AdvisoryTracking = { ...base, fixes: [{ kind: "commit", sha: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", title: "Bound the buffer" }] };
    expect(renderAdvisoryIssue(t).body).toContain("### Fix\n\n- `1a2b3c4d5e6f` Bound the buffer\n");
  });

  test("every status in words, ticked only when released or dismissed", () => {
    const rows: AdvisoryRow[] = [
      row("40", "pending"),
      row("39", "merged", { pull: pull(510) }),
      row("38", "conflict", { issue: pull(511) }),
      row("37", "already-on-target"),
      row("36", "failed"),
      row("35", "closed", { pull: pull(512) }),
      row("34", "dismissed", { dismissed: "the | vulnerable code <was> never shipped here" }),
    ];
    const body = renderAdvisoryIssue({ ...base, rows }).body;
    expect(body.split("\n").filter((l) => l.startsWith("- ["))).toMatchInlineSnapshot(`
[
  "- [ ] 40.0.x (\`release-40.0.0\`), fix ships in 40.0.4: waiting for the fix — 40.0.3 is within >= 40.0.0, &lt; 40.0.4",
  "- [ ] 39.0.x (\`release-39.0.0\`), fix ships in 39.0.4: backport PR #510 merged, waiting for the 39.0.4 release — 39.0.3 is within >= 39.0.0, &lt; 39.0.4",
  "- [ ] 38.0.x (\`release-38.0.0\`), fix ships in 38.0.4: conflict: needs a hand, see #511 — 38.0.3 is within >= 38.0.0, &lt; 38.0.4",
  "- [ ] 37.0.x (\`release-37.0.0\`), fix ships in 37.0.4: the fix is already on this line, waiting for the release — 37.0.3 is within >= 37.0.0, &lt; 37.0.4",
  "- [ ] 36.0.x (\`release-36.0.0\`), fix ships in 36.0.4: backport failed, see the source PR's summary — 36.0.3 is within >= 36.0.0, &lt; 36.0.4",
  "- [ ] 35.0.x (\`release-35.0.0\`), fix ships in 35.0.4: backport PR #512 closed without merging — 35.0.3 is within >= 35.0.0, &lt; 35.0.4",
  "- [x] 34.0.x (\`release-34.0.0\`), fix ships in 34.0.4: dismissed: the | vulnerable code &lt;was> never shipped here — 34.0.3 is within >= 34.0.0, &lt; 34.0.4",
]
`);
  });

  test("no affected line", () => {
    const body = renderAdvisoryIssue({ ...base, rows: [], fixes: [] }).body;
    expect(body).toContain("No supported or upcoming release line is affected, so there is nothing to backport.");
    expect(body).not.toContain("### Affected lines");
    expect(body).not.toContain("/dismiss");
  });

  test("withdrawn: a banner, the title says so, and no instructions", () => {
    const t: AdvisoryTracking = { ...base, withdrawn: true, fixes: [] };
    const issue = renderAdvisoryIssue(t);
    expect(issue.title).toBe("[withdrawn] GHSA-abcd-efgh-ijkl (CVE-2025-1234): Heap overflow in the <frobnicator>");
    expect(withoutState(issue.body)).toMatchInlineSnapshot(`
"<!-- lts-steward:advisory ghsa-abcd-efgh-ijkl -->

**This advisory was withdrawn.** lts-steward does no further work on it; the rows below show where things stood.

Security advisory [GHSA-abcd-efgh-ijkl](https://github.com/acme/engine/security/advisories/GHSA-abcd-efgh-ijkl) (CVE-2025-1234): Heap overflow in the &lt;frobnicator>

It covers versions within \`>= 36.0.0, < 36.0.4\` or \`>= 38.0.0, < 38.0.4\`; the release lines below were assessed on 2025-06-10.

### Affected lines

- [ ] 38.0.x (\`release-38.0.0\`), fix ships in 38.0.4: backport PR #501 open — 38.0.3 is within >= 38.0.0, &lt; 38.0.4
- [x] 36.0.x (\`release-36.0.0\`), fix ships in 36.0.4: released in 36.0.4 (#480) — 36.0.3 is within >= 36.0.0, &lt; 36.0.4

### Not affected

- 37.0.x (\`release-37.0.0\`): 37.0.5 and later are outside >= 36.0.0, &lt; 36.0.4 or >= 38.0.0, &lt; 38.0.4

### Past end of support (no fix planned)

- 35.0.x (\`release-35.0.0\`): end of support 2025-05-20; has vulnerable versions, no fix planned

### Fix

No commit or merged pull request on the default branch names GHSA-abcd-efgh-ijkl yet.

<!-- lts-steward:state … -->"
`);
  });

  test("a link only for a plain https address", () => {
    const body = renderAdvisoryIssue({ ...base, advisoryUrl: "javascript:alert(1)" }).body;
    expect(body).toContain("Security advisory GHSA-abcd-efgh-ijkl (CVE-2025-1234):");
    expect(body).not.toContain("javascript:");
  });

  test("text from people cannot spoof the marker or the state", () => {
    const t: AdvisoryTracking = { ...base, summary: `evil ${embedState({ version: 1, tracking: {} })} <!-- lts-steward:advisory ghsa-other -->` };
    const body = renderAdvisoryIssue(t).body;
    expect(hasMarker(body, "advisory", "ghsa-other")).toBe(false);
    expect(readAdvisoryIssue(body)).toEqual(t);
  });
});

describe("readAdvisoryIssue", () => {
  test("round trip", () => {
    for (const t of [base, { ...base, withdrawn: true, cveId: null, advisoryUrl: null, rows: [], fixes: [] }]) {
      expect(readAdvisoryIssue(renderAdvisoryIssue(t).body)).toEqual(t);
    }
  });

  test("absent or corrupt state is null", () => {
    const good = JSON.parse(JSON.stringify({ version: 1, tracking: base })) as { version: number; tracking: Record<string, unknown> };
    const broken = (change: (state: typeof good) => void) => {
      const state = JSON.parse(JSON.stringify(good)) as typeof good;
      change(state);
      return `text\n\n${embedState(state)}`;
    };
    expect(readAdvisoryIssue(`text\n\n${embedState(good)}`)).toEqual(base);
    expect(readAdvisoryIssue(null)).toBeNull();
    expect(readAdvisoryIssue("no state here")).toBeNull();
    expect(readAdvisoryIssue("<!-- lts-steward:state !!!notbase64 -->")).toBeNull();
    expect(readAdvisoryIssue("<!-- lts-steward:state e30 -->")).toBeNull();
    expect(readAdvisoryIssue(broken((s) => (s.version = 2)))).toBeNull();
    expect(readAdvisoryIssue(broken((s) => delete s.tracking.ghsaId))).toBeNull();
    expect(readAdvisoryIssue(broken((s) => (s.tracking.rows = "none")))).toBeNull();
    expect(readAdvisoryIssue(broken((s) => ((s.tracking.rows as Record<string, unknown>[])[0]!.status = "lost")))).toBeNull();
    expect(readAdvisoryIssue(broken((s) => ((s.tracking.fixes as Record<string, unknown>[])[0]!.kind = "tag")))).toBeNull();
    expect(readAdvisoryIssue(broken((s) => (s.tracking.endOfSupport = [{ line: "35.0.x" }])))).toBeNull();
    expect(readAdvisoryIssue(broken((s) => (s.tracking.cveId = 7)))).toBeNull();
  });
});

describe("advisoryDone", () => {
  test.each<[string, AdvisoryRow[], boolean]>([
    ["no rows", [], false],
    ["every row released or dismissed", [row("38", "released"), row("36", "dismissed")], true],
    ["one row merged, not released", [row("38", "released"), row("36", "merged")], false],
    ["already on the line, not released", [row("36", "already-on-target")], false],
  ])("%s", (_name, rows, done) => {
    expect(advisoryDone(rows)).toBe(done);
  });
});

describe("comments", () => {
  test("closing: where each fix shipped, or why a row was dismissed", () => {
    const t: AdvisoryTracking = {
      ...base,
      rows: [row("38", "released", { pull: pull(501), releasedIn: "38.0.4" }), row("36", "dismissed", { dismissed: "36.0.x never shipped the parser" })],
    };
    expect(renderAdvisoryClosing(t)).toMatchInlineSnapshot(`
"<!-- lts-steward:advisory-closed ghsa-abcd-efgh-ijkl -->

Every affected release line of GHSA-abcd-efgh-ijkl is done, so this issue is closed.

- 38.0.x (\`release-38.0.0\`): the fix shipped in 38.0.4 (#501)
- 36.0.x (\`release-36.0.0\`): dismissed: 36.0.x never shipped the parser"
`);
  });

  test("withdrawn: open backport PRs and conflict issues are listed for people to close", () => {
    const t: AdvisoryTracking = {
      ...base,
      withdrawn: true,
      rows: [row("38", "open", { pull: pull(501) }), row("37", "conflict", { issue: pull(502) }), row("36", "merged", { pull: pull(480) })],
    };
    expect(renderWithdrawnComment(t)).toMatchInlineSnapshot(`
"<!-- lts-steward:advisory-withdrawn ghsa-abcd-efgh-ijkl -->

GHSA-abcd-efgh-ijkl was withdrawn, so lts-steward closed this issue and will do nothing more for it.

These backport PRs are still open; close them by hand if they are no longer wanted:

- #501 for 38.0.x (\`release-38.0.0\`)

These conflict issues still wait for a hand; close them too if the backport is no longer wanted:

- #502 for 37.0.x (\`release-37.0.0\`)"
`);
    expect(renderWithdrawnComment({ ...t, rows: [row("36", "pending")] })).toMatchInlineSnapshot(`
"<!-- lts-steward:advisory-withdrawn ghsa-abcd-efgh-ijkl -->

GHSA-abcd-efgh-ijkl was withdrawn, so lts-steward closed this issue and will do nothing more for it.

No backport PR is open."
`);
  });
});

describe("replies on the tracking issue", () => {
  test("fix accepted", () => {
    const body = renderFixAccepted({ commentId: 77, fix: base.fixes[0]!, targets: [{ branch: "release-38.0.0", line: "38.0.x" }, { branch: "release-36.0.0", line: "36.0.x" }] });
    expect(hasMarker(body, "reply", "comment-77")).toBe(true);
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-77 -->

Backporting #123 (Bound the frobnicator buffer) to 38.0.x (\`release-38.0.0\`) and 36.0.x (\`release-36.0.0\`) now; this issue's rows will link the backport PRs.

<!-- lts-steward:state … -->"
`);
    const commit = renderFixAccepted({ commentId: 78, fix: { kind: "commit", sha: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", title: "Bound it" }, targets: [] });
    expect(withoutState(commit)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-78 -->

\`1a2b3c4d5e6f\` (Bound it) is recorded as the fix, but no affected release line is waiting for a backport, so nothing was backported. This issue's rows show where each line stands.

<!-- lts-steward:state … -->"
`);
  });

  test("fix rejected", () => {
    const body = renderFixRejected({ commentId: 77, ref: "#999", reason: "it is not a merged pull request" });
    expect(body.startsWith("<!-- lts-steward:reply comment-77 -->")).toBe(true);
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-77 -->

\`#999\` cannot be backported: it is not a merged pull request. Nothing was done.

Name the fix with \`/backport security #123\` for a pull request merged into the default branch, or \`/backport security <commit sha>\` for a commit on the default branch.

<!-- lts-steward:state … -->"
`);
  });

  test("dismissed", () => {
    const body = renderDismissed({ commentId: 79, line: "36.0.x", reason: "the <parser> is not built on this line" });
    expect(body.startsWith("<!-- lts-steward:reply comment-79 -->")).toBe(true);
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-79 -->

Dismissed 36.0.x: the &lt;parser> is not built on this line. Its row is ticked; this issue closes when every row is released or dismissed.

<!-- lts-steward:state … -->"
`);
  });

  test("dismiss rejected: lists the issue's lines", () => {
    const body = renderDismissRejected({ commentId: 80, line: "99.x", known: ["38.0.x", "36.0.x"] });
    expect(body.startsWith("<!-- lts-steward:reply comment-80 -->")).toBe(true);
    expect(withoutState(body)).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-80 -->

\`99.x\` is not a release line on this issue, so nothing was dismissed.

The lines on this issue are \`38.0.x\` and \`36.0.x\`; post \`/dismiss <line> <reason>\` again with one of them.

<!-- lts-steward:state … -->"
`);
    expect(withoutState(renderDismissRejected({ commentId: 81, line: "99.x", known: [] }))).toMatchInlineSnapshot(`
"<!-- lts-steward:reply comment-81 -->

\`99.x\` is not a release line on this issue, so nothing was dismissed.

This issue has no affected lines, so there is nothing to dismiss.

<!-- lts-steward:state … -->"
`);
  });
});

/**
 * The state layer's writer against the fake GitHub (workflow tier): records are created once, edited only on
 * change, found again after a lost answer, and only the App's own records count.
 */
import { isAmbiguous } from "../../src/github/errors.js";
import { embedState, marker } from "../../src/state/markers.js";
import { readState } from "../../src/state/read-state.js";
import { findOwn, findOwnIssue, isOwn, ownOnly, saveComment, saveIssue } from "../../src/state/records.js";
import { replyStateSchema } from "../../src/state/schemas.js";
import { FakeGitHub } from "../helpers/fake-github.js";

const ref = { kind: "summary", key: "pr-7" };
const body = (text: string) => `${marker(ref.kind, ref.key)}\n\n${text}`;
const LABEL = "backport-tracking";
const issueRef = { kind: "tracking", key: "pr-7" };
const issueBody = (text: string) => `${marker(issueRef.kind, issueRef.key)}\n\n${text}`;

function setup(options: { botLogin?: string } = {}) {
  const fake = new FakeGitHub(options);
  const pr = fake.plantIssue({ title: "Fix table.copy", author: "alex" });
  return { fake, number: pr.number };
}

const ownComments = (fake: FakeGitHub, number: number) => fake.commentsOn(number).filter((c) => c.author === fake.botLogin);
const ownIssues = (fake: FakeGitHub) => fake.allIssues().filter((i) => i.author === fake.botLogin && i.body?.includes(marker(issueRef.kind, issueRef.key)));

describe("whose records count", () => {
  test("only the App's own login, in any case; another App with a similar name, a person or another bot do not", () => {
    const port = { botLogin: "my-app[bot]" };
    expect(isOwn(port, "my-app[bot]")).toBe(true);
    expect(isOwn(port, "My-App[bot]")).toBe(true);
    for (const other of ["lts-steward[bot]", "my-app", "other-app[bot]", "", null, undefined]) expect(isOwn(port, other)).toBe(false);
  });

  test("findOwn skips look-alikes and takes the oldest of twins; ownOnly keeps the App's records", () => {
    const port = { botLogin: "lts-steward[bot]" };
    const items = [
      { id: 30, author: "lts-steward[bot]", body: body("newer twin") },
      { id: 10, author: "alex", body: body("a person's copy") },
      { id: 20, author: "lts-steward[bot]", body: body("older twin") },
      { id: 5, author: "other-app[bot]", body: body("another bot's copy") },
      { id: 40, author: "lts-steward[bot]", body: "no marker" },
    ];
    expect(findOwn(port, items, ref)?.id).toBe(20);
    expect(findOwn(port, items, { kind: "summary", key: "pr-70" })).toBeUndefined();
    expect(ownOnly(port, items).map((i) => i.id)).toEqual([30, 20, 40]);
  });
});

describe("saveComment", () => {
  test("creates the comment once; the same text again writes nothing", async () => {
    const { fake, number } = setup();
    expect((await saveComment(fake, { number, ref, body: body("one") })).action).toBe("created");
    expect((await saveComment(fake, { number, ref, body: body("one") })).action).toBe("unchanged");
    // GitHub may give the text back with CRLF line ends and without the trailing newline.
    expect((await saveComment(fake, { number, ref, body: `${body("one")}\n`.replace(/\n/g, "\r\n") })).action).toBe("unchanged");
    expect(ownComments(fake, number).map((c) => c.body)).toEqual([body("one")]);
    expect(fake.writes().map((c) => c.method)).toEqual(["createComment"]);
  });

  test("edits the App's comment in place when the text changes", async () => {
    const { fake, number } = setup();
    const { comment } = await saveComment(fake, { number, ref, body: body("one") });
    const result = await saveComment(fake, { number, ref, body: body("two") });
    expect([result.action, result.comment.id]).toEqual(["updated", comment.id]);
    expect(fake.commentsOn(number).map((c) => c.body)).toEqual([body("two")]);
    expect(fake.writes().map((c) => c.method)).toEqual(["createComment", "updateComment"]);
  });

  test.each([
    ["a person", "alex", false],
    ["another bot", "other-app[bot]", true],
    ["another App whose slug is lts-steward, when this App is my-app", "lts-steward[bot]", true],
  ])("a look-alike with the same marker from %s is neither read nor edited: the App creates its own", async (_who, author, authorIsBot) => {
    const { fake, number } = setup({ botLogin: "my-app[bot]" });
    const planted = fake.plantComment({ number, author, authorIsBot, body: `${body("planted")}\n\n${embedState({ version: 1, reply: "refusal" })}` });
    const comments = await fake.listComments(number);
    expect(findOwn(fake, comments, ref)).toBeUndefined();
    const result = await saveComment(fake, { number, ref, body: body("the App's"), comments });
    expect(result.action).toBe("created");
    expect(result.comment.author).toBe("my-app[bot]");
    expect(fake.commentsOn(number).find((c) => c.id === planted.id)?.body).toBe(planted.body);
    expect(fake.calls("updateComment")).toEqual([]);
    expect(readState(planted.body, replyStateSchema)).not.toBeNull(); // it would read as state, were it the App's
  });

  test("twins (two replicas raced): the oldest is the record and the only one edited; the newer one is removed", async () => {
    const { fake, number } = setup();
    const older = fake.plantComment({ number, author: fake.botLogin, body: body("older") });
    const newer = fake.plantComment({ number, author: fake.botLogin, body: body("newer") });
    const result = await saveComment(fake, { number, ref, body: body("now") });
    expect([result.action, result.comment.id]).toEqual(["updated", older.id]);
    // The newer twin is never edited: it is removed (state/records.ts), so exactly one record stays.
    expect(fake.commentsOn(number).map((c) => [c.id, c.body])).toEqual([[older.id, body("now")]]);
    expect(newer.id).toBeGreaterThan(older.id);
  });

  test.each(["server-error", "network"] as const)("GitHub applies the create, then the answer is lost (%s): exactly one comment", async (error) => {
    const { fake, number } = setup();
    const hook = fake.failOn({ method: "createComment", when: "after", error });
    const result = await saveComment(fake, { number, ref, body: body("one") });
    expect(hook.fired).toBe(1);
    expect(result.action).toBe("created");
    expect(ownComments(fake, number).map((c) => c.id)).toEqual([result.comment.id]);
    expect(fake.writes("createComment")).toHaveLength(1);
  });

  test("a create that failed before GitHub applied it is looked up, then sent again: one comment", async () => {
    const { fake, number } = setup();
    fake.failOn({ method: "createComment", when: "before", error: "server-error" });
    const result = await saveComment(fake, { number, ref, body: body("one") });
    expect(result.action).toBe("created");
    expect(ownComments(fake, number)).toHaveLength(1);
    expect(fake.calls("createComment").map((c) => c.applied)).toEqual([false, true]);
  });

  test("three ambiguous failures in a row: the error surfaces and nothing is duplicated", async () => {
    const { fake, number } = setup();
    fake.failOn({ method: "createComment", when: "before", error: "network", times: 3 });
    const error = await saveComment(fake, { number, ref, body: body("one") }).catch((e: unknown) => e);
    expect(isAmbiguous(error)).toBe(true);
    expect(fake.calls("createComment")).toHaveLength(3);
    expect(ownComments(fake, number)).toHaveLength(0);
    // The next run finds nothing and creates it once.
    await saveComment(fake, { number, ref, body: body("one") });
    expect(ownComments(fake, number)).toHaveLength(1);
  });

  test("lost answers on every create: the first one GitHub applied is found, never a second", async () => {
    const { fake, number } = setup();
    fake.failOn({ method: "createComment", when: "after", error: "server-error", times: 3 });
    await saveComment(fake, { number, ref, body: body("one") });
    expect(ownComments(fake, number)).toHaveLength(1);
    expect(fake.calls("createComment")).toHaveLength(1);
  });
});

describe("saveIssue", () => {
  const save = (fake: FakeGitHub, text: string, extra: Partial<Parameters<typeof saveIssue>[1]> = {}) =>
    saveIssue(fake, { ref: issueRef, title: "Backports of #7", body: issueBody(text), labels: [LABEL], ...extra });

  test("creates the issue once with its labels; the same text again writes nothing; a change edits it in place", async () => {
    const fake = new FakeGitHub();
    const created = await save(fake, "one", { assignees: ["alex"] });
    expect(created.action).toBe("created");
    expect([created.issue.labels, created.issue.assignees, created.issue.author]).toEqual([[LABEL], ["alex"], fake.botLogin]);
    expect((await save(fake, "one")).action).toBe("unchanged");
    const updated = await save(fake, "two");
    expect([updated.action, updated.issue.number]).toEqual(["updated", created.issue.number]);
    expect((await save(fake, "two", { title: "Backports of #7 (renamed)" })).action).toBe("updated");
    expect(ownIssues(fake).map((i) => [i.title, i.body])).toEqual([["Backports of #7 (renamed)", issueBody("two")]]);
    expect(fake.writes().map((c) => c.method)).toEqual(["createIssue", "updateIssue", "updateIssue"]);
  });

  test("close: a found issue is closed with its new text; a new one is created, then closed; a closed one is found again", async () => {
    const fake = new FakeGitHub();
    const { issue } = await save(fake, "one");
    const closed = await save(fake, "done", { close: true });
    expect([closed.action, closed.issue.number, closed.issue.state]).toEqual(["updated", issue.number, "closed"]);
    expect((await save(fake, "done", { close: true })).action).toBe("unchanged");
    expect((await findOwnIssue(fake, { ref: issueRef, label: LABEL }))?.number).toBe(issue.number);
    const other = await saveIssue(fake, { ref: { kind: "tracking", key: "pr-8" }, title: "t", body: `${marker("tracking", "pr-8")}\n\nx`, labels: [LABEL], close: true });
    expect([other.action, other.issue.state]).toEqual(["created", "closed"]);
  });

  test.each([
    ["a person", "mallory"],
    ["another bot", "other-app[bot]"],
  ])("a look-alike issue with the same marker and label from %s is ignored and left as it is", async (_who, author) => {
    const fake = new FakeGitHub();
    const planted = fake.plantIssue({ title: "Backports of #7", body: issueBody("planted"), author, labels: [LABEL] });
    expect(await findOwnIssue(fake, { ref: issueRef, label: LABEL })).toBeUndefined();
    const result = await save(fake, "the App's", { close: true });
    expect(result.action).toBe("created");
    expect(result.issue.number).not.toBe(planted.number);
    const after = fake.allIssues().find((i) => i.number === planted.number);
    expect([after?.body, after?.state, after?.title]).toEqual([planted.body, "open", planted.title]);
    expect(fake.calls("updateIssue").every((c) => (c.args[0] as { number: number }).number !== planted.number)).toBe(true);
  });

  test("twins: the oldest of the App's issues is the record", async () => {
    const fake = new FakeGitHub();
    const older = fake.plantIssue({ title: "t", body: issueBody("older"), author: fake.botLogin, labels: [LABEL] });
    const newer = fake.plantIssue({ title: "t", body: issueBody("newer"), author: fake.botLogin, labels: [LABEL] });
    expect((await findOwnIssue(fake, { ref: issueRef, label: LABEL }))?.number).toBe(older.number);
    const result = await save(fake, "now");
    expect(result.issue.number).toBe(older.number);
    expect(fake.allIssues().find((i) => i.number === newer.number)?.body).toBe(issueBody("newer"));
  });

  test.each(["server-error", "network"] as const)("GitHub applies the create, then the answer is lost (%s): exactly one issue", async (error) => {
    const fake = new FakeGitHub();
    fake.failOn({ method: "createIssue", when: "after", error });
    const result = await save(fake, "one", { close: true });
    expect(result.action).toBe("created");
    expect(ownIssues(fake).map((i) => [i.number, i.state])).toEqual([[result.issue.number, "closed"]]);
    expect(fake.writes("createIssue")).toHaveLength(1);
  });

  test("a create that failed before GitHub applied it is sent again: one issue", async () => {
    const fake = new FakeGitHub();
    fake.failOn({ method: "createIssue", when: "before", error: "server-error" });
    await save(fake, "one");
    expect(ownIssues(fake)).toHaveLength(1);
    expect(fake.calls("createIssue").map((c) => c.applied)).toEqual([false, true]);
  });

  test("three ambiguous failures in a row: the error surfaces and no issue is duplicated", async () => {
    const fake = new FakeGitHub();
    fake.failOn({ method: "createIssue", when: "before", error: "server-error", times: 3 });
    const error = await save(fake, "one").catch((e: unknown) => e);
    expect(isAmbiguous(error)).toBe(true);
    expect(ownIssues(fake)).toHaveLength(0);
    await save(fake, "one");
    await save(fake, "one");
    expect(ownIssues(fake)).toHaveLength(1);
  });
});

describe("GitHub's size limits: every record fits, and fits the same way every time", () => {
  const huge = (n: number) => Array.from({ length: n }, (_, i) => `- row ${i}: ${"x".repeat(60)}`).join("\n");

  test("a tracking issue whose rows would pass 65,536 characters is created cut, its marker and state whole, and saving it again changes nothing", async () => {
    const { fake } = setup();
    const long = `${issueBody(huge(3_000))}\n\n${embedState({ version: 1, rows: ["kept"] })}`;
    expect(long.length).toBeGreaterThan(65_536);
    const title = `Backport tracking: ${"a very long title ".repeat(30)}`;
    const first = await saveIssue(fake, { ref: issueRef, title, body: long, labels: [LABEL] });
    expect(first.action).toBe("created");
    const [issue] = ownIssues(fake);
    expect(issue!.body!.length).toBeLessThanOrEqual(65_536);
    expect(issue!.body!.startsWith(marker(issueRef.kind, issueRef.key))).toBe(true);
    expect(issue!.body).toContain("the rest is left out");
    expect(issue!.body!.endsWith(embedState({ version: 1, rows: ["kept"] }))).toBe(true);
    expect(issue!.title.length).toBeLessThanOrEqual(256);
    expect(issue!.title.endsWith("…")).toBe(true);
    fake.clearLog();
    const again = await saveIssue(fake, { ref: issueRef, title, body: long, labels: [LABEL] });
    expect(again.action).toBe("unchanged");
    expect(fake.writes()).toEqual([]);
  });

  test("a comment too long for GitHub is cut, not refused, and is not edited again on the next run", async () => {
    const { fake, number } = setup();
    const long = body(huge(2_000));
    expect((await saveComment(fake, { number, ref, body: long })).action).toBe("created");
    expect(ownComments(fake, number)[0]!.body.length).toBeLessThanOrEqual(65_536);
    expect((await saveComment(fake, { number, ref, body: long })).action).toBe("unchanged");
  });
});

describe("twins of a record (two copies of the App raced)", () => {
  test("a younger twin comment left behind by a copy that died is deleted by the next save; the oldest keeps the record", async () => {
    const { fake, number } = setup();
    const oldest = fake.plantComment({ number, body: body("first"), author: fake.botLogin });
    const twin = fake.plantComment({ number, body: body("second"), author: fake.botLogin });
    const result = await saveComment(fake, { number, ref, body: body("now") });
    expect(result).toMatchObject({ action: "updated", comment: { id: oldest.id } });
    expect(ownComments(fake, number).map((c) => [c.id, c.body])).toEqual([[oldest.id, body("now")]]);
    expect(fake.writes().map((w) => w.method).sort()).toEqual(["deleteComment", "updateComment"]);
    expect(ownComments(fake, number).some((c) => c.id === twin.id)).toBe(false);
    fake.clearLog();
    expect((await saveComment(fake, { number, ref, body: body("now") })).action).toBe("unchanged");
    expect(fake.writes()).toEqual([]);
  });
});

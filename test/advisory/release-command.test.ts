/**
 * `/release <selector or lines>` on an advisory issue (issue 15): the configured workflow dispatched on every
 * named supported line's branch at once, each reported; a read-only user refused with zero dispatches;
 * unsupported lines refused.
 */
import { toPolicy } from "../../src/config/policy.js";
import { parseAdvisoryCommand, runAdvisoryCommand } from "../../src/advisory/run-command.js";
import { renderAdvisoryIssue } from "../../src/advisory/render.js";
import type { AdvisoryRow, AdvisoryTracking } from "../../src/advisory/types.js";
import { configOf, memoryLog, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";
const WORKFLOW = "release-process.yml";

const row = (major: number, nextPatch: string, status: AdvisoryRow["status"] = "merged"): AdvisoryRow => ({
  branch: `release-${major}.0.0`, line: `${major}`, label: `${major}.0.x`, nextPatch, reason: "vulnerable", status, pull: null, issue: null, releasedIn: null, dismissed: null,
});

function setup(options: { release?: boolean } = {}) {
  const { fake } = wasmtimeRepo({ permissions: { sam: "maintain", reader: "read" } });
  fake.addWorkflow(WORKFLOW);
  const config = configOf({ preset: "wasmtime", ...(options.release === false ? {} : { release: { workflow: WORKFLOW, inputs: { action: "release-patch", version: "{version}" } } }) });
  const policy = toPolicy(config);
  const tracking: AdvisoryTracking = {
    ghsaId: "GHSA-1234-5678-9abc", cveId: null, summary: "Out-of-bounds write", advisoryUrl: null, ranges: [">= 24.0.0, < 40.0.0"], assessedOn: TODAY,
    rows: [row(40, "40.0.0"), row(39, "39.0.1"), row(38, "38.0.1"), row(36, "36.0.1"), row(24, "24.0.1")],
    unaffected: [], endOfSupport: [], fixes: [], withdrawn: false,
  };
  const { title, body } = renderAdvisoryIssue(tracking);
  const issue = fake.plantIssue({ title, body, author: fake.botLogin, labels: ["lts-steward"] });
  const command = async (author: string, text: string) => {
    const comment = fake.plantComment({ number: issue.number, body: text, author });
    return runAdvisoryCommand({ port: fake, config: { ok: true, config, policy }, today: TODAY, defaultBranch: "main", number: issue.number, comment: { id: comment.id, body: text, author }, log: memoryLog() });
  };
  const again = async (author: string, text: string) => {
    const comment = fake.commentsOn(issue.number).find((c) => c.body === text && c.author === author)!;
    return runAdvisoryCommand({ port: fake, config: { ok: true, config, policy }, today: TODAY, defaultBranch: "main", number: issue.number, comment: { id: comment.id, body: text, author }, log: memoryLog() });
  };
  const dispatches = () => fake.calls("dispatchWorkflow").filter((c) => c.applied).map((c) => c.args[0] as { workflow: string; ref: string; inputs: Record<string, string> });
  const replies = () => fake.commentsOn(issue.number).filter((c) => c.author === fake.botLogin);
  return { fake, issue, command, again, dispatches, replies };
}

test("parsing: /release takes a selector or lines", () => {
  expect(parseAdvisoryCommand("/release security")).toEqual({ kind: "release", words: ["security"] });
  expect(parseAdvisoryCommand("/release 38 36, 24")).toEqual({ kind: "release", words: ["38", "36", "24"] });
  expect(parseAdvisoryCommand("/release")).toBeNull();
});

test("/release security: one dispatch per affected supported line, the configured inputs with each line's version, reported in the issue", async () => {
  const s = setup();
  expect(await s.command("sam", "/release security")).toBe("released");
  expect(s.dispatches()).toEqual([
    { workflow: WORKFLOW, ref: "release-39.0.0", inputs: { action: "release-patch", version: "39.0.1" } },
    { workflow: WORKFLOW, ref: "release-38.0.0", inputs: { action: "release-patch", version: "38.0.1" } },
    { workflow: WORKFLOW, ref: "release-36.0.0", inputs: { action: "release-patch", version: "36.0.1" } },
    { workflow: WORKFLOW, ref: "release-24.0.0", inputs: { action: "release-patch", version: "24.0.1" } },
  ]);
  const [reply] = s.replies();
  for (const version of ["39.0.1", "38.0.1", "36.0.1", "24.0.1"]) expect(reply!.body).toMatch(new RegExp(`${version.replaceAll(".", "\\.")}\\S*: dispatched`));
  expect(reply!.body).toContain("release-40.0.0");
  expect(reply!.body).toContain("upcoming line: no patch release");

  // Answered once: the same comment delivered again dispatches nothing more.
  expect(await s.again("sam", "/release security")).toBe("answered-before");
  expect(s.dispatches()).toHaveLength(4);
});

test("a read-only user is refused: zero dispatches", async () => {
  const s = setup();
  expect(await s.command("reader", "/release security")).toBe("refused");
  expect(s.fake.calls("dispatchWorkflow")).toEqual([]);
  expect(s.replies()).toHaveLength(1);
});

test("named lines: only those; an unsupported line refuses the whole command", async () => {
  const s = setup();
  expect(await s.command("sam", "/release 38 36")).toBe("released");
  expect(s.dispatches().map((d) => d.ref)).toEqual(["release-38.0.0", "release-36.0.0"]);
  expect(await s.command("sam", "/release 38 37")).toBe("rejected");
  expect(s.replies().at(-1)!.body).toContain("is not supported");
  expect(await s.command("sam", "/release 38 40")).toBe("rejected");
  expect(await s.command("sam", "/release 38 19")).toBe("rejected");
  expect(s.dispatches().map((d) => d.ref)).toEqual(["release-38.0.0", "release-36.0.0"]);
});

test("without release: in the config, nothing is dispatched and the reply shows how to configure it", async () => {
  const s = setup({ release: false });
  expect(await s.command("sam", "/release security")).toBe("rejected");
  expect(s.fake.calls("dispatchWorkflow")).toEqual([]);
  expect(s.replies()[0]!.body).toContain("workflow: release-process.yml");
});

test("every row merged: the issue offers the command with its lines", () => {
  const tracking: AdvisoryTracking = {
    ghsaId: "GHSA-1234-5678-9abc", cveId: null, summary: "x", advisoryUrl: null, ranges: [], assessedOn: TODAY,
    rows: [row(38, "38.0.1"), row(36, "36.0.1", "already-on-target")], unaffected: [], endOfSupport: [], fixes: [], withdrawn: false,
  };
  expect(renderAdvisoryIssue(tracking).body).toContain("`/release 38 36`");
  expect(renderAdvisoryIssue({ ...tracking, rows: [row(38, "38.0.1", "open")] }).body).not.toContain("/release");
});

test("on any issue (the private-fork way, before the advisory exists): every supported line of the group at its next patch; a read-only user refused; other advisory commands ignored", async () => {
  const s = setup();
  const plain = s.fake.plantIssue({ title: "Security release 2025-12-10", body: "Patch releases for today's fixes.", author: "sam" });
  const command = async (author: string, text: string) => {
    const comment = s.fake.plantComment({ number: plain.number, body: text, author });
    const config = configOf({ preset: "wasmtime", release: { workflow: WORKFLOW, inputs: { action: "release-patch", version: "{version}" } } });
    return runAdvisoryCommand({ port: s.fake, config: { ok: true, config, policy: toPolicy(config) }, today: TODAY, defaultBranch: "main", number: plain.number, comment: { id: comment.id, body: text, author }, log: memoryLog() });
  };
  expect(await command("reader", "/release security")).toBe("refused");
  expect(s.fake.calls("dispatchWorkflow")).toEqual([]);
  expect(await command("sam", "/dismiss 38 not ours")).toBe("not-an-advisory-issue");

  expect(await command("sam", "/release security")).toBe("released");
  const refs = s.dispatches().map((d) => [d.ref, d.inputs.version]);
  expect(refs.map(([ref]) => ref)).toEqual(expect.arrayContaining(["release-39.0.0", "release-24.0.0"]));
  expect(refs.every(([ref, version]) => version === `${/release-(\d+)/.exec(ref!)![1]}.0.1`)).toBe(true);
  expect(refs.map(([ref]) => ref)).not.toContain("release-40.0.0");
  const reply = s.fake.commentsOn(plain.number).filter((c) => c.author === s.fake.botLogin).at(-1)!;
  expect(reply.body).toContain("dispatched");
  expect(reply.body).not.toContain("ticks the rows");
});

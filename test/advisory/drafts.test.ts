/**
 * Draft advisories (src/advisory/drafts.ts): which patched versions the engine suggests, which vulnerabilities
 * are filled, and that a refused edit is reported without naming the draft.
 */
import { fillDraft, planDraftSuggestions, suggestPatched } from "../../src/advisory/drafts.js";
import type { Advisory } from "../../src/advisory/types.js";
import { toPolicy } from "../../src/config/policy.js";
import { computeLines } from "../../src/engine/lines.js";
import { GitHubError } from "../../src/github/errors.js";
import { readReleaseHistory } from "../../src/workflows/release-state.js";
import { configOf, wasmtimeRepo } from "../helpers/wasmtime-repo.js";

const TODAY = "2025-12-10";
const GHSA = "GHSA-f5f5-f5f5-f5f5";

async function setup(raw: Record<string, unknown> = { preset: "wasmtime", advisories: { drafts: "suggest" } }) {
  const { fake } = wasmtimeRepo();
  fake.addRelease({ tag: "v38.0.1", publishedAt: "2025-12-01T18:00:00Z", target: "release-38.0.0" });
  const config = configOf(raw);
  const policy = toPolicy(config);
  const lines = computeLines(policy, await readReleaseHistory(fake, policy), TODAY);
  return { fake, config, policy, lines };
}

const draft = (vulnerabilities: Advisory["vulnerabilities"]): Advisory => ({ ghsaId: GHSA, cveId: null, summary: "secret", state: "draft", publishedAt: null, htmlUrl: null, vulnerabilities });
const vuln = (range: string, patched: string | null = null, name = "wasmtime") => ({ package: { ecosystem: "rust", name }, vulnerableRange: range, patched });

test("suggested versions: each affected released line's next patch, and the release that already patched a line; nothing for an unreadable range", async () => {
  const { policy, lines } = await setup();
  expect(suggestPatched(">= 36.0.0, < 36.0.1", { lines, policy, on: TODAY })).toEqual(["36.0.1"]);
  expect(suggestPatched(">= 36.0.0, < 36.0.1, >= 0.0.0", { lines, policy, on: TODAY })).toEqual(["36.0.1"]);
  expect(suggestPatched(">= 38.0.0, < 38.0.1", { lines, policy, on: TODAY })).toEqual(["38.0.1"]);
  expect(suggestPatched("whenever", { lines, policy, on: TODAY })).toEqual([]);
});

test("only empty patched versions of this repository's packages are filled; a draft with nothing to fill gives null", async () => {
  const { config, policy, lines } = await setup({ preset: "wasmtime", advisories: { drafts: "suggest", packages: ["wasmtime"] } });
  const filled = fillDraft(draft([vuln(">= 36.0.0, < 36.0.1"), vuln(">= 24.0.0, < 24.0.1", "24.0.1"), vuln(">= 1.0.0, < 1.0.1", null, "cranelift")]), { config, policy, lines, on: TODAY });
  expect(filled?.map((v) => v.patched)).toEqual(["36.0.1", "24.0.1", null]);
  expect(fillDraft(draft([vuln(">= 24.0.0, < 24.0.1", "24.0.1")]), { config, policy, lines, on: TODAY })).toBeNull();
});

test("drafts off: nothing is read; a refused edit fails with the permission to grant and without the draft's id", async () => {
  const off = await setup({ preset: "wasmtime" });
  off.fake.addAdvisory(draft([vuln(">= 36.0.0, < 36.0.1")]));
  expect(await planDraftSuggestions(off.fake, { config: off.config, policy: off.policy, lines: off.lines, today: TODAY })).toEqual([]);
  expect(off.fake.calls("listDraftAdvisories")).toEqual([]);

  const on = await setup();
  on.fake.addAdvisory(draft([vuln(">= 36.0.0, < 36.0.1")]));
  on.fake.failOn({ method: "updateAdvisoryVulnerabilities", error: new GitHubError({ code: "forbidden", status: 403, operation: "PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}", message: `PATCH /security-advisories/${GHSA}: Resource not accessible by integration` }) });
  const [action] = await planDraftSuggestions(on.fake, { config: on.config, policy: on.policy, lines: on.lines, today: TODAY });
  expect(action!.description).not.toContain(GHSA);
  const failure = await action!.apply().then(() => null, (error: Error) => error.message);
  expect(failure).toContain("repository_advisories: write");
  expect(failure).not.toContain(GHSA);
});

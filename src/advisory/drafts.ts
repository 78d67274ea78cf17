/**
 * Draft advisories, opt-in (`advisories.drafts: suggest`): the daily tick reads this repository's draft
 * advisories and, for each vulnerability whose patched versions are empty, fills them in from the engine: the
 * next patch version of every line the range makes affected, and the release that already patched a line.
 *
 * A draft is private. The only write is the advisory edit itself; no issue, comment or log line names a draft
 * or repeats what it says (its GHSA id, summary, ranges); a failed edit is reported by its HTTP status alone.
 */
import semver from "semver";
import type { Config } from "../config/schema.js";
import { assessAdvisory, parseVulnerableRange } from "../engine/advisory.js";
import type { IsoDate, Policy, ReleaseLine } from "../engine/types.js";
import { isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import type { TickAction } from "../calendar/types.js";
import { rangesFor } from "./assess.js";
import type { Advisory, AdvisoryVulnerability } from "./types.js";

/** The patched versions the engine suggests for one vulnerable range on `on`; empty when it knows none. */
export function suggestPatched(range: string, input: { lines: ReleaseLine[]; policy: Policy; on: IsoDate }): string[] {
  let assessment;
  try {
    assessment = assessAdvisory({ lines: input.lines, ranges: [parseVulnerableRange(range).text], on: input.on, policy: input.policy });
  } catch {
    return []; // A range the engine cannot read: nothing to suggest.
  }
  // Released lines only: an upcoming line has no vulnerable version, so no patched one either.
  const next = assessment.targets.filter((t) => t.latest !== null).map((t) => t.nextPatch);
  const shipped = assessment.skipped.flatMap((s) => (s.verdict === "patched" && s.patchedIn ? [s.patchedIn] : []));
  return [...new Set([...next, ...shipped])].sort(semver.compare);
}

/** The draft's vulnerabilities with empty patched versions filled in, or null when there is nothing to fill. */
export function fillDraft(draft: Advisory, input: { config: Pick<Config, "advisories">; lines: ReleaseLine[]; policy: Policy; on: IsoDate }): AdvisoryVulnerability[] | null {
  const ours = new Set(rangesFor(draft, { packages: input.config.advisories.packages, global: false }));
  let changed = false;
  const vulnerabilities = draft.vulnerabilities.map((v) => {
    if ((v.patched ?? "").trim() !== "" || !ours.has(v.vulnerableRange)) return v;
    const versions = suggestPatched(v.vulnerableRange, input);
    if (versions.length === 0) return v;
    changed = true;
    return { ...v, patched: versions.join(", ") };
  });
  return changed ? vulnerabilities : null;
}

/** An error that says what GitHub answered and nothing of the draft (the request's URL names it). */
function privateError(error: unknown): Error {
  if (isGitHubError(error, "forbidden")) return new Error("GitHub refused to edit a draft advisory (403): the App needs the repository_advisories: write permission for advisories.drafts: suggest");
  const status = typeof (error as { status?: unknown }).status === "number" ? ` (${(error as { status: number }).status})` : "";
  return new Error(`editing a draft advisory failed${status}`);
}

/** The tick's actions: one edit per draft with empty patched versions the engine can fill. */
export async function planDraftSuggestions(port: GitHubPort, input: { config: Config; policy: Policy; lines: ReleaseLine[]; today: IsoDate }): Promise<TickAction[]> {
  if (input.config.advisories.drafts !== "suggest") return [];
  let drafts: Advisory[];
  try {
    drafts = await port.listDraftAdvisories();
  } catch (error) {
    throw privateError(error);
  }
  const edits = drafts.flatMap((draft) => {
    const vulnerabilities = fillDraft(draft, { config: input.config, lines: input.lines, policy: input.policy, on: input.today });
    return vulnerabilities ? [{ ghsaId: draft.ghsaId, vulnerabilities }] : [];
  });
  return edits.map((edit, i): TickAction => ({
    job: "advisory-drafts",
    description: `suggest patched versions in draft advisory ${i + 1} of ${edits.length}`,
    apply: async () => {
      try {
        await port.updateAdvisoryVulnerabilities(edit);
      } catch (error) {
        throw privateError(error);
      }
    },
  }));
}

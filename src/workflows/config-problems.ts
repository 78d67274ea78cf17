/**
 * A config that does not validate is answered where people look, never only in a log (issue 14):
 *
 * - a merged PR that asks for backports (by label) gets one comment naming the problems; it is kept up to
 *   date while the problems change, and the daily reconcile picks the PR up once the config is fixed;
 * - the daily tick keeps one issue, "lts-steward cannot read its config", open while the config is invalid
 *   and closes it on the first tick after it is fixed.
 *
 * `/backport` commands answer with their own reply (command-gate.ts) and the config check with its check run.
 * With the config unreadable, its labels and prefixes are unknown: the defaults are used to recognise a
 * request (`backport:`) and to file the issue (`backport-tracking`).
 */
import { requestsFromLabels } from "../backport/requests.js";
import { andMore, capList, code, inline, joinWords, MAX_LISTED } from "../backport/render-summary.js";
import type { ConfigProblem } from "../config/load.js";
import { parseConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { GitHubPort } from "../github/port.js";
import { marker } from "../state/markers.js";
import { findOwnIssue, saveComment, saveIssue } from "../state/records.js";

const DEFAULTS = (() => {
  const parsed = parseConfig({});
  if (!parsed.ok) throw new Error("the default config does not validate");
  return parsed.config;
})();

const problemList = (problems: ConfigProblem[]) => capList(problems.map((p) => `- ${p.path ? code(p.path) : "the file"}: ${inline(p.message)}`), MAX_LISTED, andMore).join("\n");

/** The request labels on a PR, as the default config reads them (the repository's own rules are unreadable). */
export const defaultRequestLabels = (labels: string[]): string[] =>
  labels.filter((label) => requestsFromLabels([label], { labelPrefix: DEFAULTS.backport.labelPrefix, implied: DEFAULTS.backport.implied }).length > 0);

/** Tells a merged PR that asked for backports why nothing happened; one comment, edited while the problems change. */
export async function answerBlockedRequest(port: GitHubPort, input: { number: number; labels: string[]; problems: ConfigProblem[] }): Promise<void> {
  const labels = defaultRequestLabels(input.labels);
  if (labels.length === 0) return;
  const body = [
    marker("config-problems", `pr-${input.number}`),
    `The backport asked for by ${joinWords(labels.map(code))} is on hold: ${code(".github/lts-steward.yml")} has problems, so lts-steward cannot tell which release lines to backport to.`,
    problemList(input.problems),
    "Once the config is fixed on the default branch, the daily run picks this PR up again (it looks back `automation.reconcileDays` days, 14 by default); or comment `/backport <selector>` then.",
  ].join("\n\n");
  await saveComment(port, { number: input.number, ref: { kind: "config-problems", key: `pr-${input.number}` }, body });
}

const REPO_REF = { kind: "config-problems", key: "repository" };
const TITLE = "lts-steward cannot read its config";

/** The daily tick's answer: one open issue while the config is invalid, closed once it reads again. */
export async function trackConfigProblems(port: GitHubPort, input: { problems: ConfigProblem[] | null; config?: Config }): Promise<void> {
  const label = input.config?.tracking.label ?? DEFAULTS.tracking.label;
  if (input.problems === null) {
    const open = await findOwnIssue(port, { ref: REPO_REF, label });
    if (open && open.state === "open") await saveIssue(port, { ref: REPO_REF, title: TITLE, body: open.body ?? "", labels: [label], close: true, found: open });
    return;
  }
  const found = await findOwnIssue(port, { ref: REPO_REF, label });
  // Broken again after a fix: the same record opens again.
  if (found && found.state === "closed") await port.updateIssue({ number: found.number, state: "open" });
  const body = [
    marker(REPO_REF.kind, REPO_REF.key),
    `${code(".github/lts-steward.yml")} on the default branch has problems, so lts-steward does nothing in this repository: no backports, no branch cuts, no schedule, no advisory tracking.`,
    problemList(input.problems),
    "The config check on a pull request that edits the file shows the same problems. This issue closes itself on the first daily run after the file is fixed.",
  ].join("\n\n");
  await saveIssue(port, { ref: REPO_REF, title: TITLE, body, labels: [label], found: found ? { ...found, state: "open" } : null });
}

/**
 * CI health of release branches: for the configured CI workflow (`automation.ciHealth.workflow`, else
 * `automation.ci.workflow`), each completed run on a supported or upcoming line's branch keeps one issue per
 * branch. A failure opens it (or reopens it, for a new episode) and each further failure updates its list; the
 * first success after the failures closes it with a comment. Runs are ordered by run number, so a delivery that
 * arrives late (an older run) changes nothing.
 */
import { z } from "zod";
import type { Config } from "../config/schema.js";
import type { ReleaseLine } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import { code, inline, safeUrl } from "../backport/render-summary.js";
import { embedState, marker } from "../state/markers.js";
import { readState } from "../state/read-state.js";
import { findOwnIssue, saveComment, saveIssue } from "../state/records.js";

export interface CompletedRun {
  /** The workflow file's path, `.github/workflows/main.yml`. */
  path: string;
  branch: string;
  /** GitHub's conclusion: success, failure, timed_out, cancelled, skipped… */
  conclusion: string;
  runId: number;
  runNumber: number;
  url: string;
  /** ISO 8601. */
  createdAt: string;
}

const FAILED = new Set(["failure", "timed_out", "startup_failure"]);
const KEPT = 20;
const text = z.string().max(2000);
const stateSchema = z.object({
  version: z.literal(1),
  ci: z.object({
    branch: text,
    workflow: text,
    lastRun: z.number().int(),
    failures: z.array(z.object({ runNumber: z.number().int(), url: text, conclusion: text, at: text })).max(KEPT),
  }),
});
type CiState = z.output<typeof stateSchema>["ci"];

/** The workflow whose runs are watched, or null. */
export function watchedWorkflow(config: Config): string | null {
  return config.automation.ciHealth?.workflow ?? config.automation.ci?.workflow ?? null;
}

const fileOf = (path: string) => path.split("/").pop() ?? path;
const ref = (branch: string) => ({ kind: "ci-health", key: branch });
const runLink = (f: { runNumber: number; url: string }) => (safeUrl(f.url) ? `[run ${f.runNumber}](${f.url})` : `run ${f.runNumber}`);

function render(state: CiState, open: boolean): { title: string; body: string } {
  const list = [...state.failures].reverse().map((f) => `- ${runLink(f)}: ${inline(f.conclusion)} (${inline(f.at)})`);
  const body = [
    marker("ci-health", state.branch),
    open
      ? `${code(state.workflow)} is failing on ${code(state.branch)}, a supported release branch. lts-steward updates this issue on each failed run and closes it when a run passes.`
      : `${code(state.workflow)} passes on ${code(state.branch)} again.`,
    `### Failed runs (newest first)\n\n${list.join("\n")}`,
    embedState({ version: 1, ci: state }),
  ].join("\n\n");
  return { title: `CI failing on ${state.branch}`, body };
}

export type CiHealthResult = "not-watched" | "not-a-release-branch" | "stale" | "failing" | "green" | "nothing";

export async function recordCiRun(port: GitHubPort, input: { config: Config; lines: ReleaseLine[]; run: CompletedRun }): Promise<CiHealthResult> {
  const { config, run } = input;
  const workflow = watchedWorkflow(config);
  if (!workflow || fileOf(run.path) !== fileOf(workflow)) return "not-watched";
  const line = input.lines.find((l) => l.branch === run.branch && (l.status === "supported" || l.status === "upcoming"));
  if (!line) return "not-a-release-branch";
  const failed = FAILED.has(run.conclusion);
  if (!failed && run.conclusion !== "success") return "nothing";
  const label = config.tracking.label;
  const found = await findOwnIssue(port, { ref: ref(run.branch), label });
  const previous = readState(found?.body ?? null, stateSchema)?.ci ?? null;
  if (previous && run.runNumber <= previous.lastRun) return "stale";
  if (failed) {
    // A new episode when the issue was closed (the branch had gone green): the list starts again.
    const episode = found?.state === "open" && previous ? previous.failures : [];
    const state: CiState = {
      branch: run.branch, workflow: fileOf(workflow), lastRun: run.runNumber,
      failures: [...episode, { runNumber: run.runNumber, url: run.url, conclusion: run.conclusion, at: run.createdAt }].slice(-KEPT),
    };
    const { title, body } = render(state, true);
    if (found && found.state === "closed") {
      await port.updateIssue({ number: found.number, title, body, state: "open" });
    } else {
      await saveIssue(port, { ref: ref(run.branch), title, body, labels: [label], found: found ?? null });
    }
    return "failing";
  }
  if (!found || found.state !== "open" || !previous) return "nothing";
  const state: CiState = { ...previous, lastRun: run.runNumber };
  // The comment first, then the close: a run that dies in between finds the comment and only closes.
  await saveComment(port, {
    number: found.number, ref: { kind: "ci-green", key: `${run.branch} ${run.runNumber}` },
    body: `${code(state.workflow)} passes on ${code(run.branch)} again (${runLink(run)}), so this issue is closed.`,
  });
  const { title, body } = render(state, false);
  await saveIssue(port, { ref: ref(run.branch), title, body, labels: [label], found, close: true });
  return "green";
}

/**
 * `/release <selector or lines>` on an advisory issue, or on any issue: dispatches the configured release
 * workflow (`release: { workflow, inputs }`) on every named supported line's branch at once, with the inputs
 * filled in per line (`{version}`, `{line}`, `{branch}`), and reports each dispatch. Lines that are not
 * supported are refused (nothing is dispatched); on an advisory's record a group selector keeps the
 * advisory's affected lines it picks, elsewhere every supported line of the group.
 */
import type { Config } from "../config/schema.js";
import { parseLineName } from "../engine/naming.js";
import { GROUP_SELECTORS, linesForGroup, type GroupSelector } from "../engine/selectors.js";
import type { Policy, ReleaseLine } from "../engine/types.js";
import { isGitHubError } from "../github/errors.js";
import type { GitHubPort } from "../github/port.js";
import { code, inline, lineAndBranch } from "../backport/render-summary.js";
import { marker } from "../state/markers.js";
import type { AdvisoryTracking } from "./types.js";

export type ReleaseConfig = NonNullable<Config["release"]>;

export interface ReleasePlanLine {
  branch: string;
  line: string;
  label: string;
  version: string;
  inputs: Record<string, string>;
}

export type ReleasePlan =
  | { ok: true; lines: ReleasePlanLine[]; skipped: { label: string; branch: string; why: string }[] }
  | { ok: false; problem: string };

const isGroup = (s: string): s is GroupSelector => (GROUP_SELECTORS as readonly string[]).includes(s);

function findLine(name: string, lines: ReleaseLine[], policy: Policy): ReleaseLine | undefined {
  const byBranch = lines.find((l) => l.branch === name);
  if (byBranch) return byBranch;
  const id = parseLineName(name, policy.granularity);
  return id ? lines.find((l) => l.major === id.major && l.minor === id.minor) : undefined;
}

/** `{version}`, `{line}` and `{branch}` in each input value, for one line. */
export function fillInputs(inputs: Record<string, string>, line: { version: string; line: string; branch: string }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([key, value]) => [key, value.replaceAll("{version}", line.version).replaceAll("{line}", line.line).replaceAll("{branch}", line.branch)]),
  );
}

/** Which branches `/release <words>` dispatches on, or why none. */
export function planRelease(options: { words: string[]; lines: ReleaseLine[]; policy: Policy; tracking: AdvisoryTracking | null; release: ReleaseConfig }): ReleasePlan {
  const { words, lines, policy, tracking } = options;
  if (words.length === 0) return { ok: false, problem: "name the lines to release, e.g. `/release security` or `/release 38 36`" };
  const affected = tracking ? new Set(tracking.rows.filter((r) => r.status !== "dismissed").map((r) => r.branch)) : null;
  const picked = new Map<string, ReleaseLine>();
  const skipped: { label: string; branch: string; why: string }[] = [];
  for (const word of words) {
    const name = word.toLowerCase();
    if (isGroup(name)) {
      for (const line of linesForGroup(name, lines, policy)) {
        if (affected && !affected.has(line.branch)) continue;
        if (line.status !== "supported") skipped.push({ label: line.label, branch: line.branch, why: `${line.status} line: no patch release` });
        else picked.set(line.branch, line);
      }
      continue;
    }
    const line = findLine(word, lines, policy);
    if (!line) return { ok: false, problem: `${word} is not a release line lts-steward knows` };
    if (line.status !== "supported") return { ok: false, problem: `${line.label} (${line.branch}) is not supported (${line.status}), so it gets no patch release` };
    picked.set(line.branch, line);
  }
  if (picked.size === 0) return { ok: false, problem: `no supported line${tracking ? " of this advisory" : ""} is named by ${words.join(" ")}` };
  const planned = [...picked.values()]
    .sort((a, b) => (a.major !== b.major ? b.major - a.major : (b.minor ?? 0) - (a.minor ?? 0)))
    .map((line): ReleasePlanLine => {
      const version = tracking?.rows.find((r) => r.branch === line.branch)?.nextPatch ?? line.nextPatch;
      return { branch: line.branch, line: line.line, label: line.label, version, inputs: fillInputs(options.release.inputs, { version, line: line.line, branch: line.branch }) };
    });
  return { ok: true, lines: planned, skipped };
}

export type DispatchResult = ReleasePlanLine & { dispatched: boolean; error: string | null };

/** Dispatches the workflow on every planned branch (all of them, even after one fails). */
export async function dispatchReleases(port: GitHubPort, release: ReleaseConfig, plan: ReleasePlanLine[]): Promise<DispatchResult[]> {
  return Promise.all(
    plan.map(async (line): Promise<DispatchResult> => {
      try {
        await port.dispatchWorkflow({ workflow: release.workflow, ref: line.branch, inputs: line.inputs });
        return { ...line, dispatched: true, error: null };
      } catch (error) {
        if (isGitHubError(error, "not-found") || isGitHubError(error, "invalid") || isGitHubError(error, "forbidden")) {
          return { ...line, dispatched: false, error: error instanceof Error ? error.message : String(error) };
        }
        throw error;
      }
    }),
  );
}

const reply = (commentId: number) => marker("reply", `comment-${commentId}`);

export function renderReleaseDispatched(options: { commentId: number; workflow: string; results: DispatchResult[]; skipped: { label: string; branch: string; why: string }[]; tracked?: boolean }): string {
  const items = options.results.map((r) => {
    const inputs = Object.entries(r.inputs).map(([k, v]) => `${k}=${v}`).join(", ");
    const what = `${lineAndBranch(r.label, r.branch)}: ${inline(r.version)}`;
    return r.dispatched ? `- ${what}: dispatched${inputs ? ` (${code(inputs)})` : ""}` : `- ${what}: **not dispatched**: ${inline(r.error ?? "unknown error")}`;
  });
  const skipped = options.skipped.map((s) => `- ${lineAndBranch(s.label, s.branch)}: ${inline(s.why)}`);
  return [
    reply(options.commentId),
    `Release workflow ${code(options.workflow)}:`,
    items.join("\n"),
    skipped.length > 0 ? `Not released:\n\n${skipped.join("\n")}` : null,
    options.tracked === false ? "Each run publishes its release." : "Each run publishes its release; lts-steward ticks the rows when the releases are published.",
  ].filter((p): p is string => p !== null).join("\n\n");
}

export function renderReleaseRefused(options: { commentId: number; problem: string }): string {
  return [reply(options.commentId), `Nothing was released: ${inline(options.problem)}.`].join("\n\n");
}

export function renderReleaseNotConfigured(commentId: number): string {
  return [
    reply(commentId),
    "Nothing was released: `/release` needs a release workflow in the config, e.g.\n\n```yaml\nrelease:\n  workflow: release-process.yml\n  inputs: { action: release-patch }\n```",
  ].join("\n\n");
}

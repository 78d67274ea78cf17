/**
 * Backport requests → targets, one selector at a time so that one bad selector does not hide the good
 * ones. Pure: the lines come from the engine.
 */
import { EngineError } from "../engine/errors.js";
import { GROUP_SELECTORS, resolveTargets, validSelectors, type SelectorPolicy } from "../engine/selectors.js";
import type { IsoDate, ReleaseLine, Target } from "../engine/types.js";
import type { SkippedLine } from "./types.js";

export interface SelectorProblem {
  selector: string;
  reason: string;
}

export interface ResolvedRequests {
  /** Newest line first. */
  targets: Target[];
  /** Lines worth naming as not backported: live lines not selected, lines named but refused, the latest line past its end. */
  skipped: SkippedLine[];
  /** Selectors that pick nothing: unknown names, or lines at end of support or not cut yet. */
  problems: SelectorProblem[];
  /** What a person may type today. */
  valid: string[];
}

const isGroup = (selector: string) => (GROUP_SELECTORS as readonly string[]).includes(selector.toLowerCase());

export function resolveRequests(input: { lines: ReleaseLine[]; selectors: string[]; on: IsoDate; policy: SelectorPolicy }): ResolvedRequests {
  const { lines, on, policy } = input;
  const targets = new Map<string, Target>();
  const skipped = new Map<string, SkippedLine>();
  const problems: SelectorProblem[] = [];
  const selectors = [...new Map(input.selectors.map((s) => [s.toLowerCase(), s])).values()];
  for (const selector of selectors) {
    try {
      const result = resolveTargets({ lines, selectors: [selector], on, policy });
      for (const target of result.targets) {
        const known = targets.get(target.branch);
        targets.set(target.branch, known ? { ...known, reason: `${known.reason}; ${target.reason}` } : target);
      }
      for (const s of result.skipped) {
        const line = lines.find((l) => l.line === s.line);
        const named = !isGroup(selector);
        if (named) problems.push({ selector, reason: `${s.branch} is not supported: ${s.reason}` });
        if (named || s.status === "supported" || s.status === "upcoming") skipped.set(s.branch, { branch: s.branch, line: s.line, label: (line ?? s).label, reason: s.reason });
      }
    } catch (error) {
      if (!(error instanceof EngineError) || error.detail.code !== "unknown-selector") throw error;
      problems.push({ selector, reason: `"${selector}" is neither a selector nor a release line or branch` });
    }
  }
  const lastEnded = lines.filter((l) => l.status === "end-of-support").at(-1);
  if (lastEnded && targets.size > 0 && !skipped.has(lastEnded.branch)) {
    skipped.set(lastEnded.branch, { branch: lastEnded.branch, line: lastEnded.line, label: lastEnded.label, reason: lastEnded.reason });
  }
  for (const branch of targets.keys()) skipped.delete(branch);
  const order = (branch: string) => -lines.findIndex((l) => l.branch === branch);
  return {
    targets: [...targets.values()].sort((a, b) => order(a.branch) - order(b.branch)),
    skipped: [...skipped.values()].sort((a, b) => order(a.branch) - order(b.branch)),
    problems,
    valid: validSelectors(lines),
  };
}


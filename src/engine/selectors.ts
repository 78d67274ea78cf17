/** Selectors → targets: which branches a fix goes to, and why the others are left out. */
import { EngineError } from "./errors.js";
import { parseLineName } from "./naming.js";
import type { BaseSelector, IsoDate, LineGranularity, ReleaseLine, Skipped, Target, TargetResult } from "./types.js";

export const GROUP_SELECTORS = ["security", "supported", "lts", "current", "upcoming"] as const;
export type GroupSelector = (typeof GROUP_SELECTORS)[number];

export interface SelectorPolicy {
  granularity: LineGranularity;
  security: BaseSelector[];
}

const isGroup = (s: string): s is GroupSelector => (GROUP_SELECTORS as readonly string[]).includes(s);

/** The lines a group selector picks, given the lines' state on the query day. */
export function linesForGroup(group: GroupSelector, lines: ReleaseLine[], policy: SelectorPolicy): ReleaseLine[] {
  switch (group) {
    case "supported":
      return lines.filter((l) => l.status === "supported");
    case "lts":
      return lines.filter((l) => l.status === "supported" && l.kind === "lts");
    case "upcoming":
      return lines.filter((l) => l.status === "upcoming");
    case "current": {
      const current = lines.filter((l) => l.status === "supported").at(-1);
      return current ? [current] : [];
    }
    case "security": {
      const keys = new Set(policy.security.flatMap((s) => linesForGroup(s, lines, policy)).map((l) => l.line));
      return lines.filter((l) => keys.has(l.line));
    }
  }
}

/** Finds the line a non-group selector names: a branch name or a line (`36`, `36.x`, `1.4.x`). */
function findNamedLine(selector: string, lines: ReleaseLine[], granularity: LineGranularity): ReleaseLine | undefined {
  const byBranch = lines.find((l) => l.branch === selector);
  if (byBranch) return byBranch;
  const id = parseLineName(selector, granularity);
  return id ? lines.find((l) => l.major === id.major && l.minor === id.minor) : undefined;
}

/** Selectors a user may type on the query day: the groups, then live branches and lines. */
export function validSelectors(lines: ReleaseLine[]): string[] {
  const live = lines.filter((l) => l.status === "supported" || l.status === "upcoming").reverse();
  return [...GROUP_SELECTORS, ...live.map((l) => l.branch), ...live.map((l) => l.line)];
}

function skipReason(line: ReleaseLine, selectors: string[]): string {
  switch (line.status) {
    case "end-of-support":
      return `end of support ${line.endOfSupport}`;
    case "projected":
      return line.reason;
    case "upcoming":
      return `upcoming line, not selected by ${selectors.join(" ")}`;
    case "supported":
      return `supported ${line.kind === "lts" ? "LTS" : "regular"} line, not selected by ${selectors.join(" ")}`;
  }
}

function toTarget(line: ReleaseLine, pickedBy: string[]): Target {
  return {
    branch: line.branch,
    line: line.line,
    label: line.label,
    kind: line.kind,
    status: line.status,
    endOfSupport: line.endOfSupport,
    reason: `${pickedBy.join(", ")}: ${line.reason}`,
    nextPatch: line.nextPatch,
    latest: line.latest,
  };
}

/**
 * Resolves selectors to targets (newest line first). Group selectors leave out every other known line
 * with its reason; named lines at end of support (or not cut yet) are left out with theirs. An unknown
 * selector is an error that lists the valid ones.
 */
export function resolveTargets(input: { lines: ReleaseLine[]; selectors: string[]; on: IsoDate; policy: SelectorPolicy }): TargetResult {
  const { lines, policy, on } = input;
  const selectors = input.selectors.map((s) => s.trim()).filter((s) => s.length > 0);
  const picked = new Map<string, string[]>();
  const refused = new Map<string, ReleaseLine>();
  let anyGroup = false;
  for (const raw of selectors) {
    const selector = isGroup(raw.toLowerCase()) ? raw.toLowerCase() : raw;
    if (isGroup(selector)) {
      anyGroup = true;
      for (const line of linesForGroup(selector, lines, policy)) picked.set(line.line, [...(picked.get(line.line) ?? []), selector]);
      continue;
    }
    const line = findNamedLine(selector, lines, policy.granularity);
    if (!line) throw new EngineError({ code: "unknown-selector", selector, valid: validSelectors(lines) });
    if (line.status === "supported" || line.status === "upcoming") {
      picked.set(line.line, [...(picked.get(line.line) ?? []), selector]);
    } else {
      refused.set(line.line, line);
    }
  }
  const newestFirst = [...lines].reverse();
  const targets = newestFirst.filter((l) => picked.has(l.line)).map((l) => toTarget(l, picked.get(l.line) ?? []));
  const skipped: Skipped[] = newestFirst
    .filter((l) => !picked.has(l.line) && (refused.has(l.line) || (anyGroup && l.status !== "projected")))
    .map((l) => ({ branch: l.branch, line: l.line, label: l.label, status: l.status, reason: skipReason(l, selectors) }));
  return { on, selectors, targets, skipped };
}

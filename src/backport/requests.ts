/**
 * Where backport requests come from: the PR's live labels (`backport:<selector>`, and labels that imply a
 * selector, like `security`) and `/backport <selector…>` comments from people allowed to ask.
 */
import type { Permission } from "../github/types.js";
import type { BackportRequest } from "./types.js";

export interface RequestRules {
  labelPrefix: string;
  /** Label → the selectors it implies (`security` → [`security`]). Matched case-insensitively. */
  implied: Record<string, string[]>;
}

/** The most selectors one `/backport` command may name (a group selector names many lines at once); a longer one is rejected. */
export const MAX_SELECTORS = 20;

/** The most fixes one combined `/backport … #a #b` may name. */
export const MAX_SOURCES = 20;

/**
 * The selectors of a `/backport` command and the fixes it names (`#12`: combine these PRs' backports), or
 * null when the comment is not one. Only the first line counts.
 */
export function parseBackportCommand(body: string): { selectors: string[]; sources: number[] } | null {
  const first = body.trimStart().split(/\r?\n/, 1)[0] ?? "";
  const match = /^\/backport(?:\s+(.*))?$/i.exec(first.trim());
  if (!match) return null;
  const words = (match[1] ?? "").split(/[\s,]+/).filter((s) => s.length > 0);
  const isSource = (w: string) => /^#\d{1,9}$/.test(w);
  return { selectors: words.filter((w) => !isSource(w)), sources: [...new Set(words.filter(isSource).map((w) => Number(w.slice(1))))] };
}

export function requestsFromLabels(labels: string[], rules: RequestRules): BackportRequest[] {
  const requests: BackportRequest[] = [];
  const implied = new Map(Object.entries(rules.implied).map(([label, selectors]) => [label.toLowerCase(), selectors]));
  for (const label of labels) {
    if (label.toLowerCase().startsWith(rules.labelPrefix.toLowerCase())) {
      const selector = label.slice(rules.labelPrefix.length).trim();
      if (selector) requests.push({ selector, via: `label ${label}` });
    }
    for (const selector of implied.get(label.toLowerCase()) ?? []) requests.push({ selector, via: `label ${label}` });
  }
  return requests;
}

const RANK: Record<Permission, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** Whether `permission` is at least `required` (GitHub's roles are ordered: read < triage < write < maintain < admin). */
export const permits = (permission: Permission, required: Permission) => RANK[permission] >= RANK[required];

/** The roles that may ask, for messages: `write, maintain or admin`. */
export function rolesAtLeast(required: Permission): Permission[] {
  return (Object.keys(RANK) as Permission[]).filter((p) => RANK[p] >= RANK[required]);
}

/** The distinct selectors asked for, in first-asked order (case-insensitive for group selectors). */
export function selectorsOf(requests: BackportRequest[]): string[] {
  const seen = new Map<string, string>();
  for (const r of requests) if (!seen.has(r.selector.toLowerCase())) seen.set(r.selector.toLowerCase(), r.selector);
  return [...seen.values()];
}

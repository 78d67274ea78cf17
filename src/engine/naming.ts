/** How lines, branches and tags are named: patterns with `{major}`, `{minor}` and `{version}`. */
import semver from "semver";
import { EngineError } from "./errors.js";
import type { LineGranularity } from "./types.js";

export interface LineId {
  major: number;
  minor: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Majors and minors of lines have at most 9 digits (999,999,999): exact as numbers, and far beyond any project's. */
export const MAX_LINE_NUMBER = 999_999_999;
const NUMBER = "(0|[1-9]\\d{0,8})";

export function compilePattern(pattern: string, placeholders: string[]): RegExp {
  const parts = pattern.split(/(\{[a-z]+\})/);
  const seen = new Set<string>();
  const source = parts
    .map((part) => {
      const name = /^\{([a-z]+)\}$/.exec(part)?.[1];
      if (name && placeholders.includes(name)) {
        // A placeholder used twice matches the same text twice (a second named group would be a SyntaxError).
        if (seen.has(name)) return `\\k<${name}>`;
        seen.add(name);
        return name === "version" ? "(?<version>.+)" : `(?<${name}>${NUMBER.slice(1, -1)})`;
      }
      return escapeRegExp(part);
    })
    .join("");
  return new RegExp(`^${source}$`);
}

export function lineKey(id: LineId, granularity: LineGranularity): string {
  return granularity === "major" ? String(id.major) : `${id.major}.${id.minor}`;
}

export function compareLines(a: LineId, b: LineId): number {
  return a.major - b.major || a.minor - b.minor;
}

export function lineOfVersion(version: string, granularity: LineGranularity): LineId {
  const parsed = semver.parse(version);
  if (!parsed) throw new EngineError({ code: "bad-version", value: version });
  return { major: parsed.major, minor: granularity === "major" ? 0 : parsed.minor };
}

/** The versions a line covers, as a semver range, e.g. `>=36.0.0 <37.0.0-0`. */
export function lineRange(id: LineId, granularity: LineGranularity): string {
  return granularity === "major"
    ? `>=${id.major}.0.0 <${id.major + 1}.0.0-0`
    : `>=${id.major}.${id.minor}.0 <${id.major}.${id.minor + 1}.0-0`;
}

/** `36.0.x` or `1.4.x`: how people write a line in prose. */
export function lineLabel(id: LineId, granularity: LineGranularity): string {
  return granularity === "major" ? `${id.major}.0.x` : `${id.major}.${id.minor}.x`;
}

export function firstVersion(id: LineId): string {
  return `${id.major}.${id.minor}.0`;
}

/** The next line after `id`: the next major, or the next minor of the same major. */
export function nextLine(id: LineId, granularity: LineGranularity): LineId {
  return granularity === "major" ? { major: id.major + 1, minor: 0 } : { major: id.major, minor: id.minor + 1 };
}

/**
 * Parses a line as people write it: `36`, `36.x`, `36.0`, `36.0.x` for major lines; `1.4`, `1.4.x` for
 * minor lines. Returns null for anything else.
 */
export function parseLineName(text: string, granularity: LineGranularity): LineId | null {
  const match = /^v?(0|[1-9]\d{0,8})(?:\.(0|[1-9]\d{0,8}|x))?(?:\.x)?$/.exec(text.trim());
  if (!match) return null;
  const major = Number(match[1]);
  const second = match[2];
  if (granularity === "major") {
    if (second !== undefined && second !== "x" && second !== "0") return null;
    return { major, minor: 0 };
  }
  if (second === undefined || second === "x") return null;
  return { major, minor: Number(second) };
}

export class Naming {
  private readonly branchRe: RegExp;
  private readonly tagRe: RegExp;

  constructor(
    readonly granularity: LineGranularity,
    private readonly branchPattern: string,
    tagPattern: string,
  ) {
    this.branchRe = compilePattern(branchPattern, ["major", "minor"]);
    this.tagRe = compilePattern(tagPattern, ["version"]);
  }

  branchOf(id: LineId): string {
    return this.branchPattern.replaceAll("{major}", String(id.major)).replaceAll("{minor}", String(id.minor));
  }

  /** The line a branch name belongs to, or null if the name does not follow the pattern. */
  lineOfBranch(name: string): LineId | null {
    const groups = this.branchRe.exec(name)?.groups;
    if (!groups || groups.major === undefined) return null;
    const minor = this.granularity === "minor" ? Number(groups.minor ?? NaN) : 0;
    if (Number.isNaN(minor)) return null;
    return { major: Number(groups.major), minor };
  }

  /** The release version a tag names, or null for tags that are not releases (other prefixes, `-rc.N`). */
  versionOfTag(tag: string): string | null {
    const version = this.tagRe.exec(tag)?.groups?.version;
    return version !== undefined ? releaseVersion(version) : null;
  }

  key(id: LineId): string {
    return lineKey(id, this.granularity);
  }
}

/** A clean, final semver version (no prerelease, a major and minor of at most 9 digits), or null. */
export function releaseVersion(text: string): string | null {
  const parsed = semver.parse(text);
  if (!parsed || parsed.prerelease.length > 0 || parsed.raw !== text) return null;
  if (parsed.major > MAX_LINE_NUMBER || parsed.minor > MAX_LINE_NUMBER) return null;
  return parsed.version;
}

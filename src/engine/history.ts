/** Folds a release history into per-line facts: which lines exist, their releases and branches. */
import semver from "semver";
import { compareLines, lineOfVersion, releaseVersion, type LineId, type Naming } from "./naming.js";
import type { IsoDate, ReleaseHistory } from "./types.js";

export interface LineFacts {
  id: LineId;
  key: string;
  /** Final releases of the line, any date. */
  releases: { version: string; date: IsoDate }[];
  branch: { name: string; createdAt: IsoDate | null } | null;
}

/**
 * Groups releases and pattern-matching branches by line, in line order. Versions that are not final
 * releases (prereleases, garbage) and branches that do not follow the pattern are ignored.
 */
export function groupHistory(history: ReleaseHistory, naming: Naming): LineFacts[] {
  const byKey = new Map<string, LineFacts>();
  const factsFor = (id: LineId): LineFacts => {
    const key = naming.key(id);
    let facts = byKey.get(key);
    if (!facts) {
      facts = { id, key, releases: [], branch: null };
      byKey.set(key, facts);
    }
    return facts;
  };
  for (const release of history.releases) {
    const version = releaseVersion(release.version);
    if (!version) continue;
    factsFor(lineOfVersion(version, naming.granularity)).releases.push({ version, date: release.date });
  }
  for (const branch of history.branches) {
    const id = naming.lineOfBranch(branch.name);
    if (!id) continue;
    const facts = factsFor(id);
    const createdAt = branch.createdAt ?? null;
    // Two names for one line (e.g. a local and a remote copy): keep the earliest known cut.
    if (!facts.branch || (createdAt !== null && (facts.branch.createdAt === null || createdAt < facts.branch.createdAt))) {
      facts.branch = { name: branch.name, createdAt };
    }
  }
  return [...byKey.values()].sort((a, b) => compareLines(a.id, b.id));
}

/** The line's state as of a day: its first release, latest version and every version on or before `on`. */
export function releasedAsOf(facts: LineFacts, on: IsoDate): { released: IsoDate | null; latest: string | null; versions: string[] } {
  let released: IsoDate | null = null;
  const versions = new Set<string>();
  for (const release of facts.releases) {
    if (release.date > on) continue;
    if (released === null || release.date < released) released = release.date;
    versions.add(release.version);
  }
  const sorted = [...versions].sort(semver.compare);
  return { released, latest: sorted.at(-1) ?? null, versions: sorted };
}

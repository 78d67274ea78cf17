/** GitHub releases for the version tags of a repository, the way a project that releases from tags has them. */
import semver from "semver";

export interface SeedRelease {
  tagName: string;
  /** The semver version inside the tag name (`36.0.0`, `37.0.0-rc.1`). */
  version: string;
  /** ISO 8601, UTC. */
  publishedAt: string;
  prerelease: boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Tags whose name is `tagPattern` with `{version}` replaced by a semver version become releases, dated by
 * the tag's date (tags without a date are left out). Sorted by date, then version.
 */
export function releasesFromTags(options: {
  tags: { name: string; date: string | null }[];
  tagPattern?: string;
}): SeedRelease[] {
  const pattern = options.tagPattern ?? "v{version}";
  const [before = "", after = ""] = pattern.split("{version}");
  const matcher = new RegExp(`^${escapeRegExp(before)}(.+)${escapeRegExp(after)}$`);
  const releases: SeedRelease[] = [];
  for (const tag of options.tags) {
    const version = matcher.exec(tag.name)?.[1];
    // Strict: `vv1.2.3` or `v=1.2.3` are not versions even though semver's parser forgives them.
    if (version === undefined || !/^\d/.test(version) || semver.valid(version) === null || tag.date === null) continue;
    releases.push({ tagName: tag.name, version, publishedAt: tag.date, prerelease: semver.prerelease(version) !== null });
  }
  return releases.sort((a, b) =>
    a.publishedAt !== b.publishedAt ? (a.publishedAt < b.publishedAt ? -1 : 1) : semver.compare(a.version, b.version),
  );
}

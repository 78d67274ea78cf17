/** Release lines as JSON close to endoflife.date's release records, plus our own fields. */
import type { ReleaseLine } from "../types.js";

export interface ReleaseCycle {
  releaseCycle: string;
  branch: string;
  releaseDate: string | null;
  lts: boolean;
  eol: string | null;
  latest: string | null;
  status: ReleaseLine["status"];
  nominalReleaseDate: string | null;
  branchCutDate: string | null;
  eolBasis: string;
  eolProjected: boolean;
}

export function toReleaseCycles(lines: ReleaseLine[]): ReleaseCycle[] {
  return [...lines].reverse().map((l) => ({
    releaseCycle: l.line,
    branch: l.branch,
    releaseDate: l.released,
    lts: l.kind === "lts",
    eol: l.endOfSupport,
    latest: l.latest,
    status: l.status,
    nominalReleaseDate: l.nominalRelease,
    branchCutDate: l.branchCreatedAt ?? l.nominalCut,
    eolBasis: l.endOfSupportBasis,
    eolProjected: l.endOfSupportProjected,
  }));
}

/**
 * A line as an endoflife.date product's release entry (the `releases:` list of a product page's front
 * matter): `releaseCycle`, `releaseDate`, `lts`, `eol` (a date, or false while it cannot be known yet),
 * `latest`. Only released lines: endoflife.date lists a cycle from its first release on.
 */
export interface EndOfLifeRelease {
  releaseCycle: string;
  releaseDate: string;
  lts: boolean;
  eol: string | false;
  latest: string | null;
}

/** Released lines, newest first, as endoflife.date release entries. */
export function toEndOfLifeReleases(lines: ReleaseLine[]): EndOfLifeRelease[] {
  return lines
    .filter((l): l is ReleaseLine & { released: string } => l.released !== null)
    .sort((a, b) => b.major - a.major || b.minor - a.minor)
    .map((l) => ({ releaseCycle: l.line, releaseDate: l.released, lts: l.kind === "lts", eol: l.endOfSupport ?? false, latest: l.latest }));
}

/** The entries as the YAML endoflife.date's product pages use: quoted cycles and versions, bare dates. */
export function renderEndOfLifeYaml(releases: EndOfLifeRelease[]): string {
  const entry = (r: EndOfLifeRelease) => [
    `  - releaseCycle: "${r.releaseCycle}"`,
    `    releaseDate: ${r.releaseDate}`,
    `    lts: ${r.lts}`,
    `    eol: ${r.eol}`,
    ...(r.latest ? [`    latest: "${r.latest}"`] : []),
  ].join("\n");
  return ["releases:", ...releases.map(entry)].join("\n");
}

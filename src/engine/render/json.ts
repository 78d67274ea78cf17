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

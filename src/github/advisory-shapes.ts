/** GitHub's advisory JSON (repository advisories and the global database) → our `Advisory`. */
import type { Advisory, AdvisoryVulnerability } from "../advisory/types.js";

interface RawVulnerability {
  package?: { ecosystem?: string | null; name?: string | null } | null;
  vulnerable_version_range?: string | null;
  /** Repository advisories. */
  patched_versions?: string | null;
  /** Global advisories (and `security_advisory` webhooks). */
  first_patched_version?: { identifier?: string | null } | string | null;
  vulnerable_functions?: string[] | null;
}

export interface RawAdvisory {
  ghsa_id: string;
  cve_id?: string | null;
  identifiers?: { type: string; value: string }[] | null;
  summary: string;
  state?: string | null;
  published_at?: string | null;
  withdrawn_at?: string | null;
  html_url?: string | null;
  vulnerabilities?: RawVulnerability[] | null;
}

function patchedOf(raw: RawVulnerability): string | null {
  if (raw.patched_versions) return raw.patched_versions;
  const first = raw.first_patched_version;
  if (!first) return null;
  return typeof first === "string" ? first : first.identifier ?? null;
}

/** Vulnerabilities without a package name or range cannot be matched to lines and are left out. */
export function fromAdvisory(raw: RawAdvisory): Advisory {
  const vulnerabilities = (raw.vulnerabilities ?? []).flatMap((v): AdvisoryVulnerability[] => {
    const name = v.package?.name;
    const range = v.vulnerable_version_range;
    if (!name || !range) return [];
    const functions = Array.isArray(v.vulnerable_functions) ? v.vulnerable_functions.filter((f): f is string => typeof f === "string") : [];
    return [{ package: { ecosystem: (v.package?.ecosystem ?? "").toLowerCase(), name }, vulnerableRange: range, patched: patchedOf(v), ...(functions.length > 0 ? { functions } : {}) }];
  });
  const cve = raw.cve_id ?? raw.identifiers?.find((i) => i.type === "CVE")?.value ?? null;
  return {
    ghsaId: raw.ghsa_id,
    cveId: cve,
    summary: raw.summary,
    state: raw.withdrawn_at ? "withdrawn" : (raw.state ?? "published"),
    publishedAt: raw.published_at ?? null,
    htmlUrl: raw.html_url ?? null,
    vulnerabilities,
  };
}

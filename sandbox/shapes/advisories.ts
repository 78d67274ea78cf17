/** `repository-advisory` (REST and the `repository_advisory` webhook) and the global advisory of `security_advisory`. */
import type { AdvisoryRecord, AdvisoryVulnerability, RepoRecord } from "../state/types.js";
import { repoApiUrl, repoWebUrl, type JsonObject, type ShapeContext } from "./context.js";
import { userJson } from "./users.js";

function identifiers(advisory: AdvisoryRecord): JsonObject[] {
  const ids: JsonObject[] = [{ type: "GHSA", value: advisory.ghsaId }];
  if (advisory.cveId !== null) ids.push({ type: "CVE", value: advisory.cveId });
  return ids;
}

export function repositoryAdvisoryJson(ctx: ShapeContext, repo: RepoRecord, advisory: AdvisoryRecord): JsonObject {
  return {
    ghsa_id: advisory.ghsaId,
    cve_id: advisory.cveId,
    url: `${repoApiUrl(ctx, repo)}/security-advisories/${advisory.ghsaId}`,
    html_url: `${repoWebUrl(ctx, repo)}/security/advisories/${advisory.ghsaId}`,
    summary: advisory.summary,
    description: advisory.description,
    severity: advisory.severity,
    author: userJson(ctx, advisory.author),
    publisher: advisory.publisher ? userJson(ctx, advisory.publisher) : null,
    identifiers: identifiers(advisory),
    state: advisory.state,
    created_at: advisory.createdAt,
    updated_at: advisory.updatedAt,
    published_at: advisory.publishedAt,
    closed_at: advisory.closedAt,
    withdrawn_at: advisory.withdrawnAt,
    // Only privately reported advisories have a submission; one still in triage has not been accepted yet.
    submission: advisory.state === "triage" ? { accepted: false } : null,
    vulnerabilities: advisory.vulnerabilities.map((v) => ({
      package: { ecosystem: v.package.ecosystem, name: v.package.name },
      vulnerable_version_range: v.vulnerableVersionRange,
      patched_versions: v.patchedVersions,
      vulnerable_functions: v.vulnerableFunctions,
    })),
    cvss: { vector_string: null, score: null },
    cwes: [],
    cwe_ids: [],
    credits: [],
    credits_detailed: [],
    collaborating_users: [],
    collaborating_teams: [],
    private_fork: null,
  };
}

/** "1.4.2, 2.0.1" or ">= 1.4.2" → "1.4.2": the global advisory names one first patched version per entry. */
function firstPatched(vulnerability: AdvisoryVulnerability): JsonObject | null {
  const first = vulnerability.patchedVersions?.split(",")[0]?.replace(/^[\s<>=~^v]+/, "").trim();
  return first ? { identifier: first } : null;
}

/**
 * The `security_advisory` webhook's advisory. Its schema wants strings where the record may hold null
 * (severity, package name, range, publication time), so those fall back to GitHub's own placeholders.
 */
export function globalAdvisoryJson(ctx: ShapeContext, advisory: AdvisoryRecord): JsonObject {
  const severity = advisory.severity ?? "unknown";
  return {
    ghsa_id: advisory.ghsaId,
    cve_id: advisory.cveId,
    summary: advisory.summary,
    description: advisory.description,
    severity,
    identifiers: identifiers(advisory).map((id) => ({ value: id["value"], type: id["type"] })),
    references: [{ url: `${ctx.webUrl}/advisories/${advisory.ghsaId}` }],
    published_at: advisory.publishedAt ?? advisory.createdAt,
    updated_at: advisory.updatedAt,
    withdrawn_at: advisory.withdrawnAt,
    vulnerabilities: advisory.vulnerabilities.map((v) => ({
      package: { ecosystem: v.package.ecosystem, name: v.package.name ?? "" },
      severity,
      vulnerable_version_range: v.vulnerableVersionRange ?? "",
      first_patched_version: firstPatched(v),
    })),
    cvss: { vector_string: null, score: 0 },
    cwes: [],
  };
}

/**
 * `fromAdvisory`: GitHub's advisory JSON → the App's `Advisory`. Repository advisories come from the
 * sandbox's shape (the same JSON the sandbox serves for `GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}`);
 * global ones from the sandbox's `security_advisory` shape and from a literal following GitHub's docs.
 */
import { fromAdvisory, type RawAdvisory } from "../../src/github/advisory-shapes.js";
import { globalAdvisoryJson, repositoryAdvisoryJson } from "../../sandbox/shapes/index.js";
import type { AdvisoryRecord } from "../../sandbox/state/types.js";
import { makeWorld } from "../sandbox/records.js";

const w = makeWorld();
const { ctx, repo } = w;

const record = (fields: Partial<AdvisoryRecord> = {}): AdvisoryRecord => ({
  ghsaId: "GHSA-4mq4-7rw3-vm5j",
  cveId: "CVE-2025-64345",
  summary: "Use-after-free in the pooling allocator",
  description: "Reusing a slot after a trap could read freed memory.",
  severity: "critical",
  state: "published",
  vulnerabilities: [
    { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableVersionRange: ">= 36.0.0, < 36.0.4", patchedVersions: "36.0.4", vulnerableFunctions: [] },
    { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableVersionRange: ">= 38.0.0, < 38.0.2", patchedVersions: "38.0.2", vulnerableFunctions: [] },
  ],
  author: w.contributor,
  publisher: w.maintainer,
  createdAt: "2025-11-01T08:00:00Z",
  updatedAt: "2025-11-10T12:00:00Z",
  publishedAt: "2025-11-10T12:00:00Z",
  closedAt: null,
  withdrawnAt: null,
  ...fields,
});

const repository = (fields: Partial<AdvisoryRecord> = {}) => fromAdvisory(repositoryAdvisoryJson(ctx, repo, record(fields)) as unknown as RawAdvisory);

describe("a repository advisory", () => {
  test("comes out whole: id, CVE, summary, state, publication, page and each vulnerability with its patched versions", () => {
    expect(repository()).toEqual({
      ghsaId: "GHSA-4mq4-7rw3-vm5j",
      cveId: "CVE-2025-64345",
      summary: "Use-after-free in the pooling allocator",
      state: "published",
      publishedAt: "2025-11-10T12:00:00Z",
      htmlUrl: `${ctx.webUrl}/bytecodealliance/wasmtime/security/advisories/GHSA-4mq4-7rw3-vm5j`,
      vulnerabilities: [
        { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 36.0.0, < 36.0.4", patched: "36.0.4" },
        { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 38.0.0, < 38.0.2", patched: "38.0.2" },
      ],
    });
  });

  test("a draft or one in triage keeps its state (the App treats it as under embargo)", () => {
    expect(repository({ state: "draft", publishedAt: null })).toMatchObject({ state: "draft", publishedAt: null });
    expect(repository({ state: "triage", publishedAt: null })).toMatchObject({ state: "triage" });
  });

  test("a withdrawn one is withdrawn, whatever its state says", () => {
    expect(repository({ state: "published", withdrawnAt: "2025-11-12T08:00:00Z" }).state).toBe("withdrawn");
  });

  test("no CVE: null", () => {
    expect(repository({ cveId: null }).cveId).toBeNull();
  });

  test("vulnerabilities without a package name or a range are left out; unknown patched versions are null", () => {
    const advisory = repository({
      vulnerabilities: [
        { package: { ecosystem: "rust", name: null }, vulnerableVersionRange: ">= 1.0.0", patchedVersions: null, vulnerableFunctions: [] },
        { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableVersionRange: null, patchedVersions: "38.0.2", vulnerableFunctions: [] },
        { package: { ecosystem: "rust", name: "wasmtime-wasi" }, vulnerableVersionRange: "< 38.0.2", patchedVersions: null, vulnerableFunctions: [] },
      ],
    });
    expect(advisory.vulnerabilities).toEqual([{ package: { ecosystem: "rust", name: "wasmtime-wasi" }, vulnerableRange: "< 38.0.2", patched: null }]);
  });

  test("a reported advisory whose only vulnerability is still blank has none", () => {
    expect(fromAdvisory(repositoryAdvisoryJson(ctx, repo, w.reported) as unknown as RawAdvisory)).toMatchObject({
      ghsaId: "GHSA-7r2f-x3c4-pq9m",
      state: "triage",
      vulnerabilities: [],
    });
  });

  test("ecosystems are lower-cased; package names are kept as written", () => {
    const advisory = repository({
      vulnerabilities: [{ package: { ecosystem: "Rust", name: "Wasmtime" }, vulnerableVersionRange: "< 38.0.2", patchedVersions: "38.0.2", vulnerableFunctions: [] }],
    });
    expect(advisory.vulnerabilities.map((v) => v.package)).toEqual([{ ecosystem: "rust", name: "Wasmtime" }]);
  });
});

describe("a global advisory", () => {
  test("from the security_advisory shape: the first patched version, and no page of its own", () => {
    expect(fromAdvisory(globalAdvisoryJson(ctx, record()) as unknown as RawAdvisory)).toEqual({
      ghsaId: "GHSA-4mq4-7rw3-vm5j",
      cveId: "CVE-2025-64345",
      summary: "Use-after-free in the pooling allocator",
      state: "published",
      publishedAt: "2025-11-10T12:00:00Z",
      htmlUrl: null,
      vulnerabilities: [
        { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 36.0.0, < 36.0.4", patched: "36.0.4" },
        { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 38.0.0, < 38.0.2", patched: "38.0.2" },
      ],
    });
  });

  test("the sandbox's placeholders for a blank package name and range (empty strings) are left out", () => {
    expect(fromAdvisory(globalAdvisoryJson(ctx, w.reported) as unknown as RawAdvisory).vulnerabilities).toEqual([]);
  });

  /** As GitHub documents the global advisory: the CVE among `identifiers`, `first_patched_version: { identifier }`. */
  const literal = (fields: Partial<RawAdvisory> = {}): RawAdvisory => ({
    ghsa_id: "GHSA-wv5r-9pq5-xr5h",
    summary: "Host panic on a malformed component",
    identifiers: [
      { type: "GHSA", value: "GHSA-wv5r-9pq5-xr5h" },
      { type: "CVE", value: "CVE-2025-61670" },
    ],
    published_at: "2025-10-14T17:00:00Z",
    withdrawn_at: null,
    html_url: "https://github.com/advisories/GHSA-wv5r-9pq5-xr5h",
    vulnerabilities: [
      { package: { ecosystem: "RUST", name: "wasmtime" }, vulnerable_version_range: ">= 37.0.0, < 37.0.2", first_patched_version: { identifier: "37.0.2" } },
      { package: { ecosystem: "npm", name: "@bytecodealliance/jco" }, vulnerable_version_range: "< 1.15.1", first_patched_version: "1.15.1" },
      { package: { ecosystem: "pip", name: "wasmtime" }, vulnerable_version_range: "< 37.0.2", first_patched_version: null },
      { package: null, vulnerable_version_range: "< 1.0.0", first_patched_version: { identifier: "1.0.0" } },
      { package: { ecosystem: "rust", name: "cranelift-codegen" }, first_patched_version: { identifier: "0.124.2" } },
    ],
    ...fields,
  });

  test("the CVE is taken from its identifiers; no state means published", () => {
    const advisory = fromAdvisory(literal());
    expect(advisory).toMatchObject({
      ghsaId: "GHSA-wv5r-9pq5-xr5h",
      cveId: "CVE-2025-61670",
      state: "published",
      publishedAt: "2025-10-14T17:00:00Z",
      htmlUrl: "https://github.com/advisories/GHSA-wv5r-9pq5-xr5h",
    });
  });

  test("a cve_id wins over the identifiers; without either there is no CVE", () => {
    expect(fromAdvisory(literal({ cve_id: "CVE-2025-00001" })).cveId).toBe("CVE-2025-00001");
    expect(fromAdvisory(literal({ identifiers: [{ type: "GHSA", value: "GHSA-wv5r-9pq5-xr5h" }] })).cveId).toBeNull();
    expect(fromAdvisory(literal({ identifiers: null })).cveId).toBeNull();
  });

  test("first patched versions, as an object or a string; ecosystems lower-cased; blanks left out", () => {
    expect(fromAdvisory(literal()).vulnerabilities).toEqual([
      { package: { ecosystem: "rust", name: "wasmtime" }, vulnerableRange: ">= 37.0.0, < 37.0.2", patched: "37.0.2" },
      { package: { ecosystem: "npm", name: "@bytecodealliance/jco" }, vulnerableRange: "< 1.15.1", patched: "1.15.1" },
      { package: { ecosystem: "pip", name: "wasmtime" }, vulnerableRange: "< 37.0.2", patched: null },
    ]);
  });

  test("withdrawn_at makes it withdrawn", () => {
    expect(fromAdvisory(literal({ withdrawn_at: "2025-10-20T09:00:00Z" })).state).toBe("withdrawn");
  });

  test("no vulnerabilities at all: an empty list", () => {
    expect(fromAdvisory(literal({ vulnerabilities: null })).vulnerabilities).toEqual([]);
    expect(fromAdvisory(literal({ vulnerabilities: undefined })).vulnerabilities).toEqual([]);
  });
});

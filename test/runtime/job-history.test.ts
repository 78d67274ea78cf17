/**
 * The job history (src/runtime/job-history.ts) and the embargo filter it records through
 * (src/runtime/embargo.ts): ids of advisories not seen published never reach a record, in any field; ids
 * seen published do; history and failures are bounded per repository and in repositories.
 */
import { EmbargoFilter, WITHHELD } from "../../src/runtime/embargo.js";
import { JobHistory, MAX_OUTCOMES, type NewJobRecord } from "../../src/runtime/job-history.js";

const job = (overrides: Partial<NewJobRecord> = {}): NewJobRecord => ({
  repo: "acme/engine", name: "pull closed #12", workflow: "pull-closed", startedAt: "2025-11-21T06:00:00.000Z", finishedAt: "2025-11-21T06:00:01.000Z",
  durationMs: 1000, status: "succeeded", mode: "active", outcomes: [], error: null, ...overrides,
});

describe("the embargo filter", () => {
  test("withholds every GHSA and CVE id, in any case, unless its advisory was seen published", () => {
    const filter = new EmbargoFilter();
    filter.allow({ ghsaId: "GHSA-2222-3333-4444", cveId: "CVE-2025-64345" });
    expect(filter.redact("Fix GHSA-2222-3333-4444 (CVE-2025-64345) and ghsa-aaaa-bbbb-cccc, CVE-2026-1234; lts-steward:advisory ghsa-2222-3333-4444")).toBe(
      `Fix GHSA-2222-3333-4444 (CVE-2025-64345) and ${WITHHELD}, ${WITHHELD}; lts-steward:advisory ghsa-2222-3333-4444`,
    );
    expect(filter.redact("GHSA-d7d7-d7d7-d7d7/update")).toBe(`${WITHHELD}/update`);
    expect(filter.redact("no advisory here: release-36.0.0, #12")).toBe("no advisory here: release-36.0.0, #12");
  });

  test("is bounded: the oldest allowed ids are forgotten first, and withheld again", () => {
    const filter = new EmbargoFilter(2);
    filter.allow({ ghsaId: "GHSA-aaaa-aaaa-aaaa" });
    filter.allow({ ghsaId: "GHSA-bbbb-bbbb-bbbb" });
    filter.allow({ ghsaId: "GHSA-cccc-cccc-cccc" });
    expect(filter.isPublished("GHSA-aaaa-aaaa-aaaa")).toBe(false);
    expect(filter.isPublished("ghsa-cccc-cccc-cccc")).toBe(true);
  });
});

describe("the job history", () => {
  test("records a job with its text filtered at the recording point: name, outcomes, error", () => {
    const history = new JobHistory();
    history.embargo.allow({ ghsaId: "GHSA-2222-3333-4444" });
    const kept = history.record(job({
      name: "advisory GHSA-9999-8888-7777",
      status: "failed",
      error: "GitHub answered 404 Not Found for GET /repos/acme/engine/security-advisories/GHSA-9999-8888-7777",
      outcomes: [
        { subject: "advisory GHSA-2222-3333-4444 → release-36.0.0", status: "done", detail: "open, #40, fix ships in 36.0.4", url: "https://github.com/acme/engine/pull/40" },
        { subject: "backport #12 → release-24.0.0", status: "failed", detail: "Fix GHSA-9999-8888-7777 (CVE-2099-0001) did not apply" },
      ],
    }));
    const text = JSON.stringify([kept, history.jobs("acme/engine"), history.failures("acme/engine")]);
    expect(text).not.toMatch(/9999-8888-7777|CVE-2099-0001/);
    expect(kept.name).toBe(`advisory ${WITHHELD}`);
    expect(kept.outcomes[0]!.subject).toBe("advisory GHSA-2222-3333-4444 → release-36.0.0");
    expect(history.failures("acme/engine")).toEqual([
      expect.objectContaining({ subject: "backport #12 → release-24.0.0", reason: `Fix ${WITHHELD} (${WITHHELD}) did not apply`, jobId: kept.id }),
      expect.objectContaining({ subject: `advisory ${WITHHELD}`, reason: expect.stringContaining(WITHHELD), jobId: kept.id }),
    ]);
  });

  test("an id allowed after a record was made does not change that record: it was withheld when recorded", () => {
    const history = new JobHistory();
    history.record(job({ outcomes: [{ subject: "backport #12 → release-36.0.0", status: "done", detail: "GHSA-5555-6666-7777" }] }));
    history.embargo.allow({ ghsaId: "GHSA-5555-6666-7777" });
    expect(history.jobs("acme/engine")[0]!.outcomes[0]!.detail).toBe(WITHHELD);
  });

  test("keeps the last N jobs per repository, newest first, and failures apart so that successes do not push them out", () => {
    const history = new JobHistory(new EmbargoFilter(), { perRepo: 3 });
    history.record(job({ name: "broken", status: "failed", error: "boom" }));
    for (let i = 1; i <= 5; i++) history.record(job({ name: `job ${i}` }));
    expect(history.jobs("acme/engine").map((j) => j.name)).toEqual(["job 5", "job 4", "job 3"]);
    expect(history.failures("acme/engine")).toEqual([expect.objectContaining({ job: "broken", subject: "broken", reason: "boom" })]);
    for (let i = 1; i <= 4; i++) history.record(job({ name: `failed ${i}`, status: "failed", error: `e${i}` }));
    expect(history.failures("acme/engine").map((f) => f.reason)).toEqual(["e4", "e3", "e2"]);
  });

  test("keeps a job's first outcomes and says how many more there were; long texts are clipped; every failed outcome counts", () => {
    const history = new JobHistory();
    const outcomes = Array.from({ length: MAX_OUTCOMES + 20 }, (_, i) => ({ subject: `backport #${i} → release-36.0.0`, status: i === MAX_OUTCOMES + 5 ? "failed" as const : "unchanged" as const, detail: "x".repeat(2000) }));
    const kept = history.record(job({ name: "daily tick 2025-11-21", outcomes }));
    expect(kept.outcomes).toHaveLength(MAX_OUTCOMES + 1);
    expect(kept.outcomes.at(-1)).toEqual({ subject: "daily tick 2025-11-21", status: "unchanged", detail: "… and 20 more outcome(s) not kept" });
    expect(kept.outcomes[0]!.detail).toHaveLength(500);
    expect(history.failures("acme/engine")).toEqual([expect.objectContaining({ subject: `backport #${MAX_OUTCOMES + 5} → release-36.0.0` })]);
  });

  test("keeps at most N repositories, forgetting the least recently active; tells its listeners of each record", () => {
    const history = new JobHistory(new EmbargoFilter(), { repos: 2 });
    const heard: string[] = [];
    history.onRecord((r) => heard.push(r.repo));
    history.record(job({ repo: "acme/a" }));
    history.record(job({ repo: "acme/b" }));
    history.record(job({ repo: "acme/a" }));
    history.record(job({ repo: "acme/c" }));
    expect(history.repositories()).toEqual(["acme/c", "acme/a"]);
    expect(history.jobs("acme/b")).toEqual([]);
    expect(heard).toEqual(["acme/a", "acme/b", "acme/a", "acme/c"]);
  });
});

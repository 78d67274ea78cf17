import { computeLines } from "../../src/engine/lines.js";
import { Naming } from "../../src/engine/naming.js";
import type { ReleaseLine } from "../../src/engine/types.js";
import { acceptanceHistory, history, policyFrom, wasmtime, wasmtimeRelease } from "../fixtures/policies.js";

const byLine = (lines: ReleaseLine[]) => Object.fromEntries(lines.map((l) => [l.line, l]));
const summary = (lines: ReleaseLine[]) => lines.map((l) => `${l.line} ${l.kind} ${l.status} ${l.released ?? "-"} ${l.endOfSupport ?? "-"}`);

describe("release lines", () => {
  test("Wasmtime history on 2025-12-10: statuses, kinds, dates and the projected next lines", () => {
    const h = acceptanceHistory();
    h.branches.push({ name: "release-40.0.0", createdAt: "2025-12-05" });
    expect(summary(computeLines(wasmtime(), h, "2025-12-10"))).toEqual([
      "24 lts supported 2024-08-20 2026-08-20",
      "36 lts supported 2025-08-20 2027-08-20",
      "37 regular end-of-support 2025-09-20 2025-11-20",
      "38 regular supported 2025-10-20 2025-12-20",
      "39 regular supported 2025-11-20 2026-01-20",
      "40 regular upcoming - 2026-02-20",
      "41 regular projected - 2026-03-20",
    ]);
    const l40 = byLine(computeLines(wasmtime(), h, "2025-12-10"))["40"];
    expect(l40).toMatchObject({ nominalCut: "2025-12-05", nominalRelease: "2025-12-20", branchCreatedAt: "2025-12-05" });
    expect(l40?.reason).toBe("upcoming line: branch cut 2025-12-05, release due 2025-12-20");
  });

  test("each line carries its key, its label and its releases so far", () => {
    const h = history([wasmtimeRelease(36), wasmtimeRelease(36, 2, 27), wasmtimeRelease(36, 1, 25), wasmtimeRelease(36, 3, 28), wasmtimeRelease(37)]);
    const l36 = byLine(computeLines(wasmtime(), h, "2025-08-27"))["36"];
    expect(l36).toMatchObject({ line: "36", label: "36.0.x", latest: "36.0.2", versions: ["36.0.0", "36.0.1", "36.0.2"] });
  });

  test("LTS kind carries its reason", () => {
    const lines = byLine(computeLines(wasmtime(), acceptanceHistory(), "2025-12-01"));
    expect(lines["36"]?.kindReason).toBe("LTS: every 12th line from 24");
    expect(lines["37"]?.kindReason).toBe("regular line");
  });

  describe("a release that ships days after its nominal date", () => {
    const h = () => history([wasmtimeRelease(38), { version: "39.0.0", date: "2025-11-25" }], [{ name: "release-39.0.0", createdAt: "2025-11-05" }]);
    test("is upcoming until it ships, then supported", () => {
      expect(byLine(computeLines(wasmtime(), h(), "2025-11-22"))["39"]?.status).toBe("upcoming");
      expect(byLine(computeLines(wasmtime(), h(), "2025-11-25"))["39"]?.status).toBe("supported");
    });
    test("keeps its nominal end of support when windows run from nominal dates", () => {
      expect(byLine(computeLines(wasmtime(), h(), "2025-12-01"))["39"]?.endOfSupport).toBe("2026-01-20");
    });
    test("moves its end of support when windows run from actual dates", () => {
      const policy = policyFrom({ preset: "wasmtime", support: { from: "actual" } });
      const line = byLine(computeLines(policy, h(), "2025-12-01"))["39"];
      expect(line?.endOfSupport).toBe("2026-01-25");
      expect(line?.endOfSupportBasis).toBe("2 months from release 2025-11-25");
    });
  });

  test.each([
    ["2024-01-31", 1, "2024-02-29"],
    ["2024-01-31", 2, "2024-03-31"],
    ["2024-01-31", 3, "2024-04-30"],
    ["2024-01-31", 13, "2025-02-28"],
    ["2024-08-31", 6, "2025-02-28"],
  ])("a month-end anchor %s projects %i lines later to %s", (anchorDate, steps, expected) => {
    const policy = policyFrom({ calendar: { cadence: "1 month", anchor: { version: "1.0.0", date: anchorDate } } });
    const lines = computeLines(policy, history([]), expected);
    expect(lines[0]).toMatchObject({ line: String(1 + steps), nominalRelease: expected, status: "projected" });
  });

  test("a line with a branch but no release is upcoming; its first release will be X.0.0", () => {
    const lines = byLine(computeLines(wasmtime(), history([wasmtimeRelease(39)], [{ name: "release-40.0.0" }]), "2025-12-10"));
    expect(lines["40"]).toMatchObject({ status: "upcoming", released: null, latest: null, nextPatch: "40.0.0" });
  });

  test("a branch with no known cut date counts from its nominal cut day", () => {
    const h = history([wasmtimeRelease(39)], [{ name: "release-40.0.0", createdAt: null }]);
    expect(byLine(computeLines(wasmtime(), h, "2025-12-04"))["40"]?.status).toBe("projected");
    expect(byLine(computeLines(wasmtime(), h, "2025-12-05"))["40"]?.status).toBe("upcoming");
  });

  test("prereleases and versions that are not releases are ignored; branches off the pattern too", () => {
    const h = history(
      [wasmtimeRelease(39), { version: "40.0.0-rc.1", date: "2025-12-06" }, { version: "banana", date: "2025-12-06" }],
      [{ name: "main" }, { name: "release-40.x", createdAt: "2025-12-05" }],
    );
    const lines = computeLines(wasmtime(), h, "2025-12-10");
    expect(byLine(lines)["40"]?.status).toBe("projected");
    expect(lines.map((l) => l.line)).toEqual(["39", "40", "41"]);
  });

  test("an empty history: only the calendar's projected lines, or nothing without a calendar", () => {
    expect(summary(computeLines(wasmtime(), history([]), "2025-12-10"))).toEqual([
      "40 regular projected - 2026-02-20",
      "41 regular projected - 2026-03-20",
    ]);
    expect(computeLines(policyFrom({}), history([]), "2025-12-10")).toEqual([]);
  });

  test("a cut that is overdue says so", () => {
    const line = byLine(computeLines(wasmtime(), acceptanceHistory(), "2025-12-10"))["40"];
    expect(line?.reason).toBe("projected: branch cut was due 2025-12-05 but release-40.0.0 does not exist, release due 2025-12-20");
  });

  test("history after the query day is not seen", () => {
    const lines = byLine(computeLines(wasmtime(), acceptanceHistory(), "2025-10-01"));
    expect(lines["39"]).toBeUndefined();
    expect(lines["38"]?.status).toBe("projected");
    expect(lines["37"]).toMatchObject({ status: "supported", latest: "37.0.0" });
  });
});

describe("count windows (latest N releases)", () => {
  const h = history([
    { version: "1.0.0", date: "2025-01-10" },
    { version: "2.0.0", date: "2025-03-12" },
    { version: "3.0.0", date: "2025-05-02" },
    { version: "3.0.1", date: "2025-05-20" },
  ]);

  test("without a calendar: a line ends the day before the N-th newer line ships; the newest ones have no end yet", () => {
    const lines = computeLines(policyFrom({ support: { regular: "latest 2 releases" } }), h, "2025-06-01");
    expect(summary(lines)).toEqual([
      "1 regular end-of-support 2025-01-10 2025-05-01",
      "2 regular supported 2025-03-12 -",
      "3 regular supported 2025-05-02 -",
    ]);
    expect(byLine(lines)["2"]?.reason).toBe("supported line until the next release is released (latest 2 releases)");
  });

  test("with a calendar: the end is projected from the next lines' nominal releases", () => {
    const policy = policyFrom({
      calendar: { cadence: "2 months", anchor: { version: "1.0.0", date: "2025-01-10" } },
      support: { regular: "latest 2 releases" },
    });
    const lines = byLine(computeLines(policy, h, "2025-06-01"));
    expect(lines["2"]).toMatchObject({ endOfSupport: "2025-07-09", endOfSupportProjected: true });
    expect(lines["3"]).toMatchObject({ endOfSupport: "2025-09-09", endOfSupportProjected: true });
  });

  test("LTS lines are never supported for less than regular ones; latest N counts LTS lines for LTS", () => {
    const policy = policyFrom({ support: { regular: "latest 1 release", lts: { lines: ["1", "2"], window: "latest 1 release" } } });
    const lines = byLine(computeLines(policy, h, "2025-06-01"));
    expect(lines["1"]).toMatchObject({ kind: "lts", status: "end-of-support", endOfSupport: "2025-03-11" });
    expect(lines["2"]).toMatchObject({ kind: "lts", status: "supported", endOfSupport: null });
    expect(lines["3"]).toMatchObject({ kind: "regular", status: "supported" });
  });
});

describe("minor lines", () => {
  const policy = policyFrom({
    lines: { granularity: "minor", branch: "v{major}.{minor}.x" },
    support: { regular: "latest 2 releases", lts: { lines: ["1.4"], window: "12 months" } },
  });
  const h = history(
    [
      { version: "1.3.0", date: "2025-01-01" },
      { version: "1.4.0", date: "2025-03-01" },
      { version: "1.4.2", date: "2025-04-01" },
      { version: "2.0.0", date: "2025-06-01" },
    ],
    [{ name: "v1.4.x", createdAt: "2025-02-20" }, { name: "v2.1.x", createdAt: "2025-07-01" }],
  );

  test("lines are major.minor series named by the branch pattern", () => {
    expect(computeLines(policy, h, "2025-07-10").map((l) => `${l.line} ${l.branch} ${l.kind} ${l.status} ${l.latest ?? "-"} ${l.nextPatch}`)).toEqual([
      "1.3 v1.3.x regular end-of-support 1.3.0 1.3.1",
      "1.4 v1.4.x lts supported 1.4.2 1.4.3",
      "2.0 v2.0.x regular supported 2.0.0 2.0.1",
      "2.1 v2.1.x regular upcoming - 2.1.0",
    ]);
  });

  test("an LTS line runs 12 months from its actual release, outliving its regular window", () => {
    const later = history([...h.releases, { version: "2.1.0", date: "2025-08-01" }], h.branches);
    const lts = computeLines(policy, later, "2025-08-10")[1];
    expect(lts).toMatchObject({ line: "1.4", status: "supported", endOfSupport: "2026-03-01", endOfSupportBasis: "12 months from release 2025-03-01" });
  });

  test("while the regular window's end is unknown, so is the LTS line's (it is never shorter)", () => {
    expect(computeLines(policy, h, "2025-07-10")[1]).toMatchObject({ line: "1.4", endOfSupport: null, status: "supported" });
  });
});

describe("overrides", () => {
  test("extend, end early, mark and unmark LTS", () => {
    const policy = policyFrom({
      preset: "wasmtime",
      support: {
        overrides: [
          { line: 37, extend: "1 month", note: "downstream freeze" },
          { line: "24", endOfSupport: "2026-02-01" },
          { line: "38", lts: true },
          { line: "36", lts: false },
        ],
      },
    });
    const lines = byLine(computeLines(policy, acceptanceHistory(), "2025-12-01"));
    expect(lines["37"]).toMatchObject({ status: "supported", endOfSupport: "2025-12-20" });
    expect(lines["37"]?.endOfSupportBasis).toBe("2 months from nominal release 2025-09-20, extended by override: downstream freeze");
    expect(lines["24"]).toMatchObject({ endOfSupport: "2026-02-01", endOfSupportBasis: "set by override" });
    expect(lines["38"]).toMatchObject({ kind: "lts", endOfSupport: "2027-10-20", kindReason: "LTS by override" });
    expect(lines["36"]).toMatchObject({ kind: "regular", endOfSupport: "2025-10-20", status: "end-of-support" });
  });
});

describe("weekly cadence with cutDaysBefore", () => {
  test("cuts N days before each nominal release", () => {
    const policy = policyFrom({
      calendar: { cadence: "6 weeks", anchor: { version: "5.0.0", date: "2025-01-07" }, cutDaysBefore: 14 },
      support: { regular: "12 weeks" },
    });
    const lines = computeLines(policy, history([{ version: "5.0.0", date: "2025-01-07" }]), "2025-01-10");
    expect(lines.map((l) => [l.line, l.nominalCut, l.nominalRelease, l.endOfSupport])).toEqual([
      ["5", "2024-12-24", "2025-01-07", "2025-04-01"],
      ["6", "2025-02-04", "2025-02-18", "2025-05-13"],
    ]);
  });
});

describe("naming", () => {
  const naming = new Naming("major", "release-{major}.0.0", "v{version}");
  test.each([
    ["v36.0.1", "36.0.1"],
    ["v36.0.1-rc.1", null],
    ["36.0.1", null],
    ["foo-36.0.1", null],
    ["v36.0", null],
    ["v36.0.1+build.5", "36.0.1"],
  ])("tag %s → %s", (tag, version) => expect(naming.versionOfTag(tag)).toBe(version));
  test.each([
    ["release-36.0.0", { major: 36, minor: 0 }],
    ["release-36.1.0", null],
    ["release-036.0.0", null],
    ["xrelease-36.0.0", null],
  ])("branch %s → %j", (branch, line) => expect(naming.lineOfBranch(branch)).toEqual(line));
});

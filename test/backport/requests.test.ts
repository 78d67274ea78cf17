import type { Permission } from "../../src/github/types.js";
import { parseBackportCommand, permits, requestsFromLabels, rolesAtLeast, selectorsOf } from "../../src/backport/requests.js";

describe("parseBackportCommand", () => {
  test.each([
    ["/backport lts", ["lts"]],
    ["/backport lts, 36", ["lts", "36"]],
    ["/backport lts,36 ,  release-38.0.0", ["lts", "36", "release-38.0.0"]],
    ["/backport\tsecurity\t24", ["security", "24"]],
    ["/BACKPORT LTS", ["LTS"]],
    ["/Backport current", ["current"]],
    ["   /backport lts   ", ["lts"]],
    ["\n\n  /backport 36\n", ["36"]],
    ["/backport lts\r\nplease also /backport 24", ["lts"]],
    ["/backport lts\n/backport 24", ["lts"]],
    ["/backport", []],
    ["/backport   ", []],
    ["/backport , ,", []],
  ])("%j → %j", (body, selectors) => {
    expect(parseBackportCommand(body)).toEqual({ selectors, sources: [] });
  });

  test.each([
    ["/backport security #12 #15", ["security"], [12, 15]],
    ["/backport lts,#7, 36 #7", ["lts", "36"], [7]],
    ["/backport #3", [], [3]],
    // Not a PR reference: a selector (which the engine then refuses), never a number read loosely.
    ["/backport #12a #-1 #1234567890", ["#12a", "#-1", "#1234567890"], []],
  ])("%j names fixes: %j, %j", (body, selectors, sources) => {
    expect(parseBackportCommand(body)).toEqual({ selectors, sources });
  });

  test.each([
    "/backportx lts",
    "/backports lts",
    "backport lts",
    "please /backport lts",
    "Thanks!\n/backport lts",
    "",
    "/back port lts",
  ])("%j is not a command", (body) => {
    expect(parseBackportCommand(body)).toBeNull();
  });
});

describe("requestsFromLabels", () => {
  const rules = { labelPrefix: "backport:", implied: { security: ["security"] } };

  test("labels with the prefix ask for the selector after it, case-insensitively, trimmed", () => {
    expect(requestsFromLabels(["bug", "backport:lts", "Backport: release-36.0.0", "BACKPORT:24"], rules)).toEqual([
      { selector: "lts", via: "label backport:lts" },
      { selector: "release-36.0.0", via: "label Backport: release-36.0.0" },
      { selector: "24", via: "label BACKPORT:24" },
    ]);
  });

  test("a prefix with nothing after it asks for nothing", () => {
    expect(requestsFromLabels(["backport:", "backport:   ", "backport"], rules)).toEqual([]);
  });

  test("the prefix is configurable, and the default one then means nothing", () => {
    const custom = { labelPrefix: "bp/", implied: {} };
    expect(requestsFromLabels(["bp/lts", "backport:36", "BP/current"], custom)).toEqual([
      { selector: "lts", via: "label bp/lts" },
      { selector: "current", via: "label BP/current" },
    ]);
  });

  test("implied labels are matched case-insensitively and may imply several selectors", () => {
    const implied = { labelPrefix: "backport:", implied: { Security: ["security"], "needs-lts": ["lts", "current"] } };
    expect(requestsFromLabels(["SECURITY", "Needs-LTS", "securityx"], implied)).toEqual([
      { selector: "security", via: "label SECURITY" },
      { selector: "lts", via: "label Needs-LTS" },
      { selector: "current", via: "label Needs-LTS" },
    ]);
  });

  test("labels that are neither prefixed nor implied ask for nothing", () => {
    expect(requestsFromLabels(["bug", "lts", "area:wasi", "xbackport:lts"], rules)).toEqual([]);
  });
});

describe("permits and rolesAtLeast", () => {
  const roles: Permission[] = ["none", "read", "triage", "write", "maintain", "admin"];

  test.each([
    ["read", "write", false],
    ["triage", "write", false],
    ["write", "write", true],
    ["maintain", "write", true],
    ["admin", "write", true],
    ["none", "triage", false],
    ["triage", "triage", true],
    ["maintain", "admin", false],
    ["admin", "admin", true],
  ] as [Permission, Permission, boolean][])("%s meets %s: %s", (permission, required, expected) => {
    expect(permits(permission, required)).toBe(expected);
  });

  test("every role permits itself and every role below it, and nothing above", () => {
    roles.forEach((permission, i) => {
      roles.forEach((required, j) => expect([permission, required, permits(permission, required)]).toEqual([permission, required, i >= j]));
    });
  });

  test.each([
    ["write", ["write", "maintain", "admin"]],
    ["triage", ["triage", "write", "maintain", "admin"]],
    ["admin", ["admin"]],
    ["read", ["read", "triage", "write", "maintain", "admin"]],
  ] as [Permission, Permission[]][])("roles at least %s: %j (lowest first)", (required, expected) => {
    expect(rolesAtLeast(required)).toEqual(expected);
  });
});

describe("selectorsOf", () => {
  test("distinct selectors in first-asked order, case-insensitively, keeping the first spelling", () => {
    const requests = [
      { selector: "LTS", via: "label backport:LTS" },
      { selector: "36", via: "label backport:36" },
      { selector: "lts", via: "/backport by @alex" },
      { selector: "security", via: "label security" },
      { selector: "36", via: "/backport by @sam" },
      { selector: "Security", via: "/backport by @sam" },
    ];
    expect(selectorsOf(requests)).toEqual(["LTS", "36", "security"]);
  });

  test("no requests → no selectors", () => {
    expect(selectorsOf([])).toEqual([]);
  });
});

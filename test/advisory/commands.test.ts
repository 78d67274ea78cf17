/** `parseAdvisoryCommand`: the commands on an advisory's tracking issue, read from a comment's first line. */
import { parseAdvisoryCommand } from "../../src/advisory/run-command.js";

describe("/backport security <ref>", () => {
  test.each([
    ["/backport security #12", "#12"],
    ["/backport security 12", "12"],
    ["/backport security 1a2b3c4", "1a2b3c4"],
    ["/backport security c0ffee00d15ea5e5badc0de0123456789abcdef0", "c0ffee00d15ea5e5badc0de0123456789abcdef0"],
    ["/BACKPORT Security #12", "#12"],
    ["  /backport   security\t#12  ", "#12"],
    ["\n\n/backport security #12\r\nThanks!", "#12"],
  ])("%j → fix %j", (body, ref) => {
    expect(parseAdvisoryCommand(body)).toEqual({ kind: "fix", ref });
  });

  test.each([
    ["/backport security #1 #2", "two refs"],
    ["/backport security #12 please", "a trailing word"],
    ["/backport security", "no ref"],
    ["/backport lts", "a plain backport selector"],
    ["/backport release-38.0.0", "a plain backport branch"],
    ["/backport securityfix #12", "a word that only starts with security"],
    ["please /backport security #12", "a command not at the start"],
    ["backport security #12", "no slash"],
  ])("%j (%s) is not an advisory command", (body) => {
    expect(parseAdvisoryCommand(body)).toBeNull();
  });
});

describe("/dismiss <line> [reason]", () => {
  test("a line and a reason", () => {
    expect(parseAdvisoryCommand("/dismiss 38 not shipped")).toEqual({ kind: "dismiss", line: "38", reason: "not shipped" });
  });

  test("the reason is the rest of the line, trimmed, whatever its words", () => {
    expect(parseAdvisoryCommand("/dismiss release-36.0.0   the feature is off by default in 36  ")).toEqual({
      kind: "dismiss",
      line: "release-36.0.0",
      reason: "the feature is off by default in 36",
    });
  });

  test("no reason: an empty one", () => {
    expect(parseAdvisoryCommand("/dismiss 38")).toEqual({ kind: "dismiss", line: "38", reason: "" });
    expect(parseAdvisoryCommand("/dismiss 38.0.x   ")).toEqual({ kind: "dismiss", line: "38.0.x", reason: "" });
  });

  test("in any case", () => {
    expect(parseAdvisoryCommand("/Dismiss 38 Not Shipped")).toEqual({ kind: "dismiss", line: "38", reason: "Not Shipped" });
  });

  test("the reason stops at the first line; the rest of the comment is not part of it", () => {
    expect(parseAdvisoryCommand("/dismiss 38 not shipped\nThe vulnerable API landed in 39.")).toEqual({ kind: "dismiss", line: "38", reason: "not shipped" });
  });

  test("without a line it is not a command", () => {
    expect(parseAdvisoryCommand("/dismiss")).toBeNull();
    expect(parseAdvisoryCommand("/dismiss   ")).toBeNull();
  });
});

describe("only the first line counts", () => {
  test.each([
    "Thanks for the report!\n/backport security #12",
    "LGTM\r\n/dismiss 38 not shipped",
    "",
    "   ",
  ])("%j → null", (body) => {
    expect(parseAdvisoryCommand(body)).toBeNull();
  });
});

import { embedState, findMarkerKeys, hasMarker, marker, readEmbedded as readState } from "../../src/state/markers.js";

describe("markers", () => {
  test("a marker is a hidden HTML comment naming the kind and the key", () => {
    expect(marker("summary", "pr-123")).toBe("<!-- lts-steward:summary pr-123 -->");
    expect(marker("backport", "pr-123/release-36.0.0")).toBe("<!-- lts-steward:backport pr-123/release-36.0.0 -->");
  });

  test("hasMarker finds the exact kind and key, not a prefix of the key or another kind", () => {
    const body = `${marker("summary", "pr-123")}\n\nSome text`;
    expect(hasMarker(body, "summary", "pr-123")).toBe(true);
    expect(hasMarker(body, "summary", "pr-12")).toBe(false);
    expect(hasMarker(body, "tracking", "pr-123")).toBe(false);
    expect(hasMarker(null, "summary", "pr-123")).toBe(false);
  });

  test("findMarkerKeys lists the keys of one kind in order, once each", () => {
    const body = [marker("reply", "comment-7"), marker("summary", "pr-1"), marker("reply", "comment-9"), marker("reply", "comment-7")].join("\n");
    expect(findMarkerKeys(body, "reply")).toEqual(["comment-7", "comment-9"]);
    expect(findMarkerKeys(body, "summary")).toEqual(["pr-1"]);
    expect(findMarkerKeys(body, "tracking")).toEqual([]);
    expect(findMarkerKeys(null, "reply")).toEqual([]);
  });

  test("a kind with regex characters is matched literally", () => {
    expect(findMarkerKeys(marker("summaryX", "pr-1"), "summary.")).toEqual([]);
  });
});

describe("embedded state", () => {
  test("round trip, including text that would end an HTML comment", () => {
    const value = { version: 1, rows: [{ title: "close --> the <!-- comment", n: 3, ok: true, none: null }] };
    const body = `intro\n\n${embedState(value)}`;
    expect(body.match(/-->/g)).toHaveLength(1);
    expect(embedState(value)).toMatch(/^<!-- lts-steward:state [A-Za-z0-9_-]+ -->$/);
    expect(readState(body)).toEqual(value);
  });

  test("absent or corrupt state reads as null, never throws", () => {
    expect(readState(null)).toBeNull();
    expect(readState("no state here")).toBeNull();
    expect(readState("<!-- lts-steward:state  -->")).toBeNull();
    expect(readState("<!-- lts-steward:state bm90IGpzb24 -->")).toBeNull(); // "not json"
    expect(readState("<!-- lts-steward:state e30* -->")).toBeNull(); // outside the base64url alphabet
  });

  test("the last state wins, so a quoted state earlier in the body cannot stand in for the App's", () => {
    const body = `Title quoting ${embedState({ forged: true })}\n\n${embedState({ version: 1 })}`;
    expect(readState(body)).toEqual({ version: 1 });
  });
});

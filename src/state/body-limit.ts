/**
 * GitHub's limits on what the App writes: a comment or issue body of at most 65,536 characters and an issue
 * or PR title of at most 256. The state layer's writer (records.ts) fits every body and title it sends, so no
 * record, reply or tracking issue is ever refused for its size, whatever a PR, a comment or a config holds.
 */

/** GitHub refuses comment and issue bodies longer than this (in characters). */
export const BODY_LIMIT = 65_536;

const CUT_NOTE = "\n\n… (the rest is left out: GitHub does not take a longer comment)\n\n";

/**
 * The last guard before a body goes to GitHub: when it is longer than GitHub takes, the prose in the middle is
 * cut, and the marker (first part) and the embedded state (last part) are kept whole, so the record is still
 * found and read. Renderers keep their lists short first ("and N more"); this only catches what they missed.
 */
export function fitBody(body: string, limit = BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const head = body.slice(0, body.indexOf("\n\n") < 0 ? 0 : body.indexOf("\n\n"));
  const stateAt = body.lastIndexOf("<!-- lts-steward:state ");
  const tail = stateAt > head.length ? body.slice(stateAt) : "";
  const room = limit - head.length - tail.length - CUT_NOTE.length;
  if (room < 0) return body.slice(0, limit);
  let middle = body.slice(head.length, head.length + room);
  // Do not leave half a surrogate pair or an unclosed HTML comment behind.
  if (/[\uD800-\uDBFF]$/.test(middle)) middle = middle.slice(0, -1);
  const open = middle.lastIndexOf("<!--");
  if (open > middle.lastIndexOf("-->")) middle = middle.slice(0, open);
  return `${head}${middle}${CUT_NOTE}${tail}`;
}

/** GitHub refuses issue and pull request titles longer than this (in characters). */
export const TITLE_LIMIT = 256;

/** A title GitHub takes: one line, cut with "…" when too long. */
export function fitTitle(title: string, limit = TITLE_LIMIT): string {
  const line = title.replace(/\s+/g, " ").trim();
  if (line.length <= limit) return line;
  let cut = line.slice(0, limit - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

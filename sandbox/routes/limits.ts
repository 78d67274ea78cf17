/**
 * GitHub's limit on issue, pull request and comment bodies: 65,536 characters. A longer body is refused with
 * 422 "Validation Failed" before anything changes. The error entries are the ones GitHub sends: for issues and
 * pull requests the `body` field with code `custom`, for comments the `data` field with code `unprocessable`.
 */
import { unprocessable } from "../http/types.js";

export const MAX_BODY_CHARACTERS = 65_536;

type BodyResource = "Issue" | "PullRequest" | "IssueComment";

/** Characters as GitHub counts them: code points, so an emoji is one. */
const characters = (text: string): number => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};

/** Throws GitHub's 422 when `body` is a string longer than the limit; anything else passes (the contract checks types). */
export function checkBodyLength(resource: BodyResource, body: unknown): void {
  // Most bodies are far below the limit in UTF-16 units too; only long ones need counting.
  if (typeof body !== "string" || body.length <= MAX_BODY_CHARACTERS || characters(body) <= MAX_BODY_CHARACTERS) return;
  const error =
    resource === "IssueComment"
      ? { resource, code: "unprocessable", field: "data", message: `Body is too long (maximum is ${MAX_BODY_CHARACTERS} characters)` }
      : { resource, code: "custom", field: "body", message: `body is too long (maximum is ${MAX_BODY_CHARACTERS} characters)` };
  throw unprocessable("Validation Failed", [error]);
}

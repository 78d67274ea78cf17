/**
 * What a REST call changed, in GitHub's terms: the facts a webhook is built from. Route handlers record them
 * (`ctx.changes`); the server hands the changes of a successful call to the webhook outbox, when one is
 * attached (`sandbox.deliverTo`). The scenario (people acting straight on the state) records none: tests send
 * those webhooks themselves.
 */
import type { RepoRecord, UserRecord } from "./types.js";

interface Subject {
  repo: RepoRecord;
  /** Who did it: the webhook's `sender`. */
  sender: UserRecord;
}

export type StateChange =
  /** An issue or a pull request (the record tells which) was opened, closed without merging, or reopened. */
  | (Subject & { kind: "opened" | "closed" | "reopened"; number: number })
  /** A pull request was merged (its base branch moved: a `pushed` change comes first). */
  | (Subject & { kind: "merged"; number: number })
  | (Subject & { kind: "labeled" | "unlabeled"; number: number; label: string })
  | (Subject & { kind: "commented"; commentId: number })
  /** A ref moved: `before` or `after` is all zeros when it was created or deleted; `forced` when not a fast-forward. */
  | (Subject & { kind: "pushed"; ref: string; before: string; after: string; forced?: boolean })
  /** A release was created, as a draft or published. */
  | (Subject & { kind: "released"; releaseId: number })
  | (Subject & { kind: "advisory-published"; ghsaId: string });

export const ZERO_SHA = "0000000000000000000000000000000000000000";

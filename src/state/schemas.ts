/**
 * One versioned schema per kind of state the App keeps in GitHub: the summary comment, tracking issues, the
 * advisory issue, the monthly check-in, the schedule issue, replies to commands, and the reference a backport
 * PR or conflict issue keeps to its source. Read them with `readState(body, schema)`.
 *
 * Each schema accepts what earlier versions of the App wrote (`version: 1`), so old issues and comments keep
 * working; unknown keys are dropped. Types are checked against the shapes the workflows use.
 */
import { z } from "zod";
import type { AdvisoryTracking } from "../advisory/types.js";
import type { BackportRequest, SkippedLine, TargetRow, TrackingRow } from "../backport/types.js";
import type { ActivityEntry } from "../calendar/types.js";
import { ROW_STATUSES } from "./rows.js";

const pullLink = z.object({ number: z.number().int(), url: z.string() });
const text = z.string();

/** Earlier rows kept the line's label (`36.0.x`) in `line`; the key is that label without `.x` / `.0.x`. */
const keyOfLabel = (label: string) => label.replace(/\.0\.x$/, "").replace(/\.x$/, "");

/** `{ line, label }` from a row that has both, or an old row that has only the label in `line`. */
function withLabel<T extends { line: string; label?: string | undefined }>(row: T): T & { label: string } {
  if (row.label !== undefined) return { ...row, label: row.label };
  return /\.x$/.test(row.line) ? { ...row, line: keyOfLabel(row.line), label: row.line } : { ...row, label: row.line.includes(".") ? `${row.line}.x` : `${row.line}.0.x` };
}

// --- Backports ---------------------------------------------------------------------------------------------

export const targetOutcomeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("opened"), pull: pullLink, commits: z.array(z.object({ source: text, picked: text, title: text })), combined: z.boolean().optional() }),
  z.object({ kind: z.literal("exists"), pull: pullLink, state: z.enum(["open", "closed", "merged"]), combined: z.boolean().optional() }),
  z.object({ kind: z.literal("empty") }),
  z.object({
    kind: z.literal("conflict"),
    files: z.array(text),
    commands: z.array(text),
    missing: z.array(z.object({ sha: text, title: text, pull: z.number().int().nullable() })),
    issue: pullLink.nullable(),
    pull: pullLink.optional(),
  }),
  z.object({ kind: z.literal("skipped"), reason: text }),
  z.object({ kind: z.literal("failed"), reason: text }),
]);

const targetRow: z.ZodType<TargetRow> = z
  .object({
    branch: text,
    line: text,
    label: text.optional(),
    lineKind: z.enum(["lts", "regular"]).default("regular"),
    nextPatch: text,
    reason: text,
    outcome: targetOutcomeSchema,
  })
  .transform(withLabel);

const skippedLine: z.ZodType<SkippedLine> = z.object({ branch: text, line: text, label: text.optional(), reason: text }).transform(withLabel);
const request: z.ZodType<BackportRequest> = z.object({ selector: text, via: text });

/** The summary comment on a source PR. */
export const summaryStateSchema = z.object({
  version: z.literal(1),
  rows: z.array(targetRow),
  skipped: z.array(skippedLine),
  requests: z.array(request),
});
export type SummaryState = z.output<typeof summaryStateSchema>;

const rowStatus = z.enum(ROW_STATUSES);

const trackingRow: z.ZodType<TrackingRow> = z
  .object({
    source: z.object({ number: z.number().int(), title: text.default("") }),
    branch: text,
    line: text,
    label: text.optional(),
    nextPatch: text.default(""),
    status: rowStatus,
    pull: pullLink.nullable().default(null),
    issue: pullLink.nullable().default(null),
  })
  .transform(withLabel);

/** A tracking issue: one per fix (a row per target), or one per release line (a row per source). */
export const trackingStateSchema = z.discriminatedUnion("mode", [
  z.object({ version: z.literal(1), mode: z.literal("fix"), security: z.boolean().default(false), rows: z.array(trackingRow) }),
  z.object({ version: z.literal(1), mode: z.literal("line"), branch: text.optional(), line: text.optional(), rows: z.array(trackingRow) }),
]);
export type TrackingState = z.output<typeof trackingStateSchema>;

/** A combined backport PR's body: its target and the fixes it carries, each with its picked commits. */
export const combinedStateSchema = z.object({
  version: z.literal(1),
  kind: z.literal("combined"),
  branch: text,
  line: text,
  sources: z.array(
    z.object({
      number: z.number().int(),
      commit: text.optional(),
      title: text,
      url: text.default(""),
      commits: z.array(z.object({ source: text, picked: text, title: text })),
    }),
  ),
});
export type CombinedState = z.output<typeof combinedStateSchema>;

/** What a backport PR body and a conflict issue keep: the source and the target. */
export const backportRefSchema = z
  .object({ version: z.literal(1), source: z.number().int(), branch: text, line: text })
  .transform((ref) => ({ ...ref, line: /\.x$/.test(ref.line) ? keyOfLabel(ref.line) : ref.line }));
export type BackportRef = z.output<typeof backportRefSchema>;

/**
 * A draft PR holding a conflicting pick with its markers (`backport.conflicts: draft-pr`): the backport
 * reference, the files the markers are in, and the conflict report the summary shows. Once the markers are
 * gone and the PR is ready, its body becomes an ordinary backport PR's and this state goes.
 */
export const conflictDraftStateSchema = z.object({
  version: z.literal(1),
  source: z.number().int(),
  branch: text,
  line: text,
  draft: z.object({
    marked: z.array(text).max(1000),
    files: z.array(text).max(1000),
    commands: z.array(text).max(50),
    missing: z.array(z.object({ sha: text, title: text, pull: z.number().int().nullable() })).max(100),
  }),
});
export type ConflictDraftState = z.output<typeof conflictDraftStateSchema>;

// --- Advisories --------------------------------------------------------------------------------------------

const advisoryRow = z
  .object({
    branch: text,
    line: text,
    label: text.optional(),
    nextPatch: text,
    reason: text,
    status: rowStatus,
    pull: pullLink.nullable().catch(null).default(null),
    issue: pullLink.nullable().catch(null).default(null),
    releasedIn: text.nullable().catch(null).default(null),
    dismissed: text.nullable().catch(null).default(null),
  })
  .transform(withLabel);

const advisoryNote = z.object({ branch: text, line: text, label: text.optional(), reason: text }).transform(withLabel);

const advisoryFix = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pull"), number: z.number().int(), title: text, url: text }),
  z.object({ kind: z.literal("commit"), sha: text, title: text }),
]);

const advisoryTracking: z.ZodType<AdvisoryTracking> = z.object({
  ghsaId: text,
  cveId: text.nullable(),
  summary: text,
  advisoryUrl: text.nullable(),
  ranges: z.array(text),
  assessedOn: text,
  rows: z.array(advisoryRow),
  unaffected: z.array(advisoryNote),
  endOfSupport: z.array(advisoryNote),
  fixes: z.array(advisoryFix),
  withdrawn: z.boolean().catch(false).default(false),
  patched: z.array(z.object({ branch: text, line: text, label: text, patchedIn: text.nullable(), reason: text })).optional(),
  mismatches: z.array(text).optional(),
});

/** An advisory's tracking issue. */
export const advisoryStateSchema = z.object({ version: z.literal(1), tracking: advisoryTracking });

// --- Calendar ----------------------------------------------------------------------------------------------

const activityEntry: z.ZodType<ActivityEntry> = z.object({
  on: text,
  kind: z.enum(["cut", "dispatch", "dispatch-failed", "end-of-support", "error"]),
  subject: text,
  detail: text,
});

/** The monthly check-in issue: the activity of its month (everything else is re-rendered). */
export const checkinStateSchema = z.object({
  version: z.literal(1),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  activity: z.array(activityEntry),
});
export type CheckinState = z.output<typeof checkinStateSchema>;

/** The support schedule issue. It is re-rendered whole; its state only says what it is. */
export const scheduleStateSchema = z.object({ version: z.literal(1), kind: z.literal("schedule") });

// --- Replies -----------------------------------------------------------------------------------------------

export const REPLY_KINDS = [
  "refusal", "acknowledgement", "rejection", "started", "config-problems", "fix-accepted", "fix-rejected", "dismissed", "dismiss-rejected",
] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

/** A reply to a comment command: which reply it was. */
export const replyStateSchema = z.object({ version: z.literal(1), reply: z.enum(REPLY_KINDS) });

/**
 * Lines beyond the engine's list: `computeLines` projects only up to the next cut, but a check-in on the
 * 1st of a month wants next month's cut and release, and the next LTS line may be a year away. These are
 * classified and dated exactly as `computeLines` would (overrides included), as projected lines.
 */
import { parseIsoDate } from "./dates.js";
import { classifyKind, finishLine, lineFrame, projectedDraft, supportEnds, type LineDraft } from "./lines.js";
import { compareLines, Naming, nextLine, type LineId } from "./naming.js";
import type { IsoDate, Policy, ReleaseLine } from "./types.js";

export interface ProjectionOptions {
  /** Project every line whose nominal cut (its release, when the calendar has no cut day) is on or before this day. */
  through?: IsoDate;
  /** Project up to the next LTS line too, unless `lines` already holds an unreleased LTS line. */
  untilLts?: boolean;
  /** At most this many lines: the next LTS line may be far away, or never come. */
  max: number;
}

/**
 * The lines after the newest of `lines` (the engine's own answer for a day), in line order, with status
 * `projected`. Without a calendar their dates are unknown, so only `untilLts` can call for them. Nothing
 * is projected past a line the ordinals cannot place (a new major, for minor lines).
 */
export function projectLines(policy: Policy, lines: ReleaseLine[], options: ProjectionOptions): ReleaseLine[] {
  if (options.through !== undefined) parseIsoDate(options.through);
  const known: LineId[] = lines.map((l) => ({ major: l.major, minor: l.minor }));
  const newest = [...known].sort(compareLines).at(-1);
  if (!newest || options.max <= 0) return [];
  const naming = new Naming(policy.granularity, policy.branchPattern, policy.tagPattern);
  const frame = lineFrame(policy, naming, known);

  let needLts = options.untilLts === true && !lines.some((l) => l.kind === "lts" && l.released === null);
  const drafts: LineDraft[] = [];
  let keep = 0;
  let id = newest;
  while (drafts.length < options.max) {
    id = nextLine(id, policy.granularity);
    const ordinal = frame.ordinals.of(id);
    if (ordinal === null) break;
    const draft = projectedDraft(id, ordinal, frame);
    Object.assign(draft, classifyKind(draft, frame));
    drafts.push(draft);
    // A line is cut before it is released: once one is due after `through` (or has no date), so is every later one.
    const due = draft.nominalCut ?? draft.nominalRelease;
    const within = options.through !== undefined && due !== null && due <= options.through;
    if (within || (needLts && draft.kind === "lts")) keep = drafts.length;
    if (draft.kind === "lts") needLts = false;
    if (!within && !needLts) break;
  }

  const released = lines
    .filter((l) => l.released !== null)
    .map((l) => ({ key: l.line, ordinal: frame.ordinals.of(l) ?? 0, nominalRelease: l.nominalRelease, released: l.released, kind: l.kind }))
    .sort((a, b) => a.ordinal - b.ordinal);
  const endFor = supportEnds(frame, released);
  return drafts.slice(0, keep).map((draft) => finishLine(draft, endFor(draft), null, frame));
}

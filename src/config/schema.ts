/**
 * The `.github/lts-steward.yml` schema: the single source of truth for the config's types, defaults, bounds
 * and field docs. `schema/lts-steward.schema.json` is generated from it (`npm run schema`).
 *
 * Precedence, lowest first: schema defaults < preset < org `.github` repo (`_extends`) < repository file.
 *
 * Bounds: every number, duration, count, date, list and string has one, far beyond what a real project
 * writes (each is in its field's description), so that nothing this schema accepts can make the engine
 * fail or work without end: durations up to 100 years, counts up to 100 lines, days from 1970 to 2200, lines
 * of up to 9 digits, lists of tens to hundreds of entries, strings as long as GitHub allows for what they name.
 */
import { z } from "zod";
import { isIsoDate, toIsoDay } from "../engine/dates.js";
import { MAX_LINE_NUMBER, releaseVersion } from "../engine/naming.js";

export const DURATION_PATTERN = "^\\s*[1-9]\\d{0,4}\\s*(day|week|month|year)s?\\s*$";
export const WINDOW_PATTERN = "^\\s*(?:[1-9]\\d{0,4}\\s*(?:day|week|month|year)s?|latest\\s+[1-9]\\d{0,2}(?:\\s+(?:release|line)s?)?)\\s*$";
/** `_extends` as Probot's config plugin reads it: `repo`, `owner/repo`, optionally `:path/to/file.yml`. */
export const EXTENDS_PATTERN = "^(?:([a-zA-Z\\d](?:[a-zA-Z\\d]|-(?=[a-zA-Z\\d])){0,38})/)?([-_.\\w]+)(?::([-_./\\w]+\\.[yY][aA]?[mM][lL]))?$";

/** The longest span a duration may have: 100 years, in each unit. */
export const MAX_DURATION: Record<string, number> = { day: 36_500, week: 5_200, month: 1_200, year: 100 };
/** The most lines a count window ("latest N releases") may span. */
export const MAX_WINDOW_COUNT = 100;
export const FIRST_DAY = "1970-01-01";
export const LAST_DAY = "2200-12-31";

const withinDuration = (text: string) => {
  const match = /(\d+)\s*(day|week|month|year)/.exec(text);
  return !match || Number(match[1]) <= (MAX_DURATION[match[2]!] ?? 0);
};
const withinCount = (text: string) => {
  const match = /latest\s+(\d+)/.exec(text);
  return !match || Number(match[1]) <= MAX_WINDOW_COUNT;
};
const DURATION_BOUND = `at most 100 years (${MAX_DURATION.year} years, ${MAX_DURATION.month} months, ${MAX_DURATION.week} weeks or ${MAX_DURATION.day} days)`;

const day = z
  .preprocess((v) => {
    if (!(v instanceof Date)) return v;
    try {
      return toIsoDay(v);
    } catch {
      return String(v);
    }
  }, z.string().max(10, { message: "expected a calendar day as YYYY-MM-DD", abort: true }))
  .refine(isIsoDate, { message: "expected a calendar day as YYYY-MM-DD", abort: true })
  .refine((d) => d >= FIRST_DAY && d <= LAST_DAY, `expected a day from ${FIRST_DAY} to ${LAST_DAY}`)
  .meta({ type: "string", format: "date" });

/** A line as written in YAML: `36`, `"36"`, `"1.4"`. Numbers are accepted because YAML reads `36` as one. */
const lineName = z
  .union([
    z.string().regex(/^v?\d{1,9}(\.\d{1,9})?(\.x)?$/, 'expected a line like "36", "36.x" or "1.4" (numbers of at most 9 digits)'),
    z.number().int().nonnegative().max(MAX_LINE_NUMBER),
  ])
  .transform(String);

// The form is checked with any number of digits, so that "99999999 months" is told its bound, not its form;
// the JSON Schema carries the digit-bounded patterns for editors.
const duration = z
  .string()
  .max(40)
  .regex(new RegExp(DURATION_PATTERN.replace("\\d{0,4}", "\\d*")), { message: 'expected a duration like "2 months", "6 weeks", "90 days" or "1 year"', abort: true })
  .refine(withinDuration, DURATION_BOUND)
  .meta({ pattern: DURATION_PATTERN });
const window = z
  .string()
  .max(40)
  .regex(new RegExp(WINDOW_PATTERN.replace("\\d{0,4}", "\\d*").replace("\\d{0,2}", "\\d*")), { message: 'expected a duration ("2 months") or a count ("latest 2 releases")', abort: true })
  .refine(withinDuration, DURATION_BOUND)
  .refine(withinCount, `a count of at most ${MAX_WINDOW_COUNT} (latest ${MAX_WINDOW_COUNT} releases)`)
  .meta({ pattern: WINDOW_PATTERN });

/** A record of at most `max` entries (zod records have no size check of their own). */
const boundedRecord = <V extends z.ZodType>(key: z.ZodString, value: V, max: number, what: string) =>
  z.record(key, value).refine((r) => Object.keys(r).length <= max, `at most ${max} ${what}`).meta({ maxProperties: max });

/** GitHub's own limits: label names 50 characters, issue and PR titles 256, logins 39. */
const LABEL = 50;
const LINES = "Line names: a major or major.minor, numbers of at most 9 digits.";

const lines = z
  .strictObject({
    granularity: z
      .enum(["major", "minor"])
      .default("major")
      .describe("What a release line is: a major series (36.0.x) or a major.minor series (1.4.x)."),
    branch: z
      .string()
      .min(1)
      .max(200)
      .default("release-{major}.x")
      .describe("The line's branch name, with {major} and (for minor lines) {minor}: release-{major}.0.0, v{major}.{minor}.x. At most 200 characters."),
    tag: z
      .string()
      .min(1)
      .max(200)
      .default("v{version}")
      .describe("How release tags are named, with {version}. Tags that do not match, or name a prerelease, are not releases. At most 200 characters."),
  })
  .describe("How release lines, their branches and their release tags are named.");

const calendar = z
  .strictObject({
    cadence: duration.describe('How often a new line is released: "1 month", "3 months", "6 weeks"; at most 100 years.'),
    anchor: z
      .strictObject({
        version: z
          .string()
          .max(100)
          .refine((v) => releaseVersion(v) !== null, "expected a release version like 20.0.0 (a major and minor of at most 9 digits)")
          .describe("A release version, e.g. 20.0.0; its line is the anchor line."),
        date: day.describe("Its nominal release day, from 1970-01-01 to 2200-12-31."),
      })
      .describe("A release and its nominal day; every other line's dates are projected from it."),
    releaseDay: z
      .number()
      .int()
      .min(1)
      .max(31)
      .optional()
      .describe("Day of the month releases land on (monthly or yearly cadence; clamped to short months). Default: the anchor's day."),
    cutDay: z
      .number()
      .int()
      .min(1)
      .max(31)
      .optional()
      .describe("Day of the month the line's branch is cut: in the release's month, or the month before if later than releaseDay."),
    cutDaysBefore: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .optional()
      .describe("Alternative to cutDay, for any cadence: the branch is cut this many days before the release (at most 3650, ten years)."),
  })
  .describe("The release calendar. Without it, nothing is projected and windows run from actual release dates.");

const override = z
  .strictObject({
    line: lineName.describe('The line: "36" (major lines) or "1.4" (minor lines), numbers of at most 9 digits.'),
    lts: z.boolean().optional().describe("Mark (true) or unmark (false) the line as LTS."),
    endOfSupport: day.optional().describe("Replace the computed end of support: extend it or end support early. From 1970-01-01 to 2200-12-31."),
    extend: duration.optional().describe('Add to the computed end of support: "3 months"; at most 100 years.'),
    note: z.string().max(500).optional().describe("Why; shown with the line's dates. At most 500 characters."),
  })
  .refine((o) => !(o.endOfSupport && o.extend), { message: "set endOfSupport or extend, not both", path: ["extend"] });

const support = z
  .strictObject({
    regular: window
      .default("latest 2 releases")
      .describe('How long a regular line is supported: a duration from its release ("2 months", at most 100 years) or while it is among the latest N lines ("latest 2 releases", N at most 100).'),
    from: z
      .enum(["nominal", "actual"])
      .default("actual")
      .describe("Whether duration windows start at the nominal (calendar) release day or the actual one. nominal needs a calendar."),
    lts: z
      .strictObject({
        every: z.number().int().min(1).max(1000).optional().describe("Every N-th line is LTS (N from 1 to 1000) ..."),
        from: lineName.optional().describe("... starting with this line (with every)."),
        lines: z.array(lineName).max(200).optional().describe(`Or: exactly these lines are LTS (at most 200). ${LINES}`),
        window: window.default("24 months").describe('How long an LTS line is supported: "24 months" (at most 100 years), or "latest 2 releases" (of LTS lines; at most 100).'),
      })
      .refine((l) => !(l.every !== undefined && l.lines !== undefined), { message: "use every/from or lines, not both", path: ["lines"] })
      .refine((l) => (l.every === undefined) === (l.from === undefined), { message: "every and from go together", path: ["from"] })
      .optional()
      .describe("Which lines are LTS and for how long. An LTS line is never supported for less than a regular one."),
    overrides: z.array(override).max(200).default([]).describe("Per-line exceptions (at most 200)."),
  })
  .describe("The support policy: how long lines are supported and which are LTS. End of support is inclusive.");

const groupSelector = z.enum(["supported", "lts", "current", "upcoming"]);

const backport = z
  .strictObject({
    labelPrefix: z.string().min(1).max(40).default("backport:").describe("Labels that request backports: backport:lts, backport:release-36.0.0. At most 40 characters (GitHub's labels have at most 50)."),
    branchPrefix: z.string().min(1).max(100).default("lts-steward/backport/").describe("Prefix of the branches backport PRs come from. At most 100 characters."),
    title: z
      .string()
      .min(1)
      .max(256)
      .default("[{target}] {title} (#{number})")
      .describe("Backport PR title, with {target} (the branch), {line}, {title} and {number} of the source PR. At most 256 characters."),
    implied: boundedRecord(z.string().min(1).max(LABEL), z.array(z.string().min(1).max(200)).min(1).max(20), 50, "labels")
      .default({ security: ["security"] })
      .describe("Labels that ask for backports without the prefix: a merged PR labelled `security` is backported as if labelled backport:security. At most 50 labels, each with at most 20 selectors."),
    permission: z
      .enum(["triage", "write", "maintain", "admin"])
      .default("write")
      .describe("The least repository permission a person needs for `/backport` (checked through the API)."),
    label: z.string().min(1).max(LABEL).default("backport").describe("Label put on every backport PR (at most 50 characters)."),
    copyLabels: z
      .array(z.string().min(1).max(LABEL))
      .max(50)
      .default(["security"])
      .describe("Labels copied from the source PR to its backport PRs: names, or patterns with * (e.g. `area:*`); at most 50. Request labels are never copied."),
    reviewers: z
      .strictObject({
        author: z.boolean().default(true).describe("Ask the source PR's author to review."),
        merger: z.boolean().default(true).describe("Ask whoever merged the source PR to review."),
        extra: z.array(z.string().min(1).max(100)).max(15).default([]).describe("Also ask these people (at most 15, GitHub's limit on requested reviewers)."),
      })
      .prefault({})
      .describe("Who is asked to review backport PRs (the App never asks a bot, or the PR's own author)."),
    milestone: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe("Milestone for backport PRs, by title, with {line} and {nextPatch}, e.g. \"{nextPatch}\". Left unset when no open milestone has that title."),
    combine: z
      .strictObject({
        selectors: z
          .array(z.string().min(1).max(200))
          .max(20)
          .default([])
          .describe("Fixes asked for with one of these selectors (by label, implying label or `/backport`) go into one backport PR per line that collects them, e.g. [security]; at most 20. A fix with the `label` below is combined too."),
        label: z
          .string()
          .min(1)
          .max(LABEL)
          .default("backport-combined")
          .describe("Label that combines a fix's backports whatever its selectors; `/backport <selector…> #a #b` puts it on each fix it names. Must not start with labelPrefix. At most 50 characters."),
        title: z
          .string()
          .min(1)
          .max(256)
          .default("[{line}] Backports: {titles}")
          .describe("Title of a combined backport PR, with {target} (the branch), {line}, {titles} (the fixes' titles, separated by `; `) and {numbers} (`#12, #15`). At most 256 characters."),
      })
      .prefault({})
      .describe("Combined backports: one PR per line carrying several fixes, in the order they landed on the default branch. Asking again while the PR is open appends to it; once it is merged or closed, the next fix starts a new one."),
    conflicts: z
      .enum(["issue", "draft-pr"])
      .default("issue")
      .describe("When a cherry-pick conflicts on a line: open an issue with the files and the commands to finish by hand (issue), or open a draft PR whose branch holds the pick with git's conflict markers, to resolve there and mark ready for review (draft-pr)."),
  })
  .refine((b) => !b.combine.label.toLowerCase().startsWith(b.labelPrefix.toLowerCase()), {
    message: "backport.combine.label must not start with labelPrefix (it would read as a request)",
    path: ["combine", "label"],
  })
  .describe("How backports are asked for and named.");

const tracking = z
  .strictObject({
    for: z
      .enum(["security", "all", "none"])
      .default("security")
      .describe("Which fixes get a tracking issue: those asked for with the security selector (or an implying label), all, or none."),
    mode: z
      .enum(["fix", "line"])
      .default("fix")
      .describe("One issue per fix with a row per target, or one issue per target line with a row per fix."),
    label: z.string().min(1).max(LABEL).default("backport-tracking").describe("Label on tracking and conflict issues; the App finds its issues by it. At most 50 characters."),
  })
  .describe("Tracking issues: a checklist of targets kept up to date until every backport is merged. A conflict always gets its own issue.");

const advisoryPackage = z.union([
  z.string().min(1).max(214).transform((name) => ({ ecosystem: null as string | null, name })),
  z.strictObject({ ecosystem: z.string().min(1).max(50).transform((e) => e.toLowerCase() as string | null), name: z.string().min(1).max(214) }),
]);

const advisories = z
  .strictObject({
    packages: z
      .array(advisoryPackage)
      .max(100)
      .default([])
      .describe("This repository's packages, as advisories name them: `wasmtime` (any ecosystem) or `{ ecosystem: rust, name: wasmtime }`; at most 100. Empty: every package a repository advisory names counts; advisories from GitHub's global database are only acted on for packages listed here."),
    fixWindow: duration
      .default("90 days")
      .describe("How far back from the advisory's publication to look on the default branch for the fix (a commit or merged PR that names the GHSA id); at most 100 years."),
    alreadyPatched: z
      .enum(["record", "skip"])
      .default("record")
      .describe("An advisory published when every affected line already shipped its patched release: `record` writes an issue with the lines and their patched releases (and any disagreement with the advisory's declared patched versions) and closes it at once; `skip` writes nothing."),
    drafts: z
      .enum(["off", "suggest"])
      .default("off")
      .describe("`suggest`: the daily tick fills in empty patched versions of this repository's draft advisories from the engine (each affected line's next patch version, or the release that already patched it). Needs the App's `repository_advisories: write` permission. Nothing public is written for a draft and no log line names it."),
  })
  .describe("Security advisories: which packages count, and where to look for the fix.");

const release = z
  .strictObject({
    workflow: z.string().min(1).max(255).describe("Workflow file that publishes a patch release (workflow_dispatch), e.g. release-process.yml."),
    inputs: boundedRecord(z.string().min(1).max(100), z.string().max(1000), 25, "inputs")
      .default({})
      .describe("Inputs for each dispatch (at most 25); `{version}`, `{line}` and `{branch}` are replaced per line, e.g. `{ action: release-patch }`."),
  })
  .describe("`/release <selector or lines>` on an advisory issue dispatches this workflow on each named supported line's branch.");

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

const automation = z
  .strictObject({
    cutBranches: z.boolean().default(true).describe("Create the next line's branch from the default branch on its cut day (and at a release of X.0.0 with no branch)."),
    cut: z
      .strictObject({
        workflow: z.string().min(1).max(255).describe("The project's own workflow that cuts a release branch (workflow_dispatch on the default branch), e.g. release-process.yml."),
        inputs: boundedRecord(z.string().min(1).max(100), z.string().max(1000), 25, "inputs")
          .default({})
          .describe("Inputs for the dispatch (at most 25); `{version}` (the line's first version, e.g. 40.0.0), `{line}` and `{branch}` are replaced, e.g. `{ action: cut }`."),
      })
      .optional()
      .describe("On cut day, dispatch the project's own workflow instead of creating the branch (for projects whose automation also bumps versions or opens release PRs); no branch is then created at an X.0.0 release either."),
    scheduleIssue: z.boolean().default(true).describe("Keep an issue with the support schedule: a Mermaid gantt chart, the table and the next events."),
    endOfSupportNotices: z.boolean().default(true).describe("When a line reaches its end of support, say so once on its open backport PRs and tracking issues."),
    checkin: z.boolean().default(true).describe("Open a monthly \"LTS automation check-in\" issue: what the App did, what is due, a checklist."),
    reconcileDays: z.number().int().min(0).max(90).default(14).describe("Each day, finish the backports asked for on PRs merged in the last N days (0: off)."),
    ci: z
      .strictObject({
        workflow: z.string().min(1).max(255).describe("Workflow file to dispatch (workflow_dispatch), e.g. main.yml."),
        lines: z.enum(["lts", "supported"]).default("lts").describe("Dispatch on supported LTS branches, or on every supported branch."),
        weekday: z.enum(WEEKDAYS).default("monday").describe("Day of the week to dispatch on (a missed day is caught up later that week)."),
        inputs: boundedRecord(z.string().min(1).max(100), z.string().max(1000), 25, "inputs")
          .default({})
          .describe("Inputs for the workflow_dispatch event (at most 25, GitHub's limit; values of at most 1000 characters)."),
      })
      .optional()
      .describe("A weekly CI run on LTS branches, as the Wasmtime discussion asks."),
    ciHealth: z
      .strictObject({
        workflow: z.string().min(1).max(255).describe("The CI workflow file whose runs on release branches are watched, e.g. main.yml."),
      })
      .optional()
      .describe("One issue per supported release branch whose CI fails: opened at the first failed run, updated on each one, closed with a comment when a run passes. Without it, the workflow of `automation.ci` is watched, if set."),
  })
  .describe("The daily tick: branch cuts, the schedule issue, end-of-support notices, LTS CI, the monthly check-in, reconciliation.");

export const PRESET_NAMES = ["wasmtime"] as const;

export const configSchema = z
  .strictObject({
    $schema: z.string().max(2048).optional().describe("The JSON Schema this file follows (for editors)."),
    _extends: z
      .string()
      .max(300)
      .regex(new RegExp(EXTENDS_PATTERN), "expected a repository (`.github`, `org/repo`), optionally with a path (`org/repo:configs/lts.yml`)")
      .optional()
      .describe("Inherit from another repository's config, as Probot reads it: `.github`, `org/repo` or `org/repo:path/to/file.yml`. Up to 5 files are followed."),
    mode: z
      .enum(["active", "shadow"])
      .default("active")
      .describe("`shadow`: every workflow reads live state and plans as usual, but nothing is written to GitHub; each planned write is recorded with its reason (logged, and kept by the App). Switch to `active` to act on what is then still due."),
    preset: z
      .enum(PRESET_NAMES, { error: () => `unknown preset; presets: ${PRESET_NAMES.join(", ")}` })
      .optional().describe("Start from a named policy; every key set here overrides it."),
    lines: lines.prefault({}),
    calendar: calendar.optional(),
    support: support.prefault({}),
    selectors: z
      .strictObject({
        security: z
          .array(groupSelector)
          .min(1)
          .max(4)
          .default(["supported", "upcoming"])
          .describe("What the `security` selector means: the union of these selectors."),
      })
      .prefault({})
      .describe("What group selectors mean."),
    backport: backport.prefault({}),
    tracking: tracking.prefault({}),
    advisories: advisories.prefault({}),
    release: release.optional(),
    automation: automation.prefault({}),
  })
  .superRefine((config, ctx) => {
    const branch = config.lines.branch;
    if (!branch.includes("{major}")) ctx.addIssue({ code: "custom", path: ["lines", "branch"], message: "must contain {major}" });
    if (config.lines.granularity === "minor" && !branch.includes("{minor}")) {
      ctx.addIssue({ code: "custom", path: ["lines", "branch"], message: "minor lines need {minor} in the branch pattern" });
    }
    if (!config.lines.tag.includes("{version}")) ctx.addIssue({ code: "custom", path: ["lines", "tag"], message: "must contain {version}" });
    if (config.support.from === "nominal" && !config.calendar) {
      ctx.addIssue({ code: "custom", path: ["support", "from"], message: "nominal needs a calendar" });
    }
    const cal = config.calendar;
    if (cal && cal.cutDay !== undefined && cal.cutDaysBefore !== undefined) {
      ctx.addIssue({ code: "custom", path: ["calendar", "cutDaysBefore"], message: "set cutDay or cutDaysBefore, not both" });
    }
    if (cal && /week|day/.test(cal.cadence) && (cal.cutDay !== undefined || cal.releaseDay !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["calendar", cal.cutDay !== undefined ? "cutDay" : "releaseDay"], message: "days of the month need a monthly or yearly cadence; use cutDaysBefore" });
    }
  })
  .describe("lts-steward configuration (.github/lts-steward.yml).");

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

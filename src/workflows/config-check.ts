/**
 * The config check: a PR that changes `.github/lts-steward.yml` gets one check run on its head commit, with
 * the file's problems by path, or (when it validates) the support table it gives today against the
 * repository's live releases and branches. It reads the file at the PR's head only: `_extends` is not
 * followed here (the App follows it when it runs), and the default branch's config is never needed, so a
 * PR can fix a broken config.
 *
 * Whatever the file holds, the check run is created: an oversized file, an alias bomb or absurd values are
 * problems naming the limit or the key (src/config/load.ts reads the text within its limits, refusing an
 * oversized one before parsing it), and a config the engine cannot apply fails the check with the reason.
 */
import type { Log } from "../log.js";
import { formatProblems, parseConfigText, type ConfigProblem } from "../config/load.js";
import { toPolicy } from "../config/policy.js";
import type { Config } from "../config/schema.js";
import { EngineError } from "../engine/errors.js";
import { computeLines } from "../engine/lines.js";
import { renderTable } from "../engine/render/table.js";
import { scheduleLines } from "../engine/schedule.js";
import type { IsoDate } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { CheckConclusion } from "../github/types.js";

import { readReleaseHistory } from "../workflows/release-state.js";

export const CONFIG_PATH = ".github/lts-steward.yml";
export const CONFIG_CHECK_NAME = "lts-steward config";

/**
 * GitHub refuses a check run summary over 65535 characters: problems beyond this many are counted, not
 * listed, and each is clipped (100 × (200 + 300) characters leaves room for the rest).
 */
const MAX_LISTED_PROBLEMS = 100;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
const MAX_SUMMARY = 65_535;

/** A summary GitHub accepts: a very long one (a table of hundreds of supported lines) is cut at a line's end. */
function fitSummary(summary: string): string {
  if (summary.length <= MAX_SUMMARY) return summary;
  const note = "\n\n… (cut here: GitHub allows 65,535 characters in a check run's summary)";
  const cut = summary.lastIndexOf("\n", MAX_SUMMARY - note.length);
  return `${summary.slice(0, cut > 0 ? cut : MAX_SUMMARY - note.length)}${note}`;
}

export type ConfigCheckOutcome = "not-changed" | "closed" | "deleted" | "invalid" | "valid";

export interface ConfigCheckOptions {
  port: GitHubPort;
  number: number;
  today: IsoDate;
  log: Log;
  /** The repository's default branch, from the webhook: a PR into another branch gets a note that its config is not the one read. */
  defaultBranch?: string;
}

export interface ConfigCheckRun {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
}

/** An inline code span that survives backticks in the text (a misspelt key can contain anything). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function renderProblems(problems: ConfigProblem[]): ConfigCheckRun {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `- ${code(clip(p.path || "(file)", 200))}: ${clip(p.message.replace(/\s*\n\s*/g, " "), 300)}`);
  const more = problems.length > MAX_LISTED_PROBLEMS ? [`- … and ${problems.length - MAX_LISTED_PROBLEMS} more`] : [];
  return {
    conclusion: "failure",
    title: `${plural(problems.length, "problem")} in ${CONFIG_PATH}`,
    summary: [`${code(CONFIG_PATH)} does not validate; lts-steward will not act on this repository with it.`, [...listed, ...more].join("\n")].join("\n\n"),
  };
}

/**
 * Runs the engine's part (no I/O) and turns any failure into a failing check: an `EngineError` is a problem
 * with the file as much as a typo; anything else is the App's bug, logged, but the check run still says so.
 */
function computed<T>(compute: () => T, log: Log): { ok: true; value: T } | { ok: false; run: ConfigCheckRun } {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    if (error instanceof EngineError) return { ok: false, run: renderProblems([{ path: "", message: error.message }]) };
    log.error({ err: error }, "config check: the engine failed on a config the schema accepts");
    return { ok: false, run: renderProblems([{ path: "", message: `lts-steward could not compute the support table with this config (${(error as Error).message.split("\n")[0]}); please report this` }]) };
  }
}

/** The valid case: the support table today under this config, from the live release history. */
async function renderValid(port: GitHubPort, config: Config, today: IsoDate, log: Log): Promise<ConfigCheckRun> {
  const policy = computed(() => toPolicy(config), log);
  if (!policy.ok) return policy.run;
  const history = await readReleaseHistory(port, policy.value);
  const table = computed(() => {
    const lines = computeLines(policy.value, history, today);
    return { lines, table: renderTable(scheduleLines(lines)) };
  }, log);
  if (!table.ok) return table.run;
  const { lines } = table.value;
  const supported = lines.filter((l) => l.status === "supported").length;
  const notes = config._extends
    ? [`Note: this file has \`_extends: ${config._extends}\`, which this check does not follow; the App follows it when it runs, so the settings it inherits may change this table.`]
    : [];
  return {
    conclusion: "success",
    title: `Valid: ${plural(supported, "supported line")} today`,
    summary: [`${code(CONFIG_PATH)} is valid. With it, the support table on ${today} (from this repository's releases and branches) is:`, table.value.table, ...notes].join("\n\n"),
  };
}

/** Runs the check for one PR; creates at most one check run, on the PR's current head. */
export async function runConfigCheck(options: ConfigCheckOptions): Promise<ConfigCheckOutcome> {
  const { port, number, today, log } = options;
  const pr = await port.getPull(number);
  if (pr.state !== "open") {
    log.debug({ number }, "config check: the PR is no longer open");
    return "closed";
  }
  const files = await port.listPullFiles(number);
  if (!files.includes(CONFIG_PATH)) return "not-changed";

  const headSha = pr.head.sha;
  const text = await port.getFileText({ path: CONFIG_PATH, ref: headSha });
  let outcome: ConfigCheckOutcome;
  let run: ConfigCheckRun;
  if (text === null) {
    outcome = "deleted";
    run = {
      conclusion: "neutral",
      title: `${CONFIG_PATH} is deleted`,
      summary: `This PR deletes ${code(CONFIG_PATH)}. Once it is merged, lts-steward will no longer manage this repository's release lines (unless the organisation's \`.github\` repository provides a config).`,
    };
  } else {
    const parsed = parseConfigText(text);
    if (parsed.ok) {
      run = await renderValid(port, parsed.config, today, log);
      outcome = run.conclusion === "success" ? "valid" : "invalid";
    } else {
      outcome = "invalid";
      run = renderProblems(parsed.problems);
    }
    if (!parsed.ok) log.info({ number, problems: formatProblems(parsed.problems) }, "config check: the PR's config does not validate");
  }
  if (options.defaultBranch && pr.base.ref !== options.defaultBranch) {
    run = { ...run, summary: `${run.summary}\n\nNote: this PR is into ${code(pr.base.ref)}; the App reads its config from the default branch, ${code(options.defaultBranch)}.` };
  }
  await port.createCheckRun({ name: CONFIG_CHECK_NAME, headSha, ...run, title: clip(run.title, 200), summary: fitSummary(run.summary) });
  log.info({ number, headSha, outcome }, "config check: check run created");
  return outcome;
}

/**
 * A comment command: `/backport …` on a PR, or an advisory command (`/backport security <fix>`, `/dismiss`)
 * on an issue. The advisory command counts only on the App's own advisory issue (checked in the job).
 */
import { runAdvisoryCommand } from "../advisory/run-command.js";
import { runCommand } from "../backport/run-command.js";
import { journalOf, type JobEnv } from "../runtime/jobs.js";
import type { OutcomeStatus } from "../runtime/journal.js";
import { settingsOrProblems } from "./job-config.js";

/** How a command's result reads on the status page; results not named here read as done. */
const COMMAND_STATUS: Record<string, OutcomeStatus> = {
  "not-a-command": "skipped", "not-an-advisory-issue": "skipped", "answered-before": "unchanged", refused: "skipped", "refused-quietly": "skipped",
  "bad-config": "failed", rejected: "skipped",
};

export interface CommandEvent {
  /** The issue or PR the comment is on. */
  number: number;
  onPullRequest: boolean;
  comment: { id: number; body: string; author: string };
  defaultBranch: string;
}

export async function commentCommand(env: JobEnv, event: CommandEvent): Promise<void> {
  const input = {
    port: env.port, config: settingsOrProblems(await env.config()), today: env.today, defaultBranch: event.defaultBranch,
    number: event.number, comment: event.comment, log: env.log, ...journalOf(env),
  };
  let result: string;
  if (event.onPullRequest) result = await runCommand(input);
  else {
    result = await runAdvisoryCommand(input);
    // Not the App's advisory record (or not an advisory command): a combined `/backport … #a #b` on any issue.
    if (result === "not-a-command" || result === "not-an-advisory-issue") {
      const combined = await runCommand(input, { onIssue: true });
      if (combined !== "not-a-command") result = combined;
    }
  }
  env.journal?.note({
    subject: `${event.onPullRequest ? "/backport" : "command"} on #${event.number} by @${event.comment.author}`,
    status: COMMAND_STATUS[result] ?? "done",
    detail: result.replace(/-/g, " "),
  });
}

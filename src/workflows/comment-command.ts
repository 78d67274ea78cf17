/**
 * A comment command: `/backport …` on a PR, or an advisory command (`/backport security <fix>`, `/dismiss`)
 * on an issue. The advisory command counts only on the App's own advisory issue (checked in the job).
 */
import { runAdvisoryCommand } from "../advisory/run-command.js";
import { parseBackportCommand } from "../backport/requests.js";
import { runCommand } from "../backport/run-command.js";
import { runCombinedCommand } from "../backport/run-combined-command.js";
import type { JobEnv } from "../runtime/jobs.js";
import { settingsOrProblems } from "./job-config.js";

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
    number: event.number, comment: event.comment, log: env.log,
  };
  if (event.onPullRequest) {
    await runCommand(input);
    return;
  }
  const result = await runAdvisoryCommand(input);
  // Not the App's advisory record (or not an advisory command): a combined `/backport … #a #b` on any issue.
  const command = parseBackportCommand(event.comment.body);
  if ((result === "not-a-command" || result === "not-an-advisory-issue") && command) await runCombinedCommand(input, command, null);
}

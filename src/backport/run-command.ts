/**
 * A `/backport <selector…>` comment on a PR: check who asked (through the API), then answer once:
 * a refusal, the reasons the selectors pick nothing, "will backport once merged", or start now.
 */
import { readReleaseState } from "../workflows/release-state.js";
import { passGate, type CommandInput } from "./command-gate.js";

export type { CommandInput };
import { renderAcknowledgement, renderRejection, renderStarted } from "./render.js";
import { renderTooManySelectors } from "./render-replies.js";
import { MAX_SELECTORS, parseBackportCommand } from "./requests.js";
import { runBackport } from "./run-backport.js";
import { runCombinedCommand } from "./run-combined-command.js";
import { resolveRequests } from "./targets.js";


export type CommandResult = "not-a-command" | "answered-before" | "refused" | "refused-quietly" | "bad-config" | "rejected" | "acknowledged" | "started";


/**
 * `onIssue`: the comment is on an issue, not a PR; then the command names the fixes it combines. On a PR, a
 * command that names fixes (`#12`) combines them with the PR.
 */
export async function runCommand(input: CommandInput, options: { onIssue?: boolean } = {}): Promise<CommandResult> {
  const { port, comment, number } = input;
  const command = parseBackportCommand(comment.body);
  if (!command) return "not-a-command";
  const gate = await passGate({ port, number, comment, config: input.config, log: input.log });
  if (!gate.open) return gate.result;
  const { config, policy, permissions, reply } = gate;
  if (command.selectors.length > MAX_SELECTORS) {
    await reply(renderTooManySelectors({ commentId: comment.id, count: command.selectors.length, max: MAX_SELECTORS }));
    return "rejected";
  }
  if (options.onIssue || command.sources.length > 0) return runCombinedCommand(input, gate, command, options.onIssue ? null : number);
  const state = await readReleaseState(port, { policy, on: input.today });
  const resolved = resolveRequests({ lines: state.lines, selectors: command.selectors, on: input.today, policy: state.policy });
  const problems = command.selectors.length === 0 ? [{ selector: "/backport", reason: "name at least one selector, line or branch" }] : resolved.problems;
  if (problems.length > 0 || resolved.targets.length === 0) {
    const all = problems.length > 0 ? problems : [{ selector: command.selectors.join(" "), reason: "selects no supported line today" }];
    await reply(renderRejection({ commentId: comment.id, problems: all, valid: resolved.valid }));
    return "rejected";
  }
  const targets = resolved.targets.map((t) => ({ branch: t.branch, line: t.label, nextPatch: t.nextPatch, reason: t.reason }));
  const pull = await port.getPull(number);
  // The durable record of an accepted request is its label (before the reply, which marks the command as
  // answered): recovery after a restart and the daily reconcile find the PR by it.
  const wanted = command.selectors.map((s) => `${config.backport.labelPrefix}${s}`);
  const missing = wanted.filter((l) => !pull.labels.some((x) => x.toLowerCase() === l.toLowerCase()));
  if (missing.length > 0) await port.updateIssue({ number, labels: [...pull.labels, ...new Set(missing)] });
  if (!pull.merged) {
    await reply(renderAcknowledgement({ commentId: comment.id, targets, skipped: resolved.skipped }));
    return "acknowledged";
  }
  await reply(renderStarted({ commentId: comment.id, targets }));
  await runBackport({ port, config, policy, today: input.today, number, defaultBranch: input.defaultBranch, log: input.log, permissions, ...(input.journal ? { journal: input.journal } : {}) });
  return "started";
}

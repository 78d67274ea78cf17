/**
 * `/backport <selector…> #a #b …` on a PR, a tracking issue or any issue: the named fixes' backports are
 * combined, one PR per line, in the order the fixes landed. Who may ask is the same as for `/backport` on a
 * PR. Each fix gets the request labels and the combine label first (the durable record recovery and the daily
 * reconcile read), then the merged ones are backported together; the others join when they merge.
 */
import { isGitHubError } from "../github/errors.js";
import type { PullRequest } from "../github/types.js";
import { readReleaseState } from "../workflows/release-state.js";
import type { CommandInput, Gate } from "./command-gate.js";
import { renderRejection } from "./render.js";
import { renderCombinedStarted, renderTooManySources } from "./render-replies.js";
import { MAX_SOURCES } from "./requests.js";
import { runBackports } from "./run-backport.js";
import { resolveRequests } from "./targets.js";

type Problem = { selector: string; reason: string };

/** After the gate and the selector count (run-command.ts): the combined request. */
export async function runCombinedCommand(
  input: CommandInput,
  gate: Extract<Gate, { open: true }>,
  command: { selectors: string[]; sources: number[] },
  /** The PR the comment is on (it joins the fixes), or null on an issue. */
  host: number | null,
): Promise<"rejected" | "acknowledged" | "started"> {
  const { port, comment, defaultBranch } = input;
  const { config, policy, permissions, reply } = gate;
  if (command.sources.length > MAX_SOURCES) {
    await reply(renderTooManySources({ commentId: comment.id, count: command.sources.length, max: MAX_SOURCES }));
    return "rejected";
  }
  const state = await readReleaseState(port, { policy, on: input.today });
  const resolved = resolveRequests({ lines: state.lines, selectors: command.selectors, on: input.today, policy: state.policy });
  const asked: Problem[] = [
    ...(command.selectors.length === 0 ? [{ selector: "/backport", reason: "name at least one selector, line or branch, then the fixes: `/backport security #12 #15`" }] : []),
    ...(command.sources.length === 0 && host === null ? [{ selector: "/backport", reason: "on an issue, name the fixes to backport together: `/backport security #12 #15`" }] : []),
    ...resolved.problems,
  ];
  if (asked.length > 0 || resolved.targets.length === 0) {
    const all = asked.length > 0 ? asked : [{ selector: command.selectors.join(" "), reason: "selects no supported line today" }];
    await reply(renderRejection({ commentId: comment.id, problems: all, valid: resolved.valid }));
    return "rejected";
  }
  const numbers = host !== null && !command.sources.includes(host) ? [host, ...command.sources] : command.sources;
  const ready: PullRequest[] = [];
  const pending: PullRequest[] = [];
  const problems: Problem[] = [];
  for (const n of numbers) {
    let pull: PullRequest;
    try {
      pull = await port.getPull(n);
    } catch (error) {
      if (!isGitHubError(error, "not-found")) throw error;
      problems.push({ selector: `#${n}`, reason: "is not a pull request in this repository" });
      continue;
    }
    if (pull.base.ref !== defaultBranch) problems.push({ selector: `#${n}`, reason: `${pull.merged ? "was merged into" : "targets"} ${pull.base.ref}, not ${defaultBranch}` });
    else if (!pull.merged && pull.state === "closed") problems.push({ selector: `#${n}`, reason: "was closed without being merged" });
    else (pull.merged ? ready : pending).push(pull);
  }
  if (ready.length + pending.length === 0) {
    await reply(renderRejection({ commentId: comment.id, problems, valid: resolved.valid }));
    return "rejected";
  }
  // The durable record of the request, before the reply (which marks the command as answered).
  const wanted = [...command.selectors.map((s) => `${config.backport.labelPrefix}${s}`), config.backport.combine.label];
  for (const pull of [...ready, ...pending]) {
    const missing = [...new Set(wanted.filter((l) => !pull.labels.some((x) => x.toLowerCase() === l.toLowerCase())))];
    if (missing.length > 0) await port.updateIssue({ number: pull.number, labels: [...pull.labels, ...missing] });
  }
  const targets = resolved.targets.map((t) => ({ branch: t.branch, line: t.label }));
  const short = (p: PullRequest) => ({ number: p.number, title: p.title });
  await reply(renderCombinedStarted({ commentId: comment.id, targets, ready: ready.map(short), pending: pending.map(short), problems }));
  if (ready.length === 0) return "acknowledged";
  await runBackports({ port, config, policy, today: input.today, numbers: ready.map((p) => p.number), defaultBranch, log: input.log, permissions, ...(input.journal ? { journal: input.journal } : {}) });
  return "started";
}

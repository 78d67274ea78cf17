/**
 * Reconcile: webhooks can be lost (GitHub does not redeliver a timed-out one), so each tick looks at PRs
 * merged into the default branch in the last N days that carry a request label, and runs the backport
 * workflow for each. That workflow is idempotent: targets with a backport PR or a conflict record are left
 * alone, so a lost webhook costs a day, not a fix. PRs asked for only by `/backport` comments are not seen
 * here (finding them would cost a read per merged PR).
 */
import type { Log } from "../log.js";
import { requestsFromLabels } from "../backport/requests.js";
import { runBackport } from "../backport/run-backport.js";

import type { Config } from "../config/schema.js";
import { addDaysTo } from "../engine/dates.js";
import type { IsoDate, Policy } from "../engine/types.js";
import type { GitHubPort } from "../github/port.js";
import type { Journal } from "../runtime/journal.js";
import type { TickAction } from "./types.js";

export async function planReconcile(port: GitHubPort, options: { config: Config; policy: Policy; today: IsoDate; defaultBranch: string; log: Pick<Log, "info" | "warn">; journal?: Journal }): Promise<TickAction[]> {
  const { config, today, defaultBranch } = options;
  const days = config.automation.reconcileDays;
  if (days === 0) return [];
  const since = `${addDaysTo(today, -days)}T00:00:00Z`;
  const rules = { labelPrefix: config.backport.labelPrefix, implied: config.backport.implied };
  const merged = (await port.listClosedPulls({ base: defaultBranch, since })).filter(
    (p) => p.merged && p.mergedAt !== null && p.mergedAt >= since && requestsFromLabels(p.labels, rules).length > 0,
  );
  // In the order they landed: fixes whose backports are combined join each line's combined PR in that order.
  merged.sort((a, b) => (a.mergedAt ?? "").localeCompare(b.mergedAt ?? "") || a.number - b.number);
  return merged.map((pull) => ({
    job: "reconcile" as const,
    description: `check the backports of #${pull.number} (${pull.labels.join(", ")})`,
    apply: async () => {
      await runBackport({ port, config, policy: options.policy, today, number: pull.number, defaultBranch, log: options.log, ...(options.journal ? { journal: options.journal } : {}) });
    },
  }));
}

/** The demo's output: sections and lines on stdout. */
import type { TargetOutcome } from "../../src/backport/types.js";

export const print = (text: string) => process.stdout.write(`${text}\n`);

export function section(title: string): void {
  print(`\n== ${title}\n`);
}

export function outcomeText(outcome: TargetOutcome): string {
  switch (outcome.kind) {
    case "opened":
      return `backport PR #${outcome.pull.number} opened`;
    case "exists":
      return `backport PR #${outcome.pull.number} (${outcome.state})`;
    case "empty":
      return "already on this line";
    case "conflict":
      return `conflict in ${outcome.files.length} file(s)`;
    case "skipped":
      return `skipped: ${outcome.reason}`;
    case "failed":
      return `failed: ${outcome.reason}`;
  }
}

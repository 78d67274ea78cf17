/** The support table as GitHub-flavoured Markdown. */
import type { ReleaseLine } from "../types.js";

const STATUS: Record<ReleaseLine["status"], string> = {
  supported: "supported",
  "end-of-support": "end of support",
  upcoming: "upcoming",
  projected: "projected",
};

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function renderTable(lines: ReleaseLine[]): string {
  const header = "| Line | Branch | Kind | Released | End of support | Latest | Status |\n|---|---|---|---|---|---|---|";
  const rows = [...lines].reverse().map((l) => {
    const released = l.released ?? (l.nominalRelease ? `due ${l.nominalRelease}` : "—");
    const eos = l.endOfSupport ? `${l.endOfSupportProjected ? "~" : ""}${l.endOfSupport}` : "—";
    const cells = [l.line, `\`${l.branch}\``, l.kind === "lts" ? "LTS" : "regular", released, eos, l.latest ?? "—", STATUS[l.status]];
    return `| ${cells.map(cell).join(" | ")} |`;
  });
  return [header, ...rows].join("\n");
}

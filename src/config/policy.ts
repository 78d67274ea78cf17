/** Config → the engine's normalised Policy: durations and windows parsed, names resolved. */
import { parseDuration } from "../engine/dates.js";
import { lineKey, lineOfVersion, parseLineName } from "../engine/naming.js";
import type { LineOverride, LtsRule, Policy, SupportWindow } from "../engine/types.js";
import type { Config } from "./schema.js";

export function parseWindow(text: string): SupportWindow {
  const count = /^\s*latest\s+(\d+)/.exec(text);
  return count ? { type: "count", latest: Number(count[1]) } : { type: "duration", duration: parseDuration(text) };
}

export function toPolicy(config: Config): Policy {
  const granularity = config.lines.granularity;
  const normalise = (line: string) => {
    const id = parseLineName(line, granularity);
    return id ? lineKey(id, granularity) : line;
  };
  const lts = config.support.lts;
  const rule: LtsRule = lts?.every !== undefined && lts.from !== undefined
    ? { type: "every", every: lts.every, from: normalise(lts.from) }
    : lts?.lines
      ? { type: "list", lines: lts.lines.map(normalise) }
      : { type: "none" };
  const cal = config.calendar;
  return {
    granularity,
    branchPattern: config.lines.branch,
    tagPattern: config.lines.tag,
    calendar: cal
      ? {
          cadence: parseDuration(cal.cadence),
          anchorLine: lineKey(lineOfVersion(cal.anchor.version, granularity), granularity),
          anchorDate: cal.anchor.date,
          releaseDay: cal.releaseDay ?? Number(cal.anchor.date.slice(8, 10)),
          cutDay: cal.cutDay ?? null,
          cutDaysBefore: cal.cutDaysBefore ?? null,
        }
      : null,
    regular: parseWindow(config.support.regular),
    lts: { rule, window: parseWindow(lts?.window ?? "24 months") },
    windowFrom: config.support.from,
    overrides: config.support.overrides.map((o): LineOverride => ({
      line: normalise(o.line),
      ...(o.lts !== undefined && { lts: o.lts }),
      ...(o.endOfSupport !== undefined && { endOfSupport: o.endOfSupport }),
      ...(o.extend !== undefined && { extend: parseDuration(o.extend) }),
      ...(o.note !== undefined && { note: o.note }),
    })),
    security: config.selectors.security,
  };
}

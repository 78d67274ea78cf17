/** Named policies. A preset sits under the user's keys: anything the file sets overrides it. */
import type { ConfigInput } from "./schema.js";

/**
 * Wasmtime's adopted policy: a major every month (branch cut on the 5th, release on the 20th, nominal
 * dates from 20.0.0 on 2024-04-20); regular lines supported 2 months, every 12th line from 24 is LTS
 * and supported 24 months; security fixes go to every supported line and the upcoming one.
 */
const wasmtime: ConfigInput = {
  lines: { granularity: "major", branch: "release-{major}.0.0", tag: "v{version}" },
  calendar: { cadence: "1 month", anchor: { version: "20.0.0", date: "2024-04-20" }, releaseDay: 20, cutDay: 5 },
  support: { regular: "2 months", from: "nominal", lts: { every: 12, from: "24", window: "24 months" } },
  selectors: { security: ["supported", "upcoming"] },
};

export const PRESETS: Record<string, ConfigInput> = { wasmtime };

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Deep merge: objects merge key by key, everything else (arrays included) is replaced. */
export function mergeUnder(base: Plain, top: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const under = Object.hasOwn(out, key) ? out[key] : undefined;
    // Defined, not assigned: a key named `__proto__` stays a key (and an unknown one), never the prototype.
    Object.defineProperty(out, key, { value: isPlain(under) && isPlain(value) ? mergeUnder(under, value) : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Typed engine errors: each carries a code and the facts its message is built from. */
export type EngineErrorDetail =
  | { code: "unknown-selector"; selector: string; valid: string[] }
  | { code: "bad-range"; range: string; problem: string }
  | { code: "bad-date"; value: string }
  | { code: "bad-duration"; value: string }
  | { code: "bad-version"; value: string }
  /** Date arithmetic left the years 0000–9999 the engine computes in, e.g. `2024-04-20 + 99999999 months`. */
  | { code: "date-out-of-range"; computation: string }
  /** A policy handed to the engine that the config schema would not have produced (a count of 0, a NaN). */
  | { code: "bad-policy"; field: string; value: string; expected: string };

export class EngineError extends Error {
  readonly detail: EngineErrorDetail;
  constructor(detail: EngineErrorDetail) {
    super(describeEngineError(detail));
    this.name = "EngineError";
    this.detail = detail;
  }
  get code(): EngineErrorDetail["code"] {
    return this.detail.code;
  }
}

export function describeEngineError(detail: EngineErrorDetail): string {
  switch (detail.code) {
    case "unknown-selector":
      return `unknown selector or branch "${detail.selector}"; valid: ${detail.valid.join(", ")}`;
    case "bad-range":
      return `bad version range "${detail.range}": ${detail.problem}`;
    case "bad-date":
      return `bad date "${detail.value}": expected a calendar day as YYYY-MM-DD`;
    case "bad-duration":
      return `bad duration "${detail.value}": expected e.g. "2 months", "6 weeks", "90 days" or "1 year"`;
    case "bad-version":
      return `bad version "${detail.value}": expected a release version like 36.0.1`;
    case "date-out-of-range":
      return `date out of range: ${detail.computation} falls outside the years 0000–9999`;
    case "bad-policy":
      return `bad policy: ${detail.field} is ${detail.value}; expected ${detail.expected}`;
  }
}

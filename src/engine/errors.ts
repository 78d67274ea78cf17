/** Typed engine errors: each carries a code and the facts its message is built from. */
export type EngineErrorDetail =
  | { code: "unknown-selector"; selector: string; valid: string[] }
  | { code: "bad-range"; range: string; problem: string }
  | { code: "bad-date"; value: string }
  | { code: "bad-duration"; value: string };

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
  }
}

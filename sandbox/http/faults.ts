/**
 * Faults on demand: latency on every call, and chosen calls answered with a failure GitHub really gives
 * (5xx, a dropped connection, a secondary rate limit, "Reference already exists"). Rules pick calls by
 * operation id or route, by count, and by a seeded fraction so a failing run can be replayed.
 *
 * Some failures come after GitHub has done the work: `apply-then-500`, `apply-then-502` and
 * `apply-then-drop` run the handler (its effect stays) and then answer 5xx or drop the connection;
 * `apply-then-kill` also revokes every installation token issued so far, so the App process that sent the
 * request is as good as dead (its later requests are dropped unapplied) and a fresh one must take over.
 * `hang` never answers: the connection stays open until the client gives up or the sandbox stops.
 */

export type FaultKind =
  | "500"
  | "502"
  | "drop"
  | "secondary-rate-limit"
  | "ref-exists"
  | "apply-then-500"
  | "apply-then-502"
  | "apply-then-drop"
  | "apply-then-kill"
  | "hang";

export const FAULT_KINDS: readonly FaultKind[] = [
  "500", "502", "drop", "secondary-rate-limit", "ref-exists",
  "apply-then-500", "apply-then-502", "apply-then-drop", "apply-then-kill", "hang",
];

export interface FaultRule {
  kind: FaultKind;
  /** An operationId (`git/create-ref`) or a route (`POST /repos/{owner}/{repo}/git/refs`); all calls when absent. */
  match?: string;
  /** Let this many matching calls through before failing. */
  after?: number;
  /** Fail at most this many matching calls (default: every one). */
  times?: number;
  /** Fail this fraction of matching calls, drawn from a generator seeded by `seed`. */
  fraction?: number;
  seed?: number;
  /** For `secondary-rate-limit`: the `retry-after` header in seconds (default 1). */
  retryAfter?: number;
  /** Only writes (not GET/HEAD). */
  writes?: boolean;
  /** Operation ids this rule leaves alone (e.g. the App's token requests). */
  except?: string[];
  /** Count `after` and `times` per operation, not across all matching calls: "the first write of every route". */
  perRoute?: boolean;
}

type Respond = { kind: "respond"; status: number; body: Record<string, unknown>; headers: Record<string, string> };

/**
 * What the server does with a call a rule picked. `respond` and `drop` replace the handler; `apply-then`
 * runs it first and then answers with `answer` (`respond`) or drops the connection (`drop`, `kill`).
 */
export type FaultAnswer =
  | { kind: "drop" }
  | { kind: "hang" }
  | Respond
  | { kind: "apply-then"; fault: FaultKind; then: Respond | { kind: "drop" } | { kind: "kill" } };

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  fired: number;
  /** With `perRoute`: seen and fired per operation. */
  routes: Map<string, { seen: number; fired: number }>;
  random: () => number;
}

export class Faults {
  latencyMs = 0;
  private readonly rules: ActiveRule[] = [];

  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    if (!FAULT_KINDS.includes(rule.kind)) throw new Error(`unknown fault kind ${JSON.stringify(rule.kind)} (one of ${FAULT_KINDS.join(", ")})`);
    const active: ActiveRule = { rule, seen: 0, fired: 0, routes: new Map(), random: mulberry32(rule.seed ?? 1) };
    this.rules.push(active);
    return () => {
      const index = this.rules.indexOf(active);
      if (index >= 0) this.rules.splice(index, 1);
    };
  }

  clear(): void {
    this.rules.length = 0;
    this.latencyMs = 0;
  }

  private routeCounter(active: ActiveRule, key: string): { seen: number; fired: number } {
    let counter = active.routes.get(key);
    if (!counter) {
      counter = { seen: 0, fired: 0 };
      active.routes.set(key, counter);
    }
    return counter;
  }

  /** The fault to inject for this call, if any rule fires. */
  pick({ operationId, method, route }: { operationId: string | null; method: string; route: string }): FaultAnswer | null {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.match && rule.match !== operationId && rule.match !== `${method} ${route}`) continue;
      if (rule.writes && /^(GET|HEAD)$/i.test(method)) continue;
      if (rule.except?.includes(operationId ?? "")) continue;
      const counter = rule.perRoute ? this.routeCounter(active, operationId ?? `${method} ${route}`) : active;
      counter.seen += 1;
      if (counter.seen <= (rule.after ?? 0)) continue;
      if (rule.times !== undefined && counter.fired >= rule.times) continue;
      if (rule.fraction !== undefined && active.random() >= rule.fraction) continue;
      counter.fired += 1;
      if (counter !== active) active.fired += 1;
      return answerFor(rule);
    }
    return null;
  }
}

const serverError = (status: 500 | 502): Respond => ({ kind: "respond", status, body: { message: "Server Error" }, headers: {} });

function answerFor(rule: FaultRule): FaultAnswer {
  const docs = "https://docs.github.com/rest";
  switch (rule.kind) {
    case "drop":
      return { kind: "drop" };
    case "hang":
      return { kind: "hang" };
    case "500":
      return serverError(500);
    case "502":
      return serverError(502);
    case "apply-then-500":
      return { kind: "apply-then", fault: rule.kind, then: serverError(500) };
    case "apply-then-502":
      return { kind: "apply-then", fault: rule.kind, then: serverError(502) };
    case "apply-then-drop":
      return { kind: "apply-then", fault: rule.kind, then: { kind: "drop" } };
    case "apply-then-kill":
      return { kind: "apply-then", fault: rule.kind, then: { kind: "kill" } };
    case "secondary-rate-limit":
      return {
        kind: "respond",
        status: 403,
        body: {
          message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url: `${docs}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
        },
        headers: { "retry-after": String(rule.retryAfter ?? 1) },
      };
    case "ref-exists":
      return {
        kind: "respond",
        status: 422,
        body: { message: "Reference already exists", documentation_url: `${docs}/git/refs#create-a-reference`, status: "422" },
        headers: {},
      };
  }
}

/** A small seeded generator: the same seed fails the same calls on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

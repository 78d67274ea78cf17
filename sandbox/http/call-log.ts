/** Every request the sandbox answered, for tests (what was written?) and benchmarks (how many calls?). */

export interface CallRecord {
  method: string;
  /** GitHub's operationId, e.g. `git/create-ref`; null for a route GitHub does not have. */
  operationId: string | null;
  /** The route template, e.g. `/repos/{owner}/{repo}/git/refs`. */
  route: string;
  path: string;
  /** What the client got; 0 when it got no answer (a dropped or hung connection). */
  status: number;
  latencyMs: number;
  write: boolean;
  actor: string;
  /**
   * The fault that fired, if any: the injected status (`500`, `502`, `403`, `422`) or `drop` for the faults that
   * replace the handler; the kind (`apply-then-500`, `apply-then-502`, `apply-then-drop`, `apply-then-kill`, `hang`)
   * for the others; `revoked-token` for a request from a killed App instance, dropped unapplied.
   */
  fault: string | null;
  /** Under an `apply-then-*` fault: the status the handler produced (its effect stays), before the fault replaced it. */
  applied?: number;
  at: number;
}

export interface CallCounts {
  calls: number;
  reads: number;
  writes: number;
  byOperation: Record<string, number>;
}

export class CallLog {
  readonly calls: CallRecord[] = [];

  record(call: CallRecord): void {
    this.calls.push(call);
  }

  /** Calls since a mark (an index from `mark()`), so a test can count one step's cost. */
  since(mark = 0): CallRecord[] {
    return this.calls.slice(mark);
  }

  mark(): number {
    return this.calls.length;
  }

  writes(mark = 0): CallRecord[] {
    return this.since(mark).filter((call) => call.write);
  }

  counts(mark = 0): CallCounts {
    const calls = this.since(mark);
    const byOperation: Record<string, number> = {};
    for (const call of calls) {
      const key = call.operationId ?? `${call.method} ${call.route}`;
      byOperation[key] = (byOperation[key] ?? 0) + 1;
    }
    const writes = calls.filter((call) => call.write).length;
    return { calls: calls.length, reads: calls.length - writes, writes, byOperation };
  }

  clear(): void {
    this.calls.length = 0;
  }
}

export const isWrite = (method: string): boolean => !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());

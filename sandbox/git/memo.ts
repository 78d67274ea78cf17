/**
 * A bounded memo for answers that can never change: git objects are content-addressed and the sandbox
 * never deletes them (gc is off), so what a full sha names, the merge of two commits or the diff of two
 * trees is the same forever. Only answers are kept, never "missing" (an object can be written later).
 * Starting a process is the sandbox's main cost (15-30 ms each on a small machine), and the App asks for
 * the same commits many times per backport.
 */
export class Memo {
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly capacity = 20_000) {}

  async get<T>(key: string, compute: () => Promise<T>, keep: (value: T) => boolean = (value) => value !== null): Promise<T> {
    if (this.entries.has(key)) {
      const value = this.entries.get(key) as T;
      // Least recently used goes first: re-insert at the end.
      this.entries.delete(key);
      this.entries.set(key, value);
      return value;
    }
    const value = await compute();
    if (keep(value)) {
      // Shared between callers from now on: a caller that sorts or edits it in place fails loudly.
      if (Array.isArray(value)) Object.freeze(value);
      this.entries.set(key, value);
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    }
    return value;
  }

  peek<T>(key: string): T | undefined {
    return this.entries.get(key) as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** Specs that name an object through a full sha only (`<sha>`, `<sha>^{commit}`, `<sha>:<path>`): immutable. */
export const isFixedSpec = (spec: string) => /^[0-9a-f]{40}(?:\^\{(?:commit|tree)\}|:.*)?$/s.test(spec);

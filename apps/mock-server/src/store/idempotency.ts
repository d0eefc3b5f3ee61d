import { createHash } from 'node:crypto';

export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}

/** A stable hash of a JSON value: object keys sorted, so key order does not matter. */
export function fingerprint(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(value) ?? null))
    .digest('hex');
}

/**
 * First answers to `Idempotency-Key`s per API key, bounded (oldest forgotten first).
 * The same key with the same body replays the answer; with another body it is a conflict.
 */
export class IdempotencyStore {
  readonly #answers = new Map<string, StoredAnswer>();

  constructor(private readonly capacity: number) {}

  get(owner: string, key: string): StoredAnswer | undefined {
    return this.#answers.get(`${owner}\n${key}`);
  }

  set(owner: string, key: string, answer: StoredAnswer): void {
    this.#answers.set(`${owner}\n${key}`, answer);
    while (this.#answers.size > this.capacity) {
      this.#answers.delete(this.#answers.keys().next().value as string);
    }
  }

  clear(): void {
    this.#answers.clear();
  }
}

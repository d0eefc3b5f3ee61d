import { createHash } from 'node:crypto';

import type { Task } from '@eggapi/contracts';

/** The first answer to an `Idempotency-Key`: the task it created and what the request was. */
export interface StoredAnswer {
  /** `fingerprint()` of the request body and scenario: another request under the key is a conflict. */
  fingerprint: string;
  task: Task;
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

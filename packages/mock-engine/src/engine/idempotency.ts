import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { base64url } from '../internal/base64url.js';

/**
 * The first answer to an `Idempotency-Key`: which task it created and what the request was. The
 * answer is rendered again from the task (as of its creation), so a stored key keeps a task id
 * and a hash, not a copy of the answer.
 */
export interface StoredAnswer {
  /** `fingerprint()` of the request body and scenario: another request under the key is a conflict. */
  fingerprint: string;
  taskId: string;
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
  return base64url(sha256(utf8ToBytes(JSON.stringify(canonical(value) ?? null))));
}

/** One way an exchange through the validating proxy differed from the contract. */
export interface ContractViolation {
  /** Unique in this process (`vi_1`, `vi_2`, …), so a list can tell two alike apart. */
  id: string;
  /** When it was seen (ISO 8601, real time). */
  at: string;
  /** Whether the client's request or the upstream's answer differed. */
  direction: 'request' | 'response';
  /** Upper-case, e.g. `POST`. */
  method: string;
  /** The path without the query, e.g. `/v1/tasks/gen_abc`. */
  path: string;
  /** The status the client got (the upstream's, or the proxy's 502/504). */
  status: number;
  /** Each difference: a dotted path (`''` for the whole) and what is wrong. */
  issues: { path: string; message: string }[];
  /** The exchange's `X-Request-Id` (the upstream's when it answered one). */
  request_id: string;
}

/** How many violations the log keeps; older ones are dropped (but still counted). */
export const VIOLATIONS_KEPT = 1_000;
/** The most issues kept per violation, and characters per issue's path and message. */
const MAX_ISSUES = 50;
const MAX_CHARS = 500;

const clip = (text: string) => (text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text);

/**
 * The validating proxy's contract violations, newest first, at most `VIOLATIONS_KEPT`, in this
 * process's memory (the proxy keeps no other state). `count` is every one this process saw,
 * dropped and cleared ones included: what the shutdown line reports.
 */
export class ViolationLog {
  #entries: ContractViolation[] = [];
  #count = 0;

  record(violation: Omit<ContractViolation, 'id'>): void {
    this.#count++;
    const issues = violation.issues
      .slice(0, MAX_ISSUES)
      .map((issue) => ({ path: clip(issue.path), message: clip(issue.message) }));
    this.#entries.unshift({
      id: `vi_${this.#count}`,
      ...violation,
      path: clip(violation.path),
      request_id: clip(violation.request_id),
      issues,
    });
    if (this.#entries.length > VIOLATIONS_KEPT) this.#entries.length = VIOLATIONS_KEPT;
  }

  /** Copies of the kept violations, newest first. */
  list(): ContractViolation[] {
    return structuredClone(this.#entries);
  }

  get count(): number {
    return this.#count;
  }

  /** Forgets the kept violations; `count` goes on (it is what the process saw). */
  clear(): void {
    this.#entries = [];
  }
}

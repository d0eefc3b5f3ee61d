import { paginationFor, type Page } from '@eggapi/contracts';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { EngineCore } from './core.js';
import { EngineError } from './errors.js';
import {
  journalQuerySchema,
  passes,
  type JournalFilter,
  type JournalQuery,
} from './journal-query.js';
import { journalEntry, type AnsweredRequest, type JournalEntry } from './journal-entry.js';
import { verify } from './near-misses.js';
import { compileExpectation } from './request-matcher.js';
import { parseInput } from './validation.js';

/** How often a verification that waits (`within`) re-reads a shared store's journal. */
const SHARED_POLL_MS = 50;

/**
 * The request journal: every `/v1` and image request, newest first, at most `journalSize` kept
 * (on a shared store, every instance's). Recording never makes a request wait or fail: the
 * store's write runs after the answer, and its failure goes to `onError`; every read first waits
 * for this instance's writes in flight, so a test reading right after its request sees it.
 */
export class RequestJournal {
  readonly #pending = new Set<Promise<void>>();
  readonly #listeners = new Set<() => void>();
  readonly #prefix = bytesToHex(crypto.getRandomValues(new Uint8Array(6)));
  #counter = 0;

  constructor(private readonly core: EngineCore) {}

  /** Whether requests are recorded (`journalSize` > 0). */
  get enabled(): boolean {
    return this.core.options.journalSize > 0;
  }

  /**
   * Starts the entry of a request arriving now; the returned function records it once answered
   * (call it once). A no-op with the journal off.
   */
  begin(): (request: AnsweredRequest) => void {
    if (!this.enabled) return () => {};
    const { options, keys } = this.core;
    const at = options.now();
    // Real time, not the mock's: on a virtual clock a request still takes its time.
    const started = performance.now();
    return (request) => {
      try {
        const id = `rq_${this.#prefix}${(++this.#counter).toString(16).padStart(8, '0')}`;
        const entry = journalEntry(
          request,
          { id, at, durationMs: performance.now() - started },
          (key) => keys.shownKey(key),
        );
        const { method, path, status } = entry;
        const write: Promise<void> = this.core.store.journal
          .add(entry)
          .then(() => this.core.emit({ type: 'request.recorded', id, method, path, status }))
          .catch((error: unknown) => this.core.onError(error))
          .finally(() => {
            this.#pending.delete(write);
            for (const listener of this.#listeners) listener();
          });
        this.#pending.add(write);
      } catch (error) {
        this.core.onError(error);
      }
    };
  }

  /** Resolves once this instance's journal writes in flight are stored (or failed). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /** Every entry, newest first, once this instance's writes in flight are stored. */
  async entries(): Promise<JournalEntry[]> {
    await this.settled();
    return this.core.store.journal.list();
  }

  /** The entries `filter` passes, newest first. */
  async requests(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return (await this.entries()).filter((entry) => passes(filter, entry));
  }

  /** A page of the entries the query's filter passes; VALIDATION_ERROR naming a bad member. */
  async page(query: JournalQuery): Promise<Page<JournalEntry>> {
    const { page, per_page, ...filter } = parseInput(journalQuerySchema(), query);
    const matching = await this.requests(filter);
    const start = (page - 1) * per_page;
    return {
      items: matching.slice(start, start + per_page),
      pagination: paginationFor(matching.length, { page, per_page }),
    };
  }

  /** Forgets every entry (of every instance, on a shared store). */
  async clear(): Promise<void> {
    await this.settled();
    await this.core.store.journal.clear();
  }

  /**
   * Resolves with the entries `matcher` matches (newest first) when their count is as
   * expected, waiting up to `within` ms for them to arrive; else VERIFICATION_FAILED (422),
   * whose message is the report (see `verify`). VALIDATION_ERROR for a bad matcher or options.
   */
  async expect(input: unknown): Promise<JournalEntry[]> {
    const expectation = compileExpectation(input, (key) => this.core.keys.shownKey(key));
    if (!this.enabled) {
      throw new EngineError(
        'VERIFICATION_FAILED',
        'the request journal is off (journalSize: 0): nothing can be verified',
      );
    }
    let outcome = verify(expectation, await this.entries());
    if (!outcome.satisfied && expectation.within > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let wake: () => void = () => {};
      let timedOut = false;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          resolve();
        }, expectation.within);
      });
      const listener = () => wake();
      this.#listeners.add(listener);
      try {
        // Too many can only grow (short of a clear): no point waiting then.
        while (!outcome.satisfied && !timedOut && outcome.matches.length <= expectation.max) {
          const next = new Promise<void>((resolve) => (wake = resolve));
          const poll = this.core.store.shared
            ? new Promise<void>((resolve) => setTimeout(resolve, SHARED_POLL_MS))
            : undefined;
          await Promise.race([deadline, next, ...(poll ? [poll] : [])]);
          outcome = verify(expectation, await this.entries());
        }
      } finally {
        clearTimeout(timer);
        this.#listeners.delete(listener);
      }
    }
    if (!outcome.satisfied) {
      throw new EngineError('VERIFICATION_FAILED', outcome.report, outcome.details);
    }
    return outcome.matches;
  }
}

import type { TimingConfig, TimingPreset } from './options.js';
import type { ClockView } from './clock.js';
import type { Delivery } from './engine/deliveries.js';
import type { MockEngine } from './engine/engine.js';
import type { FaultInput, QueuedFault } from './engine/faults.js';
import type { ConfigPatch } from './engine/runtime-config.js';
import type { ConfigView } from './engine/types.js';
import { EngineError } from './engine/errors.js';
import type { JournalEntry } from './engine/journal-entry.js';
import type { JournalFilter } from './engine/journal-query.js';
import type { RequestMatcher, VerifyOptions } from './engine/request-matcher.js';

/** The test controls every way of running the mock offers (the server, the MSW handlers). */
export interface MockControls {
  /** The engine behind the mock: every rule and admin operation, as an async API. */
  engine: MockEngine;
  /** Webhook deliveries (optionally of one task), with every attempt. */
  deliveries(taskId?: string): Promise<Delivery[]>;
  /** Waits until `predicate` holds for the deliveries of a task (checked on every attempt). */
  waitForDeliveries(
    taskId: string,
    predicate: (deliveries: Delivery[]) => boolean,
    timeoutMs?: number,
  ): Promise<Delivery[]>;
  /** Ends a task now as completed. */
  completeTask(id: string): Promise<void>;
  /** Ends a task now as failed with `message`. */
  failTask(id: string, message?: string): Promise<void>;
  /** Changes lifecycle timing for tasks created from now on. */
  setTiming(timing: TimingPreset | TimingConfig): Promise<void>;
  /** Changes runtime settings and balances, as `PATCH /__admin/config`. */
  configure(patch: ConfigPatch): Promise<ConfigView>;
  /** Queues a fault for the next matching `/v1` request(s). */
  injectFault(fault: FaultInput): Promise<QueuedFault[]>;
  /** Forgets all tasks, usage, deliveries, faults, idempotent answers and journal entries. */
  reset(): Promise<void>;
  /**
   * Moves the mock's clock `ms` forward and applies everything then due, each at its own time:
   * tasks end (usage, refunds), webhook attempts are made and awaited, and the retries their
   * backoff puts inside the step go out too. Resolves once all of that has happened.
   * With `clock: 'virtual'` time moves only so (exact steps). With the default `real` clock the
   * step adds to the wall clock, which passes too: for exact steps inject `now` (a fixed time,
   * say) or use fake timers; under fake timers an attempt to a receiver that never answers
   * waits for its timeout timer.
   *
   * @throws RangeError unless `ms` is a whole number of milliseconds from 0 to a year
   */
  advance(ms: number): Promise<void>;
  /** `advance(0)`: applies what is due by the clock now (after `vi.advanceTimersByTime`, say). */
  tick(): Promise<void>;
  /** The mock's time (ISO 8601) and its mode (`real` or `virtual`), as `GET /__admin/clock`. */
  clock(): ClockView;
  /**
   * The request journal's entries (`/v1` and images) that `filter` passes, newest first, once
   * this mock's own recordings in flight are stored.
   */
  requests(filter?: JournalFilter): Promise<JournalEntry[]>;
  /** Forgets every journal entry. */
  clearRequests(): Promise<void>;
  /**
   * Resolves with the journal entries `matcher` matches (newest first) when as many arrived as
   * expected: exactly 1 by default, or `times`, `atLeast`, `atMost`; with `within` (ms, ≤ 60 000)
   * it waits that long for them. Otherwise rejects with an Error whose message says how many
   * matched and shows the 3 nearest misses, field by field (deterministic: assert it verbatim).
   * @throws TypeError for a bad matcher or options (an unknown field, a bad regex)
   */
  expectRequest(matcher: RequestMatcher, options?: VerifyOptions): Promise<JournalEntry[]>;
}

/** The test controls over `engine`; image links of ended tasks start with `baseUrl`. */
export function mockControls(engine: MockEngine, baseUrl: string): MockControls {
  const end = (id: string, fail?: string) =>
    engine.endTask(id, fail === undefined ? {} : { fail }, baseUrl);
  return {
    engine,
    deliveries: (taskId) => engine.deliveries({ task_id: taskId }),
    waitForDeliveries: (taskId, predicate, timeoutMs = 10_000) =>
      waitForDeliveries(engine, taskId, predicate, timeoutMs),
    completeTask: async (id) => void (await end(id)),
    failTask: async (id, message = 'generation failed: failed by the test') =>
      void (await end(id, message)),
    setTiming: async (timing) => void (await engine.configure({ timing })),
    configure: (patch) => engine.configure(patch),
    injectFault: (fault) => engine.injectFault(fault),
    reset: () => engine.reset(),
    advance: async (ms) => void (await engine.advanceClock(ms)),
    tick: async () => void (await engine.advanceClock(0)),
    clock: () => engine.clock(),
    requests: (filter) => engine.requests(filter),
    clearRequests: () => engine.clearRequests(),
    expectRequest: (matcher, options) => expectRequest(engine, matcher, options),
  };
}

/** `MockEngine.expectRequest` as the handles offer it: a bad matcher is a TypeError. */
async function expectRequest(
  engine: MockEngine,
  matcher: RequestMatcher,
  options?: VerifyOptions,
): Promise<JournalEntry[]> {
  try {
    return await engine.expectRequest(matcher, options);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'VERIFICATION_FAILED') {
      // An Error of its own (no `code` noise in a test runner's output): the message is the report.
      throw Object.assign(new Error(error.message), { name: 'RequestVerificationError' });
    }
    if (error instanceof EngineError && error.code === 'VALIDATION_ERROR') {
      throw new TypeError(`expectRequest: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Resolves once `predicate` holds for a task's deliveries: checked now and after each attempt. */
function waitForDeliveries(
  engine: MockEngine,
  taskId: string,
  predicate: (deliveries: Delivery[]) => boolean,
  timeoutMs: number,
): Promise<Delivery[]> {
  return new Promise((resolve, reject) => {
    let last: Delivery[] = [];
    let done = false;
    const finish = (error?: Error) => {
      done = true;
      unsubscribe();
      clearTimeout(timer);
      clearInterval(poll);
      if (error) reject(error);
      else resolve(last);
    };
    const check = () => {
      if (done) return;
      engine.deliveries({ task_id: taskId }).then((deliveries) => {
        last = deliveries;
        if (!done && predicate(deliveries)) finish();
      }, finish);
    };
    const unsubscribe = engine.on((event) => {
      if (event.type === 'task.ended' || event.type === 'delivery.attempted') check();
    });
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `deliveries of ${taskId} did not match in ${timeoutMs} ms: ${JSON.stringify(last)}`,
          ),
        ),
      timeoutMs,
    );
    // Attempts another instance makes raise no event here.
    const poll = engine.shared ? setInterval(check, 100) : undefined;
    check();
  });
}

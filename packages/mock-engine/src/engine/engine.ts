import type { Page, PaginationQuery, Task, UsageRecord, WebhookEvent } from '@eggapi/contracts';
import type { ResolvedEngineOptions } from '../options.js';
import { AdminOperations } from './admin.js';
import type { BrowseQuery } from './browse.js';
import type { ClockView } from '../clock.js';
import { ClockWalk } from './clock-walk.js';
import { EngineCore } from './core.js';
import type { Delivery } from './deliveries.js';
import type { FaultInput, FaultRequest, QueuedFault } from './faults.js';
import { EngineJobs } from './jobs.js';
import { RequestJournal } from './journal.js';
import type { AnsweredRequest, JournalEntry } from './journal-entry.js';
import type { JournalFilter, JournalQuery } from './journal-query.js';
import type { RequestMatcher, VerifyOptions } from './request-matcher.js';
import { RequestGuards } from './request-guards.js';
import type { FaultSpec } from './scenarios.js';
import { shutdown } from './shutdown.js';
import { Sweeper } from './sweep.js';
import { TaskImages } from './task-images.js';
import { TaskLifecycle } from './task-lifecycle.js';
import type { AdminTask } from './task-record.js';
import { TaskReads } from './task-reads.js';
import { ViolationLog, type ContractViolation } from './violations.js';
import type {
  ConfigView,
  CreateTaskInput,
  EngineDeps,
  EngineEvent,
  EngineHealth,
  ShutdownReport,
} from './types.js';

/**
 * The mock's rules behind one narrow async API: the task lifecycle (planned at creation, status
 * from the clock), billing and balances, usage, idempotency, scenarios and faults, webhook
 * deliveries with upstream's retry policy, and runtime settings. It knows nothing of HTTP: every
 * transport (the express server, MSW handlers) parses, calls one method, renders.
 *
 * It settles itself: every read first applies the ends that are due, so no caller ever sees a
 * task whose planned end has passed without its effects (usage, refund, webhook).
 *
 * Each concern lives in its own part (`TaskLifecycle`, `TaskReads`, `TaskImages`,
 * `RequestGuards`, `AdminOperations`, `EngineJobs`, `Sweeper`, `shutdown`); this class composes
 * them.
 */
export class MockEngine {
  readonly #core: EngineCore;
  readonly #jobs: EngineJobs;
  readonly #lifecycle: TaskLifecycle;
  readonly #reads: TaskReads;
  readonly #images: TaskImages;
  readonly #guards: RequestGuards;
  readonly #admin: AdminOperations;
  readonly #sweeper: Sweeper;
  readonly #walk: ClockWalk;
  readonly #journal: RequestJournal;
  readonly #violations = new ViolationLog();

  /** @throws TypeError for a virtual clock over a shared store (see `ClockWalk.advance`) */
  constructor(options: ResolvedEngineOptions, deps: EngineDeps) {
    if (options.mockClock.mode === 'virtual' && deps.store.shared) {
      throw new TypeError(
        "invalid mock options: clock: 'virtual' needs the memory store: with a shared store (Redis) planned work runs on Redis time across instances, which a test clock cannot move",
      );
    }
    const core = (this.#core = new EngineCore(options, deps));
    const lifecycle = (this.#lifecycle = new TaskLifecycle(core));
    const jobs = (this.#jobs = new EngineJobs(core, lifecycle));
    this.#reads = new TaskReads(core, jobs, lifecycle);
    this.#images = new TaskImages(core, jobs, lifecycle, deps.renderPng, deps.imageCache);
    this.#guards = new RequestGuards(core);
    this.#admin = new AdminOperations(core, jobs, lifecycle, [this.#reads, this.#images]);
    this.#sweeper = new Sweeper(core, lifecycle);
    this.#walk = new ClockWalk({
      clock: options.mockClock,
      scheduler: core.scheduler,
      runDue: () => jobs.runDue(),
      shared: () => core.store.shared,
    });
    this.#journal = new RequestJournal(core);
    jobs.start();
    this.#sweeper.start();
  }

  /**
   * Whether other instances share this engine's state (the Redis store): their work raises no
   * events here, so whoever waits for a change must also poll.
   */
  get shared(): boolean {
    return this.#core.store.shared;
  }

  /** The accepted API keys. */
  get apiKeys(): readonly string[] {
    return this.#core.options.apiKeys;
  }

  /** Listens to what happens; returns the function that stops listening. */
  on(listener: (event: EngineEvent) => void): () => void {
    return this.#core.on(listener);
  }

  // ── The API ──────────────────────────────────────────────────────────────────────────────

  /**
   * The owner id of an `Authorization` value's API key (a keyed hash: what tasks, balances and
   * idempotency keys are stored under); UNAUTHORIZED when missing, malformed or unknown.
   */
  authenticate(authorization: string | undefined): Promise<string> {
    return this.#core.keys.authenticate(authorization);
  }

  /**
   * Counts a request of `client` (an IP, or a bucket such as `images:<ip>`) against the rate
   * limit; RATE_LIMITED past it. With `floor`, the bucket allows at least that many per second
   * while a limit is on (off stays off).
   */
  checkRateLimit(client: string, floor = 0): Promise<void> {
    return this.#guards.checkRateLimit(client, floor);
  }

  /**
   * A fault queued through the admin API for this request (before authentication), if any; its
   * use is an event (`fault.used`, with the uses left).
   */
  queuedFault(request: FaultRequest): Promise<FaultSpec | undefined> {
    return this.#guards.queuedFault(request);
  }

  /**
   * The fault the request's `X-EggAPI-Mock-Fault` header asks for, if this is one of the first
   * `times` such requests. Call it only for authenticated requests: parsing is cheap and capped,
   * but nobody without a key gets to drive the mock.
   */
  headerFault(request: FaultRequest): Promise<FaultSpec | undefined> {
    return this.#guards.headerFault(request);
  }

  /**
   * Creates a task at `pending` (202 upstream), reserving its price when the key has a balance.
   * With an idempotency key, the same request gets the first answer again (`replayed`) and
   * another request under the key is IDEMPOTENCY_CONFLICT.
   */
  createTask(input: CreateTaskInput): Promise<{ task: Task; replayed: boolean }> {
    return this.#lifecycle.create(input);
  }

  /** The owner's task, counted as one poll; NOT_FOUND when missing or another key's. */
  getTask(ownerOrKey: string, id: string, baseUrl: string): Promise<Task> {
    return this.#reads.get(ownerOrKey, id, baseUrl);
  }

  /** The owner's tasks, newest first. */
  listTasks(ownerOrKey: string, query: PaginationQuery, baseUrl: string): Promise<Page<Task>> {
    return this.#reads.list(ownerOrKey, query, baseUrl);
  }

  /** The owner's usage records (one per completed task), newest first. */
  listUsage(ownerOrKey: string, query: PaginationQuery): Promise<Page<UsageRecord>> {
    return this.#reads.usage(ownerOrKey, query);
  }

  /**
   * The PNG of output `index` of a completed task, public like upstream's file host; `undefined`
   * when there is none. The same request and seed always give the same bytes.
   */
  image(taskId: string, index: number): Promise<{ png: Uint8Array; etag: string } | undefined> {
    return this.#images.image(taskId, index);
  }

  /**
   * Applies every planned effect due by the engine's clock (task ends, webhook attempts and the
   * retries that fall due meanwhile) and resolves once no attempt is in flight or waiting: what
   * a test that moved the clock waits for. Reads apply due task ends by themselves.
   */
  runDue(): Promise<void> {
    return this.#jobs.runDue();
  }

  /** The mock's time (ISO 8601) and how it passes (`clock` option: `real` or `virtual`). */
  clock(): ClockView {
    return this.#core.options.mockClock.view();
  }

  /**
   * Moves the mock's clock `ms` forward, walking it to each planned job's due time in turn and
   * running what is due there to its end: tasks end (usage, refunds), webhook attempts are made
   * and awaited, and the retries their backoff puts inside the step go out at their own times.
   * Resolves with the clock's view once all of that has happened. Steps asked for at once are
   * taken one after the other. In `real` mode the step adds to the wall clock's time.
   *
   * @throws RangeError unless `ms` is a whole number of milliseconds from 0 to a year
   * @throws EngineError CONFLICT with a shared store (Redis)
   */
  async advanceClock(ms: number): Promise<ClockView> {
    const view = await this.#walk.advance(ms);
    this.#core.emit({ type: 'clock.moved', now: view.now });
    return view;
  }

  // ── Admin operations ─────────────────────────────────────────────────────────────────────

  /**
   * The store in use (with Redis: its reachability), stored tasks, and this instance's webhook
   * attempts in flight or waiting for a free slot.
   */
  health(): Promise<EngineHealth> {
    return this.#admin.health();
  }

  /** The runtime settings and the balances, keyed by the keys' fingerprints (`sk_t…ggapi`). */
  config(): Promise<ConfigView> {
    return this.#admin.config();
  }

  /**
   * Changes runtime settings (`timing` for tasks created from now on, `rateLimit`, `webhooks`)
   * and balances (`null` removes one). VALIDATION_ERROR naming the bad member otherwise.
   */
  configure(patch: unknown): Promise<ConfigView> {
    return this.#admin.configure(patch);
  }

  /**
   * Any key's task, with its owner's fingerprint, its request and its times (`AdminTask`).
   * NOT_FOUND when there is no such task.
   */
  task(id: string, baseUrl: string): Promise<AdminTask> {
    return this.#admin.task(id, baseUrl);
  }

  /**
   * Every key's tasks, newest first (`AdminTask`s), optionally only one key's (`owner`: its
   * fingerprint, `sk_t…ggapi`, among the keys this instance accepts) or one status's, as a page
   * (`page`, `per_page` as the API's lists). VALIDATION_ERROR naming a bad member.
   */
  browseTasks(query: BrowseQuery, baseUrl: string): Promise<Page<AdminTask>> {
    return this.#admin.browseTasks(query, baseUrl);
  }

  /**
   * The fingerprints of the keys this instance accepts, in their configured order: unique among
   * them (`keyFingerprints`).
   */
  keyFingerprints(): string[] {
    return this.#core.keys.fingerprints();
  }

  /**
   * Ends a task now: completed, or failed with `fail`'s message. CONFLICT when it has already
   * ended; NOT_FOUND when there is no such task.
   */
  endTask(id: string, outcome: { fail?: string }, baseUrl: string): Promise<Task> {
    return this.#admin.endTask(id, outcome, baseUrl);
  }

  /**
   * The webhook event of an ended task, exactly as a delivery of it carries it (and would, for a
   * task created without a `webhook_url`). CONFLICT while the task has not ended; NOT_FOUND when
   * there is no such task.
   */
  webhookEvent(id: string, baseUrl: string): Promise<WebhookEvent> {
    return this.#admin.webhookEvent(id, baseUrl);
  }

  faults(): Promise<QueuedFault[]> {
    return this.#admin.faults();
  }

  /** Queues a fault for the next `times` matching `/v1` requests; VALIDATION_ERROR if bad. */
  injectFault(fault: FaultInput): Promise<QueuedFault[]> {
    return this.#admin.injectFault(fault);
  }

  clearFaults(): Promise<void> {
    return this.#admin.clearFaults();
  }

  /** Deliveries (optionally of one task), with every attempt, oldest first. */
  deliveries(filter: { task_id?: string } = {}): Promise<Delivery[]> {
    return this.#admin.deliveries(filter);
  }

  delivery(id: string): Promise<Delivery> {
    return this.#admin.delivery(id);
  }

  /** Starts a new round of attempts for a delivery that succeeded or failed (CONFLICT while pending). */
  redeliver(id: string): Promise<Delivery> {
    return this.#admin.redeliver(id);
  }

  /**
   * Forgets every task, usage record, delivery, fault, idempotent answer, journal entry and
   * contract violation; restores balances.
   */
  async reset(): Promise<void> {
    await this.#journal.settled();
    this.#violations.clear();
    return this.#admin.reset();
  }

  // ── Contract violations (the validating proxy) ───────────────────────────────────────────

  /** Keeps a contract violation the validating proxy saw (bounded, newest first). */
  recordViolation(violation: Omit<ContractViolation, 'id'>): void {
    this.#violations.record(violation);
  }

  /** The kept contract violations, newest first (`GET /__admin/violations`). */
  violations(): ContractViolation[] {
    return this.#violations.list();
  }

  /** Every contract violation seen since the start, dropped and reset ones included. */
  get violationCount(): number {
    return this.#violations.count;
  }

  // ── The request journal ──────────────────────────────────────────────────────────────────

  /**
   * Starts the journal entry of a `/v1` or image request arriving now (the mock's clock); the
   * transport calls the returned function once, when it has answered (or dropped) it. Recording
   * never fails or delays the request: the store's failure goes to `onError`.
   */
  journalRequest(): (request: AnsweredRequest) => void {
    return this.#journal.begin();
  }

  /** The journal's entries `filter` passes, newest first (see `JournalFilter`). */
  requests(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return this.#journal.requests(filter);
  }

  /** A page of the journal (`GET /__admin/requests`); VALIDATION_ERROR naming a bad member. */
  requestPage(query: JournalQuery): Promise<Page<JournalEntry>> {
    return this.#journal.page(query);
  }

  /** Forgets every journal entry. */
  clearRequests(): Promise<void> {
    return this.#journal.clear();
  }

  /**
   * The journal entries `matcher` matches, newest first, when as many arrived as `options`
   * expect (exactly 1 by default; waiting up to `within` ms). VERIFICATION_FAILED (422) with a
   * report of the count and the 3 nearest misses otherwise; VALIDATION_ERROR for a bad matcher.
   */
  expectRequest(matcher: RequestMatcher, options: VerifyOptions = {}): Promise<JournalEntry[]> {
    return this.#journal.expect({ ...options, matcher });
  }

  /** `expectRequest` for `POST /__admin/requests/verify`'s body (`{ matcher, times?, … }`). */
  verifyRequests(body: unknown): Promise<JournalEntry[]> {
    return this.#journal.expect(body);
  }

  /**
   * Stops within `graceMs` and reports what was left undone. With a private (memory) store it
   * first finishes what it can: attempts in flight, retries and task ends falling due in that
   * time; then aborts what still runs. With a shared store it takes no more jobs and leaves the
   * planned ones for the other instances. With `graceMs: 0` it abandons at once.
   */
  shutdown(graceMs: number): Promise<ShutdownReport> {
    return shutdown(this.#core, this.#jobs, this.#sweeper, graceMs);
  }
}

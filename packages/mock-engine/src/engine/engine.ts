import type { Page, PaginationQuery, Task, UsageRecord } from '@eggapi/contracts';
import { bearerToken, costForImages, formatTaskCost, paginationFor } from '@eggapi/contracts';
import { LRUCache } from 'lru-cache';
import { MAX_DURATION_MS, type ResolvedEngineOptions } from '../options.js';
import { ImageCache } from '../images/cache.js';
import { imageKey, imageSize, type PngRenderer } from '../images/picture.js';
import { finishesWithin, withDeadline } from '../internal/deadline.js';
import { createRandom, randomToken, type Random } from '../internal/random.js';
import { jobResult, type Job, type JobResult, type Scheduler } from './ports/scheduler.js';
import type { MockStore } from './ports/store.js';
import type { Delivery } from './deliveries.js';
import { EngineError, invalidHeader, notFound, validationError } from './errors.js';
import {
  FaultInputSchema,
  headerFaultKey,
  routeMatches,
  type FaultInput,
  type FaultRequest,
  type QueuedFault,
} from './faults.js';
import { keyFingerprints, ownerIdOf } from './fingerprint.js';
import { fingerprint, type StoredAnswer } from './idempotency.js';
import { endOf, planLifecycle } from './lifecycle.js';
import { ConfigPatchSchema, patchedConfig } from './runtime-config.js';
import { checkRateLimit } from './rate-limit.js';
import {
  parseFault,
  ScenarioSyntaxError,
  scenarioFor,
  type FaultSpec,
  type TaskScenario,
} from './scenarios.js';
import {
  endedFields,
  toAdminTask,
  toCreatedTask,
  toTask,
  type AdminTask,
  type TaskRecord,
} from './task-record.js';
import { browseQuerySchema, type BrowseQuery } from './browse.js';
import type {
  ConfigView,
  CreateTaskInput,
  EngineDeps,
  EngineEvent,
  EngineHealth,
  ShutdownReport,
} from './types.js';
import { toUsageRecord, usageEntryFor } from './usage.js';
import { parseInput } from './validation.js';
import { WebhookDeliveries } from './webhook-deliveries.js';

/** Rendered views of ended tasks kept for polling (about 0.5 KB each). */
const VIEW_CACHE_ENTRIES = 1_000;
/**
 * With a shared store: how often each instance looks for planned work that has no job (a stall
 * or a crash between a store write and a queue write), and how overdue it must be to count.
 */
const SWEEP_INTERVAL_MS = 2_000;
const SWEEP_OVERDUE_MS = 1_000;
/** See `EngineDeps.inFlightGraceMs`. */
const DEFAULT_IN_FLIGHT_GRACE_MS = 30_000;
/** At shutdown, how long aborted webhook attempts may take to let go, and a forced close to finish. */
const ABORT_RESERVE_MS = 1_000;

/**
 * The mock's rules behind one narrow async API: the task lifecycle (planned at creation, status
 * from the clock), billing and balances, usage, idempotency, scenarios and faults, webhook
 * deliveries with upstream's retry policy, and runtime settings. It knows nothing of HTTP: every
 * transport (the express server, MSW handlers) parses, calls one method, renders.
 *
 * It settles itself: every read first applies the ends that are due, so no caller ever sees a
 * task whose planned end has passed without its effects (usage, refund, webhook).
 */
export class MockEngine {
  readonly #options: ResolvedEngineOptions;
  readonly #store: MockStore;
  readonly #scheduler: Scheduler;
  /** Owner id of each accepted API key, and the fingerprint shown for each owner id. */
  readonly #ownerOfKey = new Map<string, string>();
  readonly #fingerprintOfOwner = new Map<string, string>();
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  readonly #images: ImageCache;
  readonly #views = new LRUCache<string, Task>({ max: VIEW_CACHE_ENTRIES });
  readonly #webhooks: WebhookDeliveries;
  readonly #onError: (error: unknown) => void;
  /** Task ends that jobs have started and not finished (reads wait for them). */
  readonly #jobEnds = new Set<Promise<unknown>>();
  readonly #renderPng: PngRenderer;
  #taskIds!: Random;
  #deliveryIds!: Random;
  #timingRandom!: Random;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #sweeping = false;

  constructor(options: ResolvedEngineOptions, deps: EngineDeps) {
    this.#options = options;
    this.#store = deps.store;
    for (const [key, shown] of keyFingerprints(options.apiKeys)) {
      const owner = ownerIdOf(this.#store.salt, key);
      this.#ownerOfKey.set(key, owner);
      this.#fingerprintOfOwner.set(owner, shown);
    }
    this.#onError = deps.onError ?? ((error) => console.error('eggapi-mock:', error));
    this.#renderPng = deps.renderPng;
    this.#images = deps.imageCache ?? new ImageCache();
    this.#scheduler = deps.scheduler;
    this.#webhooks = new WebhookDeliveries(
      {
        store: this.#store,
        scheduler: this.#scheduler,
        sign: deps.sign,
        send: deps.sender,
        now: options.now,
        secret: options.webhookSecret,
        publicBaseUrl: options.publicBaseUrl,
        newId: () => `whd_${randomToken(this.#deliveryIds, 16)}`,
        fingerprintOf: (owner) => this.#fingerprintOf(owner),
        // An instance may go this long without answering before its work moves on (its lock).
        inFlightGraceMs: deps.inFlightGraceMs ?? DEFAULT_IN_FLIGHT_GRACE_MS,
        emit: (event) => this.#emit(event),
      },
      options.webhooks.concurrency,
    );
    this.#reseed();
    this.#scheduler.start((job) => this.#run(job));
    if (this.#store.shared) {
      this.#sweeper = setInterval(() => void this.#sweep(), SWEEP_INTERVAL_MS);
      (this.#sweeper as { unref?: () => void }).unref?.();
    }
  }

  /**
   * Whether other instances share this engine's state (the Redis store): their work raises no
   * events here, so whoever waits for a change must also poll.
   */
  get shared(): boolean {
    return this.#store.shared;
  }

  /** The accepted API keys. */
  get apiKeys(): readonly string[] {
    return this.#options.apiKeys;
  }

  /** Listens to what happens; returns the function that stops listening. */
  on(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ── The API ──────────────────────────────────────────────────────────────────────────────

  /**
   * The owner id of an `Authorization` value's API key (a keyed hash: what tasks, balances and
   * idempotency keys are stored under); UNAUTHORIZED when missing, malformed or unknown.
   */
  authenticate(authorization: string | undefined): Promise<string> {
    if (!authorization) {
      return Promise.reject(
        new EngineError('UNAUTHORIZED', 'missing API key: send "Authorization: Bearer <api key>"'),
      );
    }
    const key = bearerToken(authorization);
    if (key === undefined) {
      return Promise.reject(
        new EngineError(
          'UNAUTHORIZED',
          'malformed Authorization header: expected "Bearer <api key>"',
        ),
      );
    }
    const owner = this.#ownerOfKey.get(key);
    if (owner === undefined) {
      return Promise.reject(new EngineError('UNAUTHORIZED', 'invalid API key'));
    }
    return Promise.resolve(owner);
  }

  /**
   * Counts a request of `client` (an IP, or a bucket such as `images:<ip>`) against the rate
   * limit; RATE_LIMITED past it. With `floor`, the bucket allows at least that many per second
   * while a limit is on (off stays off).
   */
  async checkRateLimit(client: string, floor = 0): Promise<void> {
    const { rateLimit } = await this.#store.config.get();
    const limit = rateLimit === false ? false : Math.max(rateLimit, floor);
    await checkRateLimit(this.#store.rateLimit, client, limit, this.#options.now());
  }

  /**
   * A fault queued through the admin API for this request (before authentication), if any; its
   * use is an event (`fault.used`, with the uses left).
   */
  async queuedFault(request: FaultRequest): Promise<FaultSpec | undefined> {
    const fault = await this.#store.faults.take((queued) => routeMatches(queued.route, request));
    if (fault) this.#emit({ type: 'fault.used', kind: fault.kind, remaining: fault.times });
    return fault;
  }

  /**
   * The fault the request's `X-EggAPI-Mock-Fault` header asks for, if this is one of the first
   * `times` such requests. Call it only for authenticated requests: parsing is cheap and capped,
   * but nobody without a key gets to drive the mock.
   */
  async headerFault(request: FaultRequest): Promise<FaultSpec | undefined> {
    const value = request.faultHeader;
    if (value === undefined || value.trim() === '') return undefined;
    let fault: FaultSpec;
    try {
      fault = parseFault(value);
    } catch (error) {
      if (error instanceof ScenarioSyntaxError) {
        throw invalidHeader('X-EggAPI-Mock-Fault', error.message);
      }
      throw error;
    }
    const count = await this.#store.faults.countHeader(headerFaultKey(request));
    return count <= fault.times ? fault : undefined;
  }

  /**
   * Creates a task at `pending` (202 upstream), reserving its price when the key has a balance.
   * With an idempotency key, the same request gets the first answer again (`replayed`) and
   * another request under the key is IDEMPOTENCY_CONFLICT.
   */
  async createTask(input: CreateTaskInput): Promise<{ task: Task; replayed: boolean }> {
    const owner = this.#ownerOf(input.apiKey);
    const { request, idempotencyKey } = input;
    const scenario = scenarioOf(input.scenario, request.prompt);
    const config = await this.#store.config.get();
    const createdAt = this.#options.now();
    let id: string;
    do id = `gen_${randomToken(this.#taskIds, 12)}`;
    while (await this.#store.tasks.get(id));
    if (idempotencyKey !== undefined) {
      const print = fingerprint([request, input.scenario ?? null]);
      const first = await this.#store.idempotency.claim(owner, idempotencyKey, {
        fingerprint: print,
        taskId: id,
      });
      if (first) return { task: await this.#replay(first, print), replayed: true };
    }
    const price = costForImages(request.num_outputs);
    const reserved = await this.#store.balances.reserve(owner, price);
    if (!reserved.ok) {
      if (idempotencyKey !== undefined)
        await this.#store.idempotency.release(owner, idempotencyKey);
      throw new EngineError(
        'INSUFFICIENT_BALANCE',
        `insufficient balance: this request costs ${formatTaskCost(price)}, the balance is ${formatTaskCost(reserved.balance)}`,
      );
    }
    const record: TaskRecord = {
      id,
      owner,
      type: request.image_urls && request.image_urls.length > 0 ? 'image_edit' : 'image_generate',
      request,
      createdAt,
      ...planLifecycle(createdAt, config.timing, this.#timingRandom, scenario),
    };
    // Only tasks with a webhook keep where they were created: the others cost no memory for it.
    if (request.webhook_url !== undefined) record.webhookImageBase = this.#base(input.baseUrl);
    if (!(await this.#store.tasks.add(record))) {
      // Another instance with the same seed took this id meanwhile: undo and create again.
      await this.#store.balances.refund(owner, price);
      if (idempotencyKey !== undefined) {
        await this.#store.idempotency.release(owner, idempotencyKey);
      }
      return this.createTask(input);
    }
    if (Number.isFinite(record.endsAt)) {
      await this.#scheduler.schedule({ kind: 'end-task', id }, record.endsAt);
    }
    const task = toCreatedTask(record);
    this.#emit({ type: 'task.created', task, owner: this.#fingerprintOf(owner) });
    return { task, replayed: false };
  }

  /** The first answer under an idempotency key again, or why there is none to give. */
  async #replay(first: StoredAnswer, print: string): Promise<Task> {
    if (first.fingerprint !== print) {
      throw new EngineError(
        'IDEMPOTENCY_CONFLICT',
        'this Idempotency-Key was already used with a different request body',
      );
    }
    const original = await this.#store.tasks.get(first.taskId);
    if (!original) {
      // Stripe answers the same while the first request under a key is still running.
      throw new EngineError(
        'IDEMPOTENCY_CONFLICT',
        'the first request with this Idempotency-Key has not finished (or its task is no longer stored); retry it',
      );
    }
    return toCreatedTask(original);
  }

  /** The owner's task, counted as one poll; NOT_FOUND when missing or another key's. */
  async getTask(ownerOrKey: string, id: string, baseUrl: string): Promise<Task> {
    const owner = this.#ownerOf(ownerOrKey);
    await this.#applyDue();
    let record = await this.#store.tasks.get(id);
    if (!record || record.owner !== owner) throw notFound(`task ${id} not found`);
    if (!record.ended && record.pollsLeft !== undefined) {
      const now = this.#options.now();
      record = (await this.#store.tasks.countPoll(id, now)) ?? record;
      if ((record.pollsLeft ?? 1) <= 0) record = await this.#end(record, now);
    }
    record = await this.#settle(record);
    return this.#view(record, this.#options.now(), this.#base(baseUrl));
  }

  /** The owner's tasks, newest first. */
  async listTasks(
    ownerOrKey: string,
    query: PaginationQuery,
    baseUrl: string,
  ): Promise<Page<Task>> {
    const owner = this.#ownerOf(ownerOrKey);
    await this.#applyDue();
    const page = await this.#store.tasks.page(owner, query);
    const items = await Promise.all(page.items.map((r) => this.#settle(r)));
    const now = this.#options.now();
    const base = this.#base(baseUrl);
    return { items: items.map((r) => this.#view(r, now, base)), pagination: page.pagination };
  }

  /** The owner's usage records (one per completed task), newest first. */
  async listUsage(ownerOrKey: string, query: PaginationQuery): Promise<Page<UsageRecord>> {
    const owner = this.#ownerOf(ownerOrKey);
    await this.#applyDue();
    const page = await this.#store.usage.page(owner, query);
    return { items: page.items.map(toUsageRecord), pagination: page.pagination };
  }

  /**
   * The PNG of output `index` of a completed task, public like upstream's file host; `undefined`
   * when there is none. The same request and seed always give the same bytes.
   */
  async image(
    taskId: string,
    index: number,
  ): Promise<{ png: Uint8Array; etag: string } | undefined> {
    await this.#applyDue();
    const stored = await this.#store.tasks.get(taskId);
    const record = stored && (await this.#settle(stored));
    if (
      record?.ended?.status !== 'completed' ||
      !(index >= 0 && index < record.request.num_outputs)
    ) {
      return undefined;
    }
    const { request } = record;
    const key = imageKey(request, index, this.#seed);
    const { width, height } = imageSize(request.aspect_ratio, request.resolution);
    const png = await this.#images.getOrRender(`${key}:${width}x${height}`, () =>
      this.#renderPng(key, index, width, height),
    );
    return { png, etag: `"${key.slice(0, 32)}"` };
  }

  /**
   * Applies every planned effect due by the engine's clock (task ends, webhook attempts and the
   * retries that fall due meanwhile) and resolves once no attempt is in flight or waiting: what
   * a test that moved the clock waits for. Reads apply due task ends by themselves.
   */
  async runDue(): Promise<void> {
    for (;;) {
      await this.#applyDue();
      if (this.#webhooks.inFlight + this.#webhooks.queued === 0) return;
      await this.#webhooks.settled();
    }
  }

  // ── Admin operations ─────────────────────────────────────────────────────────────────────

  /**
   * The store in use (with Redis: its reachability), stored tasks, and this instance's webhook
   * attempts in flight or waiting for a free slot.
   */
  async health(): Promise<EngineHealth> {
    const { reachable, ...store } = await this.#store.health();
    const tasks = reachable ? await this.#store.tasks.size().catch(() => null) : null;
    return {
      status: reachable && tasks !== null ? 'ok' : 'unavailable',
      ...store,
      tasks,
      webhooks_in_flight: this.#webhooks.inFlight,
      webhooks_queued: this.#webhooks.queued,
    };
  }

  /** The runtime settings and the balances, keyed by the keys' fingerprints (`sk_t…ggapi`). */
  async config(): Promise<ConfigView> {
    const balances = Object.entries(await this.#store.balances.all()).map(
      ([owner, micros]) => [this.#fingerprintOf(owner), micros] as const,
    );
    return { ...(await this.#store.config.get()), balances: Object.fromEntries(balances) };
  }

  /**
   * Changes runtime settings (`timing` for tasks created from now on, `rateLimit`, `webhooks`)
   * and balances (`null` removes one). VALIDATION_ERROR naming the bad member otherwise.
   */
  async configure(patch: unknown): Promise<ConfigView> {
    const valid = parseInput(ConfigPatchSchema, patch);
    const next = patchedConfig(await this.#store.config.get(), valid);
    await this.#store.config.set(next);
    this.#webhooks.setConcurrency(next.webhooks.concurrency);
    for (const [key, micros] of Object.entries(valid.balances ?? {})) {
      await this.#store.balances.set(ownerIdOf(this.#store.salt, key), micros);
    }
    return this.config();
  }

  /**
   * Any key's task, with its owner's fingerprint, its request and its times (`AdminTask`).
   * NOT_FOUND when there is no such task.
   */
  async task(id: string, baseUrl: string): Promise<AdminTask> {
    await this.#applyDue();
    const stored = await this.#store.tasks.get(id);
    if (!stored) throw notFound(`task ${id} not found`);
    const record = await this.#settle(stored);
    return toAdminTask(
      record,
      this.#options.now(),
      this.#base(baseUrl),
      this.#fingerprintOf(record.owner),
    );
  }

  /**
   * Every key's tasks, newest first (`AdminTask`s), optionally only one key's (`owner`: its
   * fingerprint, `sk_t…ggapi`, among the keys this instance accepts) or one status's, as a page
   * (`page`, `per_page` as the API's lists). VALIDATION_ERROR naming a bad member.
   */
  async browseTasks(query: BrowseQuery, baseUrl: string): Promise<Page<AdminTask>> {
    const { status, owner, ...pagination } = parseInput(browseQuerySchema(), query);
    await this.#applyDue();
    const owners =
      owner === undefined
        ? undefined
        : [...this.#fingerprintOfOwner].filter(([, shown]) => shown === owner).map(([id]) => id);
    if (owners?.length === 0) return { items: [], pagination: paginationFor(0, pagination) };
    const page = await this.#store.tasks.browse(
      { owners, status, now: this.#options.now() },
      pagination,
    );
    const items = await Promise.all(page.items.map((r) => this.#settle(r)));
    const now = this.#options.now();
    const base = this.#base(baseUrl);
    return {
      items: items.map((r) => toAdminTask(r, now, base, this.#fingerprintOf(r.owner))),
      pagination: page.pagination,
    };
  }

  /**
   * The fingerprints of the keys this instance accepts, in their configured order: unique among
   * them (`keyFingerprints`).
   */
  keyFingerprints(): string[] {
    return [...this.#fingerprintOfOwner.values()];
  }

  /**
   * Ends a task now: completed, or failed with `fail`'s message. CONFLICT when it has already
   * ended; NOT_FOUND when there is no such task.
   */
  async endTask(id: string, outcome: { fail?: string }, baseUrl: string): Promise<Task> {
    await this.#applyDue();
    const stored = await this.#store.tasks.get(id);
    if (!stored) throw notFound(`task ${id} not found`);
    const record = await this.#settle(stored);
    if (record.ended) throw new EngineError('CONFLICT', `task ${id} has already ended`);
    const ended = await this.#end(record, this.#options.now(), outcome.fail);
    return toTask(ended, this.#options.now(), this.#base(baseUrl));
  }

  faults(): Promise<QueuedFault[]> {
    return this.#store.faults.list();
  }

  /** Queues a fault for the next `times` matching `/v1` requests; VALIDATION_ERROR if bad. */
  async injectFault(fault: FaultInput): Promise<QueuedFault[]> {
    await this.#store.faults.enqueue(parseInput(FaultInputSchema, fault));
    return this.#store.faults.list();
  }

  clearFaults(): Promise<void> {
    return this.#store.faults.clear();
  }

  /** Deliveries (optionally of one task), with every attempt, oldest first. */
  async deliveries(filter: { task_id?: string } = {}): Promise<Delivery[]> {
    await this.#applyDue();
    return this.#store.deliveries.list(filter);
  }

  delivery(id: string): Promise<Delivery> {
    return this.#webhooks.get(id);
  }

  /** Starts a new round of attempts for a delivery that succeeded or failed (CONFLICT while pending). */
  redeliver(id: string): Promise<Delivery> {
    return this.#webhooks.redeliver(id);
  }

  /** Forgets every task, usage record, delivery, fault and idempotent answer; restores balances. */
  async reset(): Promise<void> {
    this.#webhooks.forgetInFlight();
    await this.#scheduler.clear();
    await this.#store.reset();
    const config = await this.#store.config.get();
    this.#webhooks.setConcurrency(config.webhooks.concurrency);
    this.#images.clear();
    this.#views.clear();
    this.#reseed();
    this.#emit({ type: 'reset' });
  }

  /**
   * Finishes what it can within `graceMs`: attempts in flight, retries and task ends falling due
   * in that time. Then aborts what still runs, stops, and reports what was left undone. With
   * `graceMs: 0` it abandons at once.
   */
  async shutdown(graceMs: number): Promise<ShutdownReport> {
    if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_DURATION_MS) {
      throw new TypeError(
        `graceMs must be a whole number of milliseconds from 0 to ${MAX_DURATION_MS}, got ${graceMs}`,
      );
    }
    this.#emit({ type: 'shutdown' });
    clearInterval(this.#sweeper);
    if (this.#store.shared) return this.#shutdownShared(graceMs);
    const deadline = this.#options.now() + graceMs;
    for (;;) {
      await this.#applyDue();
      const now = this.#options.now();
      const next = await this.#scheduler.nextDueAt();
      const busy = this.#webhooks.inFlight + this.#webhooks.queued > 0;
      const dueInGrace = next !== undefined && next <= deadline;
      if (now >= deadline || (!busy && !dueInGrace)) break;
      const wake = Math.max(0, Math.min(deadline, next ?? Infinity) - now);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        busy ? this.#webhooks.settled() : new Promise(() => {}),
        new Promise((resolve) => (timer = setTimeout(resolve, wake))),
      ]);
      clearTimeout(timer);
    }
    const stopped = this.#scheduler.stop();
    await this.#webhooks.abort();
    await stopped;
    return {
      unendedTasks: await this.#store.tasks.unended(),
      undeliveredWebhooks: (await this.#store.deliveries.pending()).map((d) => d.id),
    };
  }

  /**
   * Shutdown with a shared store: takes no more jobs, lets the attempts in flight finish within
   * `graceMs`, then aborts the rest. Nothing is abandoned: planned work stays queued, and an
   * aborted attempt is due again at once, for the other instances or the next start. Bounded by
   * the grace period whatever Redis does: past it, the worker is closed without waiting (its
   * jobs move on once their locks expire) and what could not be read is reported as unknown.
   */
  async #shutdownShared(graceMs: number): Promise<ShutdownReport> {
    const deadline = performance.now() + graceMs;
    const left = () => Math.max(0, deadline - performance.now());
    const stopped = this.#scheduler.stop();
    // The last part of the grace period (up to a second) is for aborting and closing.
    const reserve = Math.min(ABORT_RESERVE_MS, graceMs / 2);
    if (!(await finishesWithin(stopped, left() - reserve))) {
      await this.#webhooks.abort();
      if (!(await finishesWithin(stopped, Math.max(left(), ABORT_RESERVE_MS)))) {
        // Redis is away: close without waiting for the running jobs' last writes.
        await finishesWithin(this.#scheduler.stop(true), ABORT_RESERVE_MS);
      }
    } else await this.#webhooks.abort();
    let complete = true;
    const report = async <T>(read: () => Promise<T[]>): Promise<T[]> => {
      // However long the grace period was, the report gets a second to read what was left.
      const listed = await withDeadline(read(), Math.max(left(), 1_000)).catch(() => undefined);
      if (listed === undefined) complete = false;
      return listed ?? [];
    };
    const unendedTasks = await report(() => this.#store.tasks.unended());
    const pending = await report(() => this.#store.deliveries.pending());
    return {
      unendedTasks,
      undeliveredWebhooks: pending.map((d) => d.id),
      ...(complete ? {} : { incomplete: true }),
    };
  }

  // ── Rules applied when jobs fall due ────────────────────────────────────────────────────

  #run(job: Job): Promise<JobResult> {
    if (job.kind === 'deliver') return this.#webhooks.start(job.id, job.attempt);
    const ending = this.#endDue(job.id);
    this.#jobEnds.add(ending);
    const forget = () => this.#jobEnds.delete(ending);
    ending.then(forget, forget);
    return ending;
  }

  /** The job of a task's planned end: ends it, or says when to come back. */
  async #endDue(id: string): Promise<JobResult> {
    const record = await this.#store.tasks.get(id);
    if (!record || record.ended) return jobResult.done;
    if (record.endsAt > this.#options.now()) return jobResult.retryAt(record.endsAt);
    await this.#end(record, record.endsAt);
    return jobResult.done;
  }

  /**
   * Starts the jobs due by now and waits for the task ends among them (their usage, refunds and
   * deliveries), then starts the attempts those ends planned: what every read sees first. It
   * never waits for a webhook receiver.
   */
  async #applyDue(): Promise<void> {
    for (;;) {
      await this.#scheduler.runDue();
      if (this.#jobEnds.size === 0) return;
      await Promise.allSettled([...this.#jobEnds]);
    }
  }

  /**
   * With a shared store: plans what is due but has no job — a delivery whose next attempt was
   * never queued, a task whose end was never queued — because Redis stalled or an instance died
   * between the store's write and the queue's. Planning twice is harmless (jobs are named by
   * what they do), so every instance may sweep.
   */
  async #sweep(): Promise<void> {
    if (this.#sweeping) return;
    this.#sweeping = true;
    try {
      const now = this.#options.now();
      const { webhooks } = await this.#store.config.get();
      for (const delivery of await this.#store.deliveries.pending()) {
        const last = delivery.attempts.at(-1);
        const changedAt = Math.max(
          Date.parse(delivery.created_at),
          last ? Date.parse(last.at) : 0,
          delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) : 0,
        );
        if (now - changedAt >= SWEEP_OVERDUE_MS) await this.#webhooks.plan(delivery, webhooks);
      }
      for (const id of await this.#store.tasks.unended()) {
        const record = await this.#store.tasks.get(id);
        if (record && !record.ended && record.endsAt <= now - SWEEP_OVERDUE_MS) {
          await this.#settle(record);
        }
      }
    } catch {
      // Redis is away: health says so, and the next sweep tries again.
    } finally {
      this.#sweeping = false;
    }
  }

  /** A task whose planned end has passed, ended (once, whoever gets there first). */
  async #settle(record: TaskRecord): Promise<TaskRecord> {
    if (record.ended || record.endsAt > this.#options.now()) return record;
    return this.#end(record, record.endsAt);
  }

  /**
   * Ends a task once: in one store operation with its effects — usage (completed) or a refund
   * (failed), and its webhook delivery — so a stall or a crash leaves both or neither. Then
   * plans the delivery's first attempt (the sweep plans it if this fails).
   */
  async #end(record: TaskRecord, at: number, failure = record.failure): Promise<TaskRecord> {
    const end = endOf(record, at, failure);
    const ending: TaskRecord = { ...record, ...endedFields(end) };
    const completed = end.status === 'completed';
    const delivery = this.#webhooks.deliveryFor(ending);
    const ended = await this.#store.tasks.end(record.id, end, {
      ...(completed
        ? { usage: usageEntryFor(ending) }
        : { refund: { owner: record.owner, micros: costForImages(record.request.num_outputs) } }),
      ...(delivery && { delivery }),
    });
    if (!ended) return (await this.#store.tasks.get(record.id)) ?? record;
    if (delivery) await this.#webhooks.planNext(delivery);
    this.#emit({
      type: 'task.ended',
      task_id: ended.id,
      status: end.status,
      owner: this.#fingerprintOf(ended.owner),
    });
    return ended;
  }

  /** The owner id of an accepted API key; anything else is taken as an owner id already. */
  #ownerOf(ownerOrKey: string): string {
    return this.#ownerOfKey.get(ownerOrKey) ?? ownerOrKey;
  }

  /** The fingerprint shown for an owner id (an owner of a key this instance does not accept: its id). */
  #fingerprintOf(owner: string): string {
    return this.#fingerprintOfOwner.get(owner) ?? owner;
  }

  // ── Helpers ──────────────────────────────────────────────────────────────────────────────

  get #seed(): string {
    return this.#options.seed === undefined ? '' : String(this.#options.seed);
  }

  /**
   * The API view of a task. An ended task's view never changes again, and polling finished tasks
   * is the hot path: the views of recently read ended tasks are kept in a small LRU (bounded in
   * entries, so stored tasks cost no memory for it).
   */
  #view(record: TaskRecord, now: number, base: string): Task {
    if (!record.ended) return toTask(record, now, base);
    // The creation time tells apart tasks of the same id before and after a reset (with a seed).
    const key = `${record.id} ${record.createdAt} ${base}`;
    let view = this.#views.get(key);
    if (!view) this.#views.set(key, (view = deepFreeze(toTask(record, now, base))));
    return view;
  }

  /** The base of image links: the configured public URL, else where the request arrived. */
  #base(requestBase: string): string {
    return (this.#options.publicBaseUrl ?? requestBase).replace(/\/+$/, '');
  }

  /** Fresh random streams: with a seed, a reset engine repeats the ids of a new one. */
  #reseed(): void {
    const stream = (name: string) =>
      createRandom(this.#options.seed === undefined ? undefined : `${this.#seed}:${name}`);
    this.#taskIds = stream('tasks');
    this.#deliveryIds = stream('deliveries');
    this.#timingRandom = stream('timing');
  }

  #emit(event: EngineEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

/** The scenario of a create request; VALIDATION_ERROR naming the header or prompt marker. */
function scenarioOf(header: string | undefined, prompt: string): TaskScenario | undefined {
  try {
    return scenarioFor(header, prompt);
  } catch (error) {
    if (!(error instanceof ScenarioSyntaxError)) throw error;
    if (header !== undefined && header.trim() !== '') {
      throw invalidHeader('X-EggAPI-Mock-Scenario', error.message);
    }
    throw validationError([{ path: 'prompt', message: `[[mock: …]] marker: ${error.message}` }]);
  }
}

/** Freezes a rendered view shared between callers, so none can change another's answer. */
function deepFreeze<T extends object>(value: T): T {
  for (const member of Object.values(value)) {
    if (member !== null && typeof member === 'object') deepFreeze(member as object);
  }
  return Object.freeze(value);
}

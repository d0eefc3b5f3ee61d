import type { KnownTaskStatus, Page, PaginationQuery } from '@eggapi/contracts';
import type { Delivery } from '../deliveries.js';
import type { QueuedFault } from '../faults.js';
import type { StoredAnswer } from '../idempotency.js';
import type { RuntimeConfig } from '../runtime-config.js';
import type { TaskEnd, TaskRecord } from '../task-record.js';
import type { JournalEntry } from '../journal-entry.js';
import type { UsageEntry } from '../usage.js';

/**
 * What the engine keeps, and nothing else: no rules live here. Every method returns a Promise so
 * that a remote store (Redis) implements the same interface; the in-memory store is the default.
 * Methods that change shared state and must happen once (ending a task, reserving a balance,
 * counting a poll) are single operations here, so a remote store can make them atomic.
 */
export interface MockStore {
  /**
   * Whether this state outlives the instance and other instances read and write it (Redis). The
   * engine asks this, never which store or scheduler is plugged in, because three of its rules
   * follow from it:
   * - planned work can be kept here with no job to run it (an instance died, or the queue did
   *   not answer, between the store's write and the scheduler's), so every instance sweeps for it;
   * - shutdown leaves unfinished work planned, for the other instances or the next start,
   *   instead of finishing what it can in its grace period (a private store's work dies with it);
   * - the other instances' work raises no events here: whoever waits for a change also polls.
   */
  readonly shared: boolean;
  /** Whether the store answers, and what it says of itself (admin health); never rejects. */
  health(): Promise<StoreHealth>;
  readonly tasks: TaskStore;
  readonly usage: LogStore<UsageEntry>;
  readonly balances: BalanceStore;
  readonly idempotency: IdempotencyStore;
  readonly deliveries: DeliveryStore;
  readonly faults: FaultStore;
  readonly rateLimit: RateLimitStore;
  readonly config: ConfigStore;
  /** The request journal (bounded by `StoreInit.journalSize`); `reset` clears it too. */
  readonly journal: JournalStore;
  /**
   * The secret that owner ids are keyed with (`ownerIdOf`): random per memory store; on Redis,
   * created once per prefix and kept across resets, so every instance names an owner the same.
   */
  readonly salt: string;
  /** Forgets everything this store keeps (balances and config go back to `initial`). */
  reset(): Promise<void>;
}

/** Items per owner, newest-first pages, a global cap evicting the oldest. */
export interface LogStore<T extends { id: string; owner: string }> {
  /** Adds an item; resolves `false` (and adds nothing) when one with its id is stored already. */
  add(item: T): Promise<boolean>;
  get(id: string): Promise<T | undefined>;
  page(owner: string, query: PaginationQuery): Promise<Page<T>>;
  size(): Promise<number>;
}

export interface TaskStore extends LogStore<TaskRecord> {
  /**
   * Records the end of a task together with its effects, as one operation: both happen or
   * neither does (a remote store makes it atomic). Resolves with the ended task only for the call
   * that ended it (once); the effects are applied by that call only.
   */
  end(id: string, end: TaskEnd, effects: EndEffects): Promise<TaskRecord | undefined>;
  /**
   * Counts one poll of a task waiting for polls (the `polls` scenario): the first poll starts it
   * at `now`. Resolves with the task as it is after the poll.
   */
  countPoll(id: string, now: number): Promise<TaskRecord | undefined>;
  /** Ids of tasks that have not ended (shutdown reports). */
  unended(): Promise<string[]>;
  /**
   * Tasks of every owner, newest first, optionally only some owners' or one status's (the admin
   * list and the console). With a filter, one pass over the stored tasks.
   */
  browse(filter: TaskFilter, query: PaginationQuery): Promise<Page<TaskRecord>>;
}

/** What ending a task does besides: bill it (usage), refund it, plan its webhook delivery. */
export interface EndEffects {
  usage?: UsageEntry;
  refund?: { owner: string; micros: number };
  /** A new pending delivery (kept like `DeliveryStore` keeps them, evicting the oldest). */
  delivery?: Delivery;
}

/** What `TaskStore.browse` selects. */
export interface TaskFilter {
  /** Only the tasks of these owners (API keys); absent: every owner's. */
  owners?: readonly string[];
  /** Only tasks with this status at `now`, once a due end is applied (`settledStatusAt`). */
  status?: KnownTaskStatus;
  now: number;
}

export interface BalanceStore {
  /** Takes `micros` from the owner's balance when it can pay; keys without one always can. */
  reserve(owner: string, micros: number): Promise<{ ok: true } | { ok: false; balance: number }>;
  /** Gives `micros` back (a failed task); no-op for keys without a balance. */
  refund(owner: string, micros: number): Promise<void>;
  /** Sets a balance, or removes it (`null`: no limit). */
  set(owner: string, micros: number | null): Promise<void>;
  all(): Promise<Record<string, number>>;
}

export interface IdempotencyStore {
  /**
   * Stores `answer` under the key unless one is there already (set-if-absent, one operation, so
   * two concurrent requests cannot both create a task); resolves with the existing answer, if any.
   */
  claim(owner: string, key: string, answer: StoredAnswer): Promise<StoredAnswer | undefined>;
  /** Forgets a claim whose request was refused (it created nothing). */
  release(owner: string, key: string): Promise<void>;
}

export interface DeliveryStore {
  /** A copy of the delivery as stored now; change it only through `replace`. */
  get(id: string): Promise<Delivery | undefined>;
  /**
   * Compare-and-set: stores `after` in place of `before` (a delivery this store returned, or an
   * `after` it accepted) only if the stored one has not changed since. Resolves `false`, storing
   * nothing, when it has (another attempt or instance changed it) or it is gone (reset).
   */
  replace(before: Delivery, after: Delivery): Promise<boolean>;
  list(filter: { task_id?: string; owner?: string }): Promise<Delivery[]>;
  /** Deliveries that are still `pending` (shutdown reports). */
  pending(): Promise<Delivery[]>;
}

export interface FaultStore {
  list(): Promise<QueuedFault[]>;
  enqueue(fault: QueuedFault): Promise<void>;
  /** Takes one use of the first queued fault `matches` accepts. */
  take(matches: (fault: QueuedFault) => boolean): Promise<QueuedFault | undefined>;
  clear(): Promise<void>;
  /**
   * How many times requests with this fault-header key have been seen, this one included. At
   * most `HEADER_FAULT_COUNTS_KEPT` keys are counted; the oldest is forgotten beyond it.
   */
  countHeader(key: string): Promise<number>;
}

export interface RateLimitStore {
  /** Counts a request from `client` in the window starting at `windowStart`; resolves the count. */
  hit(client: string, windowStart: number): Promise<number>;
}

/**
 * The request journal: the newest `journalSize` entries (every instance's, on a shared store),
 * the oldest dropped beyond it.
 */
export interface JournalStore {
  add(entry: JournalEntry): Promise<void>;
  /** Every kept entry, newest first. */
  list(): Promise<JournalEntry[]>;
  clear(): Promise<void>;
}

export interface ConfigStore {
  get(): Promise<RuntimeConfig>;
  set(config: RuntimeConfig): Promise<void>;
}

/**
 * What a store says of itself for `GET /__admin/health`: `store` names it, `reachable` says whether
 * it answers (while it does not, the API answers 503 and health says `unavailable`), and the Redis
 * store adds its connection and job queue (`redis`).
 */
export type StoreHealth =
  { store: 'memory'; reachable: true } | { store: 'redis'; reachable: boolean; redis: RedisHealth };

/** What health reports of the Redis store (a plain type, with no Redis client's types behind it). */
export interface RedisHealth {
  url: string;
  prefix: string;
  reachable: boolean;
  latency_ms?: number;
  /** The shared job queue (every instance's planned task ends and webhook attempts). */
  jobs?: { waiting: number; delayed: number; active: number; failed: number };
  error?: string;
}

/** What a store starts from, and goes back to on reset. */
export interface StoreInit {
  /** Most tasks (and usage records, deliveries, idempotent answers) kept; oldest evicted first. */
  capacity: number;
  /** Most request journal entries kept (0: none are). */
  journalSize: number;
  /** Balances by owner id (`ownerIdOf(salt, key)`). */
  balances: Record<string, number>;
  config: RuntimeConfig;
}

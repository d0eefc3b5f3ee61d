import type { Page, PaginationQuery } from '@eggapi/contracts';
import type { Delivery } from '../engine/deliveries.js';
import type { QueuedFault } from '../engine/faults.js';
import type { StoredAnswer } from '../engine/idempotency.js';
import {
  endedFields,
  settledStatusAt,
  type TaskEnd,
  type TaskRecord,
} from '../engine/task-record.js';
import type { UsageEntry } from '../engine/usage.js';
import { HEADER_FAULT_COUNTS_KEPT } from '../engine/faults.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { OwnedLog } from './owned-log.js';
import { JournalRing } from './journal-ring.js';
import type {
  BalanceStore,
  ConfigStore,
  DeliveryStore,
  FaultStore,
  IdempotencyStore,
  LogStore,
  MockStore,
  RateLimitStore,
  TaskStore,
  StoreInit,
} from '../engine/ports/store.js';

/** The default store: everything in this process's memory, bounded by `capacity`. */
export function createMemoryStore(
  initFor: (salt: string) => StoreInit,
  salt = randomSalt(),
): MockStore {
  const init = initFor(salt);
  const tasks = new OwnedLog<TaskRecord>(init.capacity);
  const usage = new OwnedLog<UsageEntry>(init.capacity);
  const balances = new Map(Object.entries(init.balances));
  const answers = new BoundedMap<StoredAnswer>(init.capacity);
  const deliveries = new BoundedMap<Delivery>(init.capacity);
  /** The stored object each copy handed out was read from (`replace` compares against it). */
  const readFrom = new WeakMap<Delivery, Delivery>();
  const copyOf = (stored: Delivery): Delivery => {
    const copy = structuredClone(stored);
    readFrom.set(copy, stored);
    return copy;
  };
  const addDelivery = (delivery: Delivery) => {
    const stored = structuredClone(delivery);
    deliveries.set(delivery.id, stored);
    readFrom.set(delivery, stored);
  };
  const faultQueue: QueuedFault[] = [];
  const headerCounts = new BoundedMap<number>(HEADER_FAULT_COUNTS_KEPT);
  let rate = { windowStart: -1, counts: new Map<string, number>() };
  let config = structuredClone(init.config);
  const journal = new JournalRing(init.journalSize);

  const refund = (owner: string, micros: number) => {
    const balance = balances.get(owner);
    if (balance !== undefined) balances.set(owner, balance + micros);
  };

  const taskStore: TaskStore = {
    ...logStore(tasks),
    end: (id, end: TaskEnd, effects) => {
      const record = tasks.get(id);
      if (!record || record.ended) return Promise.resolve(undefined);
      Object.assign(record, endedFields(end));
      if (effects.usage && !usage.get(effects.usage.id)) usage.add(effects.usage);
      if (effects.refund) refund(effects.refund.owner, effects.refund.micros);
      if (effects.delivery) addDelivery(effects.delivery);
      return Promise.resolve(record);
    },
    countPoll: (id, now) => {
      const record = tasks.get(id);
      if (record && !record.ended && record.pollsLeft !== undefined) {
        if (!Number.isFinite(record.startsAt)) record.startsAt = now;
        record.pollsLeft -= 1;
      }
      return Promise.resolve(record);
    },
    unended: () => Promise.resolve([...tasks.values()].filter((t) => !t.ended).map((t) => t.id)),
    browse: ({ owners, status, now }, query) => {
      if (owners?.length === 1 && status === undefined) {
        return Promise.resolve(tasks.page(owners[0]!, query));
      }
      const mine = owners && new Set(owners);
      const matches =
        mine || status
          ? (task: TaskRecord) =>
              (!mine || mine.has(task.owner)) && (!status || settledStatusAt(task, now) === status)
          : undefined;
      return Promise.resolve(tasks.pageAll(query, matches));
    },
  };

  const balanceStore: BalanceStore = {
    reserve: (owner, micros) => {
      const balance = balances.get(owner);
      if (balance === undefined) return Promise.resolve({ ok: true });
      if (balance < micros) return Promise.resolve({ ok: false, balance });
      balances.set(owner, balance - micros);
      return Promise.resolve({ ok: true });
    },
    refund: (owner, micros) => Promise.resolve(refund(owner, micros)),
    set: (owner, micros) => {
      if (micros === null) balances.delete(owner);
      else balances.set(owner, micros);
      return Promise.resolve();
    },
    all: () => Promise.resolve(Object.fromEntries(balances)),
  };

  const idempotency: IdempotencyStore = {
    claim: (owner, key, answer) => {
      const existing = answers.get(`${owner}\n${key}`);
      if (!existing) answers.set(`${owner}\n${key}`, answer);
      return Promise.resolve(existing);
    },
    release: (owner, key) => Promise.resolve(void answers.delete(`${owner}\n${key}`)),
  };

  const deliveryStore: DeliveryStore = {
    get: (id) => {
      const stored = deliveries.get(id);
      return Promise.resolve(stored && copyOf(stored));
    },
    replace: (before, after) => {
      const stored = deliveries.get(before.id);
      if (!stored || readFrom.get(before) !== stored || after.id !== before.id) {
        return Promise.resolve(false);
      }
      const next = structuredClone(after);
      // In place: the map keeps its (insertion) order, which eviction follows.
      deliveries.set(after.id, next);
      readFrom.set(after, next);
      return Promise.resolve(true);
    },
    list: (filter) =>
      Promise.resolve(
        [...deliveries.values()]
          .filter(
            (d) =>
              (filter.task_id === undefined || d.task_id === filter.task_id) &&
              (filter.owner === undefined || d.owner === filter.owner),
          )
          .map(copyOf),
      ),
    pending: () =>
      Promise.resolve([...deliveries.values()].filter((d) => d.state === 'pending').map(copyOf)),
  };

  const faults: FaultStore = {
    list: () => Promise.resolve(faultQueue.map((f) => ({ ...f }))),
    enqueue: (fault) => Promise.resolve(void faultQueue.push({ ...fault })),
    take: (matches) => {
      const index = faultQueue.findIndex(matches);
      if (index < 0) return Promise.resolve(undefined);
      const fault = faultQueue[index]!;
      fault.times -= 1;
      if (fault.times <= 0) faultQueue.splice(index, 1);
      return Promise.resolve({ ...fault });
    },
    clear: () => {
      faultQueue.length = 0;
      headerCounts.clear();
      return Promise.resolve();
    },
    countHeader: (key) => {
      const count = (headerCounts.get(key) ?? 0) + 1;
      headerCounts.set(key, count);
      return Promise.resolve(count);
    },
  };

  const rateLimit: RateLimitStore = {
    hit: (client, windowStart) => {
      if (rate.windowStart !== windowStart) rate = { windowStart, counts: new Map() };
      const count = (rate.counts.get(client) ?? 0) + 1;
      rate.counts.set(client, count);
      return Promise.resolve(count);
    },
  };

  const configStore: ConfigStore = {
    get: () => Promise.resolve(config),
    set: (next) => Promise.resolve(void (config = next)),
  };

  return {
    tasks: taskStore,
    usage: logStore(usage),
    balances: balanceStore,
    idempotency,
    deliveries: deliveryStore,
    faults,
    rateLimit,
    config: configStore,
    journal: {
      add: (entry) => Promise.resolve(journal.add(entry)),
      list: () => Promise.resolve(journal.newestFirst()),
      clear: () => Promise.resolve(journal.clear()),
    },
    salt,
    shared: false,
    health: () => Promise.resolve({ store: 'memory', reachable: true }),
    reset: () => {
      tasks.clear();
      usage.clear();
      answers.clear();
      deliveries.clear();
      faultQueue.length = 0;
      headerCounts.clear();
      balances.clear();
      for (const [key, micros] of Object.entries(init.balances)) balances.set(key, micros);
      config = structuredClone(init.config);
      journal.clear();
      return Promise.resolve();
    },
  };
}

/** A fresh secret for owner ids: nothing this store keeps outlives the process. */
function randomSalt(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(16)));
}

function logStore<T extends { id: string; owner: string }>(log: OwnedLog<T>): LogStore<T> {
  return {
    add: (item) => {
      if (log.get(item.id)) return Promise.resolve(false);
      log.add(item);
      return Promise.resolve(true);
    },
    get: (id) => Promise.resolve(log.get(id)),
    page: (owner: string, query: PaginationQuery): Promise<Page<T>> =>
      Promise.resolve(log.page(owner, query)),
    size: () => Promise.resolve(log.size),
  };
}

/** A Map that forgets its oldest entries beyond `capacity`. */
class BoundedMap<V> extends Map<string, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: string, value: V): this {
    super.set(key, value);
    while (this.size > this.capacity) this.delete(this.keys().next().value as string);
    return this;
  }
}

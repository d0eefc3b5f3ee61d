import type { Page, PaginationQuery } from '@eggapi/contracts';
import { paginationFor } from '@eggapi/contracts';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Redis } from 'ioredis';
import { HEADER_FAULT_COUNTS_KEPT, settledStatusAt } from '@eggapi/mock-engine/host';
import type { Delivery } from '@eggapi/mock-engine/host';
import type { QueuedFault } from '@eggapi/mock-engine/host';
import type { StoredAnswer } from '@eggapi/mock-engine/host';
import type { RuntimeConfig } from '@eggapi/mock-engine/host';
import type { TaskEnd } from '@eggapi/mock-engine/host';
import type { StoreInit } from '@eggapi/mock-engine/host';
import type { JournalEntry } from '@eggapi/mock-engine/host';
import type { FaultStore, LogStore, MockStore, TaskStore } from '@eggapi/mock-engine/host';
import { storeKeys, type StoreKeys } from './keys.js';
import { SCRIPTS, type ScriptName } from './scripts.js';
import {
  decodeTask,
  decodeTimes,
  decodeUsage,
  encodeTask,
  encodeUsage,
  fieldsOf,
} from './task-codec.js';

/** How long an idempotency key is remembered (Stripe keeps them 24 hours). */
const ANSWER_TTL_MS = 24 * 60 * 60 * 1000;
/** A rate-limit window's counters outlive the window a little, then expire. */
const RATE_WINDOW_TTL_MS = 5_000;
/** Attempts to take a fault that other instances keep taking first. */
const FAULT_TAKE_TRIES = 20;

type Run = (name: ScriptName, keys: string[], args: (string | number)[]) => Promise<unknown>;

/**
 * The shared store: the same `MockStore` as the memory one, on Redis, so that any number of mock
 * instances with the same prefix answer from one state. Each operation that must happen once is
 * one Lua script (see scripts.ts). `init` is written when the prefix is new, and again by reset.
 * Its `health` comes from the connection that carries it (`connectRedis`).
 */
export async function createRedisStore(
  redis: Redis,
  prefix: string,
  initFor: (salt: string) => StoreInit,
): Promise<Omit<MockStore, 'health'>> {
  for (const [name, script] of Object.entries(SCRIPTS)) redis.defineCommand(name, script);
  const run: Run = (name, keys, args) =>
    (redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(
      ...keys,
      ...args,
    );
  const keys = storeKeys(prefix);
  await redis.set(keys.salt, bytesToHex(crypto.getRandomValues(new Uint8Array(16))), 'NX');
  const salt = (await redis.get(keys.salt))!;
  const init = initFor(salt);

  const writeInit = async () => {
    const initialized = await redis.set(keys.initialized, '1', 'NX');
    if (initialized !== 'OK') return;
    const multi = redis.multi().set(keys.config, JSON.stringify(init.config)).del(keys.balances);
    if (Object.keys(init.balances).length > 0) multi.hset(keys.balances, init.balances);
    await multi.exec();
  };
  await writeInit();

  const tasksLog = ownedLog(redis, run, keys, 'tasks', init.capacity, encodeTask, decodeTask);
  const taskKeys = keys.log('tasks');
  const tasks: TaskStore = {
    ...tasksLog,
    add: (record) => tasksLog.addWith(record, !record.ended),
    end: async (id, end: TaskEnd, { usage, refund, delivery }) => {
      const ended = { status: end.status, startedAt: end.startedAt, completedAt: end.completedAt };
      const usageKeys = keys.log('usage');
      const reply = await run(
        'taskEnd',
        [
          taskKeys.item + id,
          taskKeys.unended,
          usageKeys.item + (usage?.id ?? ''),
          usageKeys.owner + (usage?.owner ?? ''),
          usageKeys.order,
          usageKeys.seq,
          usageKeys.unended,
          keys.balances,
          keys.delivery + (delivery?.id ?? ''),
          keys.deliveryOrder,
          keys.deliveriesPending,
        ],
        [
          id,
          JSON.stringify(ended),
          String(end.completedAt),
          JSON.stringify(end.failure ?? null),
          init.capacity,
          ...(refund ? [refund.owner, refund.micros] : ['', '']),
          ...(delivery ? [delivery.id, JSON.stringify(delivery), keys.delivery] : ['', '', '']),
          ...(usage ? [usage.id, usageKeys.item, usageKeys.owner, ...encodeUsage(usage)] : ['']),
        ],
      );
      return reply ? decodeTask(fieldsOf(reply)) : undefined;
    },
    countPoll: async (id, now) =>
      decodeTask(fieldsOf(await run('taskPoll', [taskKeys.item + id], [String(now)]))),
    unended: () => redis.smembers(taskKeys.unended),
    browse: async ({ owners, status, now }, query) => {
      if (owners?.length === 1 && status === undefined) return tasksLog.page(owners[0]!, query);
      const start = (query.page - 1) * query.per_page;
      if (status === undefined) {
        const [total, ...items] = (await run(
          'logBrowse',
          [taskKeys.order],
          [start, start + query.per_page - 1, taskKeys.item, ...(owners ?? [])],
        )) as [number, ...unknown[]];
        return {
          items: items.map((reply) => decodeTask(fieldsOf(reply))).filter((t) => t !== undefined),
          pagination: paginationFor(total, query),
        };
      }
      // The status follows from the times by the engine's rule: the script reads them, this picks.
      const times = String(
        await run('taskTimes', [taskKeys.order], [taskKeys.item, ...(owners ?? [])]),
      ).split('\n');
      const ids: string[] = [];
      for (let i = 0; i + 4 < times.length; i += 5) {
        const [startsAt, endsAt, failure, ended] = times.slice(i + 1, i + 5);
        const task = decodeTimes({ startsAt, endsAt, failure, ended: ended || undefined });
        if (settledStatusAt(task, now) === status) ids.push(times[i]!);
      }
      // A task evicted since the script ran is left out of its page.
      const items = await Promise.all(
        ids.slice(start, start + query.per_page).map((id) => tasksLog.get(id)),
      );
      return {
        items: items.filter((t) => t !== undefined),
        pagination: paginationFor(ids.length, query),
      };
    },
  };

  const usageLog = ownedLog(redis, run, keys, 'usage', init.capacity, encodeUsage, decodeUsage);

  const faults: FaultStore = {
    list: async () =>
      (await redis.lrange(keys.faults, 0, -1)).map((json) => JSON.parse(json) as QueuedFault),
    enqueue: async (fault) => void (await redis.rpush(keys.faults, JSON.stringify(fault))),
    take: async (matches) => {
      for (let tries = 0; tries < FAULT_TAKE_TRIES; tries++) {
        const queued = await redis.lrange(keys.faults, 0, -1);
        const index = queued.findIndex((json) => matches(JSON.parse(json) as QueuedFault));
        if (index < 0) return undefined;
        const fault = JSON.parse(queued[index]!) as QueuedFault;
        fault.times -= 1;
        const taken = await run(
          'faultTake',
          [keys.faults],
          [index, queued[index]!, JSON.stringify(fault), fault.times <= 0 ? '1' : '0'],
        );
        if (taken) return fault;
      }
      return undefined;
    },
    clear: async () =>
      void (await redis.del(keys.faults, keys.faultHeaders, keys.faultHeaderOrder)),
    countHeader: async (key) =>
      Number(
        await run(
          'faultCount',
          [keys.faultHeaders, keys.faultHeaderOrder],
          [key, HEADER_FAULT_COUNTS_KEPT],
        ),
      ),
  };

  /** The JSON each delivery handed out was read as (`replace` compares against it). */
  const readAs = new WeakMap<Delivery, string>();
  const parseDelivery = (json: string): Delivery => {
    const delivery = JSON.parse(json) as Delivery;
    readAs.set(delivery, json);
    return delivery;
  };
  const readDeliveries = async (ids: string[]): Promise<Delivery[]> => {
    if (ids.length === 0) return [];
    const jsons = await redis.mget(ids.map((id) => keys.delivery + id));
    return jsons.filter((json) => json !== null).map(parseDelivery);
  };

  return {
    tasks,
    usage: usageLog,
    balances: {
      reserve: async (owner, micros) => {
        const [ok, balance] = (await run('balanceReserve', [keys.balances], [owner, micros])) as [
          number,
          string?,
        ];
        return ok === 1 ? { ok: true } : { ok: false, balance: Number(balance) };
      },
      refund: async (owner, micros) =>
        void (await run('balanceRefund', [keys.balances], [owner, micros])),
      set: async (owner, micros) =>
        void (micros === null
          ? await redis.hdel(keys.balances, owner)
          : await redis.hset(keys.balances, owner, micros)),
      all: async () =>
        Object.fromEntries(
          Object.entries(await redis.hgetall(keys.balances)).map(([k, v]) => [k, Number(v)]),
        ),
    },
    idempotency: {
      claim: async (owner, key, answer) => {
        const existing = await run(
          'claim',
          [keys.answer(owner, key)],
          [JSON.stringify(answer), ANSWER_TTL_MS],
        );
        return typeof existing === 'string' ? (JSON.parse(existing) as StoredAnswer) : undefined;
      },
      release: async (owner, key) => void (await redis.del(keys.answer(owner, key))),
    },
    deliveries: {
      get: async (id) => {
        const json = await redis.get(keys.delivery + id);
        return json === null ? undefined : parseDelivery(json);
      },
      replace: async (before, after) => {
        const json = JSON.stringify(after);
        const replaced = await run(
          'deliveryReplace',
          [keys.delivery + before.id, keys.deliveriesPending],
          [
            before.id,
            readAs.get(before) ?? JSON.stringify(before),
            json,
            after.state === 'pending' ? '1' : '0',
          ],
        );
        if (replaced !== 1) return false;
        readAs.set(after, json);
        return true;
      },
      list: async (filter) =>
        (await readDeliveries(await redis.lrange(keys.deliveryOrder, 0, -1))).filter(
          (d) =>
            (filter.task_id === undefined || d.task_id === filter.task_id) &&
            (filter.owner === undefined || d.owner === filter.owner),
        ),
      pending: async () => readDeliveries(await redis.smembers(keys.deliveriesPending)),
    },
    faults,
    rateLimit: {
      hit: async (client, windowStart) => {
        const key = keys.rate(windowStart, client);
        const [[, count] = []] = (await redis
          .multi()
          .incr(key)
          .pexpire(key, RATE_WINDOW_TTL_MS)
          .exec()) as [unknown, number][];
        return Number(count);
      },
    },
    config: {
      get: async () => {
        const json = await redis.get(keys.config);
        return json === null ? structuredClone(init.config) : (JSON.parse(json) as RuntimeConfig);
      },
      set: async (config) => void (await redis.set(keys.config, JSON.stringify(config))),
    },
    journal: {
      // One transaction: the list never holds more than journalSize entries.
      add: async (entry) => {
        if (init.journalSize === 0) return;
        await redis
          .multi()
          .lpush(keys.journal, JSON.stringify(entry))
          .ltrim(keys.journal, 0, init.journalSize - 1)
          .exec();
      },
      list: async () =>
        (await redis.lrange(keys.journal, 0, -1)).map((json) => JSON.parse(json) as JournalEntry),
      clear: async () => void (await redis.del(keys.journal)),
    },
    salt,
    shared: true,
    reset: async () => {
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', keys.pattern, 'COUNT', 1000);
        cursor = next;
        if (found.length > 0) await redis.unlink(...found);
      } while (cursor !== '0');
      await writeInit();
    },
  };
}

/** A `LogStore` of hashes: items by id, per-owner sorted sets, a global order that evicts. */
function ownedLog<T extends { id: string; owner: string }>(
  redis: Redis,
  run: Run,
  keys: StoreKeys,
  name: string,
  capacity: number,
  encode: (item: T) => string[],
  decode: (fields: Record<string, string>) => T | undefined,
): LogStore<T> & { addWith(item: T, unended: boolean): Promise<boolean> } {
  const k = keys.log(name);
  const addWith = async (item: T, unended: boolean) =>
    (await run(
      'logAdd',
      [k.item + item.id, k.owner + item.owner, k.order, k.seq, k.unended],
      [item.id, capacity, k.item, k.owner, unended ? '1' : '0', ...encode(item)],
    )) === 1;
  return {
    addWith,
    add: (item) => addWith(item, false),
    get: async (id) => decode(await redis.hgetall(k.item + id)),
    page: async (owner: string, query: PaginationQuery): Promise<Page<T>> => {
      const start = (query.page - 1) * query.per_page;
      const [total, ...items] = (await run(
        'logPage',
        [k.owner + owner],
        [start, start + query.per_page - 1, k.item],
      )) as [number, ...unknown[]];
      return {
        items: items.map((reply) => decode(fieldsOf(reply))).filter((item) => item !== undefined),
        pagination: paginationFor(total, query),
      };
    },
    size: () => redis.llen(k.order),
  };
}

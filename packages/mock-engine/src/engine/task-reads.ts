import type { Page, PaginationQuery, Task, UsageRecord } from '@eggapi/contracts';
import { LruMap } from '../internal/lru.js';
import type { EngineCore } from './core.js';
import { notFound } from './errors.js';
import type { EngineJobs } from './jobs.js';
import type { TaskLifecycle } from './task-lifecycle.js';
import { toTask, type TaskRecord } from './task-record.js';
import { toUsageRecord } from './usage.js';

/** Rendered views of ended tasks kept for polling (about 0.5 KB each). */
const VIEW_CACHE_ENTRIES = 1_000;

/**
 * What the API reads of an owner's tasks and usage, each settled first: no caller ever sees a
 * task whose planned end has passed without its effects.
 */
export class TaskReads {
  readonly #views = new LruMap<string, Task>(VIEW_CACHE_ENTRIES);

  constructor(
    private readonly core: EngineCore,
    private readonly jobs: EngineJobs,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  /** See `MockEngine.getTask`. */
  async get(ownerOrKey: string, id: string, baseUrl: string): Promise<Task> {
    const { store, options } = this.core;
    const owner = this.core.keys.ownerOf(ownerOrKey);
    await this.jobs.applyDue();
    let record = await store.tasks.get(id);
    if (!record || record.owner !== owner) throw notFound(`task ${id} not found`);
    if (!record.ended && record.pollsLeft !== undefined) {
      const now = options.now();
      record = (await store.tasks.countPoll(id, now)) ?? record;
      if ((record.pollsLeft ?? 1) <= 0) record = await this.lifecycle.end(record, now);
    }
    record = await this.lifecycle.settle(record);
    return this.#view(record, options.now(), this.core.base(baseUrl));
  }

  /** See `MockEngine.listTasks`. */
  async list(ownerOrKey: string, query: PaginationQuery, baseUrl: string): Promise<Page<Task>> {
    const owner = this.core.keys.ownerOf(ownerOrKey);
    await this.jobs.applyDue();
    const page = await this.core.store.tasks.page(owner, query);
    const items = await Promise.all(page.items.map((r) => this.lifecycle.settle(r)));
    const now = this.core.options.now();
    const base = this.core.base(baseUrl);
    return { items: items.map((r) => this.#view(r, now, base)), pagination: page.pagination };
  }

  /** See `MockEngine.listUsage`. */
  async usage(ownerOrKey: string, query: PaginationQuery): Promise<Page<UsageRecord>> {
    const owner = this.core.keys.ownerOf(ownerOrKey);
    await this.jobs.applyDue();
    const page = await this.core.store.usage.page(owner, query);
    return { items: page.items.map(toUsageRecord), pagination: page.pagination };
  }

  /** Forgets the kept views (reset). */
  clear(): void {
    this.#views.clear();
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
}

/** Freezes a rendered view shared between callers, so none can change another's answer. */
function deepFreeze<T extends object>(value: T): T {
  for (const member of Object.values(value)) {
    if (member !== null && typeof member === 'object') deepFreeze(member as object);
  }
  return Object.freeze(value);
}

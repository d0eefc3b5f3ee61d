import type { Page, Task, WebhookEvent } from '@eggapi/contracts';
import { paginationFor } from '@eggapi/contracts';
import { browseQuerySchema, type BrowseQuery } from './browse.js';
import type { EngineCore } from './core.js';
import type { Delivery } from './deliveries.js';
import { EngineError, notFound } from './errors.js';
import { FaultInputSchema, type FaultInput, type QueuedFault } from './faults.js';
import { ownerIdOf } from './fingerprint.js';
import type { EngineJobs } from './jobs.js';
import { ConfigPatchSchema, patchedConfig } from './runtime-config.js';
import type { TaskLifecycle } from './task-lifecycle.js';
import { statusAt, toAdminTask, toTask, type AdminTask, type TaskRecord } from './task-record.js';
import type { ConfigView, EngineHealth } from './types.js';
import { parseInput } from './validation.js';
import { webhookPayload } from './webhook-payload.js';

/**
 * What the admin API and the console do: health, runtime settings and balances, any key's tasks
 * (browse, look at, end now), faults, deliveries (look at, redeliver), and reset. Each validates
 * its input and names a bad member (VALIDATION_ERROR).
 */
export class AdminOperations {
  constructor(
    private readonly core: EngineCore,
    private readonly jobs: EngineJobs,
    private readonly lifecycle: TaskLifecycle,
    /** What else a reset forgets (rendered views and images). */
    private readonly caches: readonly { clear(): void }[],
  ) {}

  /** See `MockEngine.health`. */
  async health(): Promise<EngineHealth> {
    const { store, webhooks } = this.core;
    const { reachable, ...shown } = await store.health();
    const tasks = reachable ? await store.tasks.size().catch(() => null) : null;
    return {
      status: reachable && tasks !== null ? 'ok' : 'unavailable',
      ...shown,
      tasks,
      webhooks_in_flight: webhooks.inFlight,
      webhooks_queued: webhooks.queued,
    };
  }

  /** See `MockEngine.config`. */
  async config(): Promise<ConfigView> {
    const { store, keys } = this.core;
    const balances = Object.entries(await store.balances.all()).map(
      ([owner, micros]) => [keys.fingerprintOf(owner), micros] as const,
    );
    return { ...(await store.config.get()), balances: Object.fromEntries(balances) };
  }

  /** See `MockEngine.configure`. */
  async configure(patch: unknown): Promise<ConfigView> {
    const { store, webhooks } = this.core;
    const valid = parseInput(ConfigPatchSchema, patch);
    const next = patchedConfig(await store.config.get(), valid);
    await store.config.set(next);
    webhooks.setConcurrency(next.webhooks.concurrency);
    for (const [key, micros] of Object.entries(valid.balances ?? {})) {
      await store.balances.set(ownerIdOf(store.salt, key), micros);
    }
    return this.config();
  }

  /** See `MockEngine.task`. */
  async task(id: string, baseUrl: string): Promise<AdminTask> {
    const record = await this.#settled(id);
    return this.#adminView(record, this.core.options.now(), this.core.base(baseUrl));
  }

  /** See `MockEngine.browseTasks`. */
  async browseTasks(query: BrowseQuery, baseUrl: string): Promise<Page<AdminTask>> {
    const { store, options, keys } = this.core;
    const { status, owner, ...pagination } = parseInput(browseQuerySchema(), query);
    await this.jobs.applyDue();
    const owners = owner === undefined ? undefined : keys.ownersShownAs(owner);
    if (owners?.length === 0) return { items: [], pagination: paginationFor(0, pagination) };
    const page = await store.tasks.browse({ owners, status, now: options.now() }, pagination);
    const items = await Promise.all(page.items.map((r) => this.lifecycle.settle(r)));
    const now = options.now();
    const base = this.core.base(baseUrl);
    return { items: items.map((r) => this.#adminView(r, now, base)), pagination: page.pagination };
  }

  /** See `MockEngine.endTask`. */
  async endTask(id: string, outcome: { fail?: string }, baseUrl: string): Promise<Task> {
    const { options } = this.core;
    const record = await this.#settled(id);
    if (record.ended) throw new EngineError('CONFLICT', `task ${id} has already ended`);
    const ended = await this.lifecycle.end(record, options.now(), outcome.fail);
    return toTask(ended, options.now(), this.core.base(baseUrl));
  }

  /** See `MockEngine.webhookEvent`. */
  async webhookEvent(id: string, baseUrl: string): Promise<WebhookEvent> {
    const record = await this.#settled(id);
    if (!record.ended) {
      throw new EngineError(
        'CONFLICT',
        `task ${id} has not ended (it is ${statusAt(record, this.core.options.now())}): it has no webhook event yet`,
      );
    }
    return webhookPayload(record, this.core.webhooks.imageBaseOf(record, this.core.base(baseUrl)));
  }

  faults(): Promise<QueuedFault[]> {
    return this.core.store.faults.list();
  }

  /** See `MockEngine.injectFault`. */
  async injectFault(fault: FaultInput): Promise<QueuedFault[]> {
    await this.core.store.faults.enqueue(parseInput(FaultInputSchema, fault));
    return this.core.store.faults.list();
  }

  clearFaults(): Promise<void> {
    return this.core.store.faults.clear();
  }

  /** See `MockEngine.deliveries`. */
  async deliveries(filter: { task_id?: string }): Promise<Delivery[]> {
    await this.jobs.applyDue();
    return this.core.store.deliveries.list(filter);
  }

  delivery(id: string): Promise<Delivery> {
    return this.core.webhooks.get(id);
  }

  redeliver(id: string): Promise<Delivery> {
    return this.core.webhooks.redeliver(id);
  }

  /** See `MockEngine.reset`. */
  async reset(): Promise<void> {
    const { store, scheduler, webhooks } = this.core;
    webhooks.forgetInFlight();
    await scheduler.clear();
    await store.reset();
    const config = await store.config.get();
    webhooks.setConcurrency(config.webhooks.concurrency);
    for (const cache of this.caches) cache.clear();
    this.core.reseed();
    this.core.emit({ type: 'reset' });
  }

  /** Any key's task, settled; NOT_FOUND when there is no such task. */
  async #settled(id: string): Promise<TaskRecord> {
    await this.jobs.applyDue();
    const stored = await this.core.store.tasks.get(id);
    if (!stored) throw notFound(`task ${id} not found`);
    return this.lifecycle.settle(stored);
  }

  #adminView(record: TaskRecord, now: number, base: string): AdminTask {
    return toAdminTask(record, now, base, this.core.keys.fingerprintOf(record.owner));
  }
}

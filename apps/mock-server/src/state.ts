import type { GenerateRequest, PaginationQuery } from '@eggapi/contracts';
import type { Logger } from 'pino';
import {
  timingOf,
  type ResolvedOptions,
  type TimingConfig,
  type WebhookDeliveryConfig,
} from './config.js';
import { HttpError } from './errors.js';
import { ImageCache } from './images.js';
import { createRandom, randomToken, type Random } from './internal/random.js';
import { FaultInjector } from './middleware/faults.js';
import type { TaskScenario } from './scenarios.js';
import { IdempotencyStore } from './store/idempotency.js';
import { OwnedLog } from './store/owned-log.js';
import type { TaskRecord } from './store/task-record.js';
import { usageEntryFor, type UsageEntry } from './store/usage.js';
import { WebhookDispatcher, type Signer } from './webhooks/dispatcher.js';
import { webhookPayload } from './webhooks/payload.js';
import { Worker } from './worker.js';
import { costForImages, formatTaskCost } from '@eggapi/contracts';

/** Settings that admin routes may change while the server runs. */
export interface RuntimeConfig {
  timing: TimingConfig;
  rateLimit: number | false;
  webhooks: WebhookDeliveryConfig;
}

/**
 * Everything the mock keeps: tasks, usage, balances, idempotent answers, webhook deliveries and
 * runtime settings, with the operations the routes call.
 */
export class MockState {
  readonly tasks: OwnedLog<TaskRecord>;
  readonly usage: OwnedLog<UsageEntry>;
  readonly idempotency: IdempotencyStore;
  readonly balances = new Map<string, number>();
  readonly faults = new FaultInjector();
  readonly images = new ImageCache();
  readonly worker: Worker;
  readonly webhooks: WebhookDispatcher;
  readonly runtime: RuntimeConfig;
  readonly apiKeys: Set<string>;
  readonly seed: string;
  /** The configured public base URL, or '' (then API answers use each request's host). */
  readonly publicBaseUrl: string;
  /** Where the server listens (set by startMockServer); the base of webhook image links. */
  listenUrl = '';
  #taskIds!: Random;
  #deliveryIds!: Random;
  #timingRandom!: Random;

  constructor(
    readonly options: ResolvedOptions,
    readonly logger: Logger,
    sign: Signer,
  ) {
    this.seed = options.seed === undefined ? '' : String(options.seed);
    this.apiKeys = new Set(options.apiKeys);
    this.publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/, '') ?? '';
    this.runtime = {
      timing: timingOf(options.timing),
      rateLimit: options.rateLimit,
      webhooks: { ...options.webhooks },
    };
    this.#reseed();
    this.tasks = new OwnedLog<TaskRecord>(options.maxTasks);
    this.usage = new OwnedLog<UsageEntry>(options.maxTasks);
    this.idempotency = new IdempotencyStore(options.maxTasks);
    this.#resetBalances();
    this.worker = new Worker({
      now: options.now,
      random: { next: () => this.#timingRandom.next() },
      timing: () => this.runtime.timing,
      find: (id) => this.tasks.get(id),
      onEnded: (record) => this.#onEnded(record),
    });
    this.webhooks = new WebhookDispatcher({
      config: () => this.runtime.webhooks,
      secret: () => options.webhookSecret,
      sign,
      now: options.now,
      newId: () => `whd_${randomToken(this.#deliveryIds, 16)}`,
      logger,
      maxDeliveries: options.maxTasks,
    });
  }

  now(): number {
    return this.options.now();
  }

  /**
   * Creates a task at `pending` for `owner`, reserving its price when the key has a balance.
   * `imageBase` is where the creating request arrived: the webhook links its images there, as
   * the answers to that caller do.
   */
  createTask(
    owner: string,
    request: GenerateRequest,
    scenario?: TaskScenario,
    imageBase?: string,
  ): TaskRecord {
    const price = costForImages(request.num_outputs);
    const balance = this.balances.get(owner);
    if (balance !== undefined && balance < price) {
      throw new HttpError(
        'INSUFFICIENT_BALANCE',
        `insufficient balance: this request costs ${formatTaskCost(price)}, the balance is ${formatTaskCost(balance)}`,
      );
    }
    if (balance !== undefined) this.balances.set(owner, balance - price);
    this.worker.settle();
    const createdAt = this.now();
    let id: string;
    do id = `gen_${randomToken(this.#taskIds, 12)}`;
    while (this.tasks.get(id));
    const record: TaskRecord = {
      id,
      owner,
      type: request.image_urls && request.image_urls.length > 0 ? 'image_edit' : 'image_generate',
      request,
      createdAt,
      ...this.worker.plan(createdAt, scenario),
    };
    // Only tasks with a webhook need it: the others cost no memory for it.
    if (request.webhook_url !== undefined && imageBase) record.webhookImageBase = imageBase;
    this.tasks.add(record);
    this.worker.track(record);
    return record;
  }

  /** The owner's task, settled and counted as one poll; 404 when missing or another key's. */
  pollTask(owner: string, id: string): TaskRecord {
    this.worker.settle();
    const record = this.tasks.getOwned(owner, id);
    if (!record) throw new HttpError('NOT_FOUND', `task ${id} not found`);
    this.worker.poll(record);
    return record;
  }

  listTasks(owner: string, query: PaginationQuery) {
    this.worker.settle();
    return this.tasks.page(owner, query);
  }

  listUsage(owner: string, query: PaginationQuery) {
    this.worker.settle();
    return this.usage.page(owner, query);
  }

  /** Forgets every task, usage record, delivery and idempotent answer; restores balances. */
  reset(): void {
    this.worker.clear();
    this.tasks.clear();
    this.usage.clear();
    this.idempotency.clear();
    this.webhooks.clear();
    this.faults.clear();
    this.images.clear();
    this.#resetBalances();
    this.#reseed();
  }

  /** Fresh random streams: with a seed, a reset server repeats the ids of a new one. */
  #reseed(): void {
    const stream = (name: string) =>
      createRandom(this.options.seed === undefined ? undefined : `${this.seed}:${name}`);
    this.#taskIds = stream('tasks');
    this.#deliveryIds = stream('deliveries');
    this.#timingRandom = stream('timing');
  }

  #resetBalances(): void {
    this.balances.clear();
    for (const [key, micros] of Object.entries(this.options.balances))
      this.balances.set(key, micros);
  }

  #onEnded(record: TaskRecord): void {
    if (record.ended?.status === 'completed') this.usage.add(usageEntryFor(record));
    else {
      const balance = this.balances.get(record.owner);
      if (balance !== undefined) {
        this.balances.set(record.owner, balance + costForImages(record.request.num_outputs));
      }
    }
    const url = record.request.webhook_url;
    if (url !== undefined) {
      const base = this.publicBaseUrl || record.webhookImageBase || this.listenUrl;
      const payload = webhookPayload(record, base);
      this.webhooks.send({
        task_id: record.id,
        owner: record.owner,
        event: payload.event,
        url,
        body: JSON.stringify(payload),
      });
    }
    this.logger.debug({ task: record.id, status: record.ended?.status }, 'task ended');
  }
}

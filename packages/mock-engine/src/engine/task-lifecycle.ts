import { displayHeaderName, MOCK_SCENARIO_HEADER } from '@eggapi/contracts';
import type { Task } from '@eggapi/contracts';
import { costForImages, formatTaskCost } from '@eggapi/contracts';
import type { EngineCore } from './core.js';
import { EngineError, invalidHeader, validationError } from './errors.js';
import { fingerprint, type StoredAnswer } from './idempotency.js';
import { endOf, planLifecycle } from './lifecycle.js';
import { jobResult, type JobResult } from './ports/scheduler.js';
import { ScenarioSyntaxError, scenarioFor, type TaskScenario } from './scenarios.js';
import { endedFields, toCreatedTask, type TaskRecord } from './task-record.js';
import type { CreateTaskInput } from './types.js';
import { usageEntryFor } from './usage.js';

/**
 * A task's life and what it costs: creation (its plan, the price reserved on a balance, the
 * idempotent answer), and its end, applied once with its effects — usage for a completed task,
 * the refund of a failed one, its webhook delivery.
 */
export class TaskLifecycle {
  constructor(private readonly core: EngineCore) {}

  /** See `MockEngine.createTask`. */
  async create(input: CreateTaskInput): Promise<{ task: Task; replayed: boolean }> {
    const { store, keys, options } = this.core;
    const owner = keys.ownerOf(input.apiKey);
    const { request, idempotencyKey } = input;
    const scenario = scenarioOf(input.scenario, request.prompt);
    const config = await store.config.get();
    const createdAt = options.now();
    let id: string;
    do id = this.core.newTaskId();
    while (await store.tasks.get(id));
    if (idempotencyKey !== undefined) {
      const print = fingerprint([request, input.scenario ?? null]);
      const first = await store.idempotency.claim(owner, idempotencyKey, {
        fingerprint: print,
        taskId: id,
      });
      if (first) return { task: await this.#replay(first, print), replayed: true };
    }
    const price = costForImages(request.num_outputs);
    const reserved = await store.balances.reserve(owner, price);
    if (!reserved.ok) {
      if (idempotencyKey !== undefined) await store.idempotency.release(owner, idempotencyKey);
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
      ...planLifecycle(createdAt, config.timing, this.core.timingRandom, scenario),
    };
    // Only tasks with a webhook keep where they were created: the others cost no memory for it.
    if (request.webhook_url !== undefined) record.webhookImageBase = this.core.base(input.baseUrl);
    if (!(await store.tasks.add(record))) {
      // Another instance with the same seed took this id meanwhile: undo and create again.
      await store.balances.refund(owner, price);
      if (idempotencyKey !== undefined) await store.idempotency.release(owner, idempotencyKey);
      return this.create(input);
    }
    if (Number.isFinite(record.endsAt)) {
      await this.core.scheduler.schedule({ kind: 'end-task', id }, record.endsAt);
    }
    const task = toCreatedTask(record);
    this.core.emit({ type: 'task.created', task, owner: keys.fingerprintOf(owner) });
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
    const original = await this.core.store.tasks.get(first.taskId);
    if (!original) {
      // Stripe answers the same while the first request under a key is still running.
      throw new EngineError(
        'IDEMPOTENCY_CONFLICT',
        'the first request with this Idempotency-Key has not finished (or its task is no longer stored); retry it',
      );
    }
    return toCreatedTask(original);
  }

  /** A task whose planned end has passed, ended (once, whoever gets there first). */
  async settle(record: TaskRecord): Promise<TaskRecord> {
    if (record.ended || record.endsAt > this.core.options.now()) return record;
    return this.end(record, record.endsAt);
  }

  /** The job of a task's planned end: ends it, or says when to come back. */
  async endDue(id: string): Promise<JobResult> {
    const record = await this.core.store.tasks.get(id);
    if (!record || record.ended) return jobResult.done;
    if (record.endsAt > this.core.options.now()) return jobResult.retryAt(record.endsAt);
    await this.end(record, record.endsAt);
    return jobResult.done;
  }

  /**
   * Ends a task once: in one store operation with its effects — usage (completed) or a refund
   * (failed), and its webhook delivery — so a stall or a crash leaves both or neither. Then
   * plans the delivery's first attempt (the sweep plans it if this fails).
   */
  async end(record: TaskRecord, at: number, failure = record.failure): Promise<TaskRecord> {
    const { store, webhooks, keys } = this.core;
    const end = endOf(record, at, failure);
    const ending: TaskRecord = { ...record, ...endedFields(end) };
    const completed = end.status === 'completed';
    const delivery = webhooks.deliveryFor(ending);
    const ended = await store.tasks.end(record.id, end, {
      ...(completed
        ? { usage: usageEntryFor(ending) }
        : { refund: { owner: record.owner, micros: costForImages(record.request.num_outputs) } }),
      ...(delivery && { delivery }),
    });
    if (!ended) return (await store.tasks.get(record.id)) ?? record;
    if (delivery) await webhooks.planNext(delivery);
    this.core.emit({
      type: 'task.ended',
      task_id: ended.id,
      status: end.status,
      owner: keys.fingerprintOf(ended.owner),
    });
    return ended;
  }
}

/** The scenario of a create request; VALIDATION_ERROR naming the header or prompt marker. */
function scenarioOf(header: string | undefined, prompt: string): TaskScenario | undefined {
  try {
    return scenarioFor(header, prompt);
  } catch (error) {
    if (!(error instanceof ScenarioSyntaxError)) throw error;
    if (header !== undefined && header.trim() !== '') {
      throw invalidHeader(displayHeaderName(MOCK_SCENARIO_HEADER), error.message);
    }
    throw validationError([{ path: 'prompt', message: `[[mock: …]] marker: ${error.message}` }]);
  }
}

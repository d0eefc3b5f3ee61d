import type { EngineCore } from './core.js';
import type { TaskLifecycle } from './task-lifecycle.js';

/** How often each instance looks for planned work that has no job. */
const SWEEP_INTERVAL_MS = 2_000;
/** How overdue planned work must be to count as having no job. */
const SWEEP_OVERDUE_MS = 1_000;

/**
 * With a shared store (`MockStore.shared`): plans what is due but has no job — a delivery whose
 * next attempt was never queued, a task whose end was never queued — because the store stalled
 * or an instance died between the store's write and the queue's. Planning twice is harmless
 * (jobs are named by what they do), so every instance may sweep.
 */
export class Sweeper {
  #timer: ReturnType<typeof setInterval> | undefined;
  #sweeping = false;

  constructor(
    private readonly core: EngineCore,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  /** Sweeps every couple of seconds from now on (a private store: never). */
  start(): void {
    if (!this.core.store.shared) return;
    this.#timer = setInterval(() => void this.#sweep(), SWEEP_INTERVAL_MS);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #sweep(): Promise<void> {
    if (this.#sweeping) return;
    this.#sweeping = true;
    const { store, options, webhooks } = this.core;
    try {
      const now = options.now();
      const config = await store.config.get();
      for (const delivery of await store.deliveries.pending()) {
        const last = delivery.attempts.at(-1);
        const changedAt = Math.max(
          Date.parse(delivery.created_at),
          last ? Date.parse(last.at) : 0,
          delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) : 0,
        );
        if (now - changedAt >= SWEEP_OVERDUE_MS) await webhooks.plan(delivery, config.webhooks);
      }
      for (const id of await store.tasks.unended()) {
        const record = await store.tasks.get(id);
        if (record && !record.ended && record.endsAt <= now - SWEEP_OVERDUE_MS) {
          await this.lifecycle.settle(record);
        }
      }
    } catch {
      // The store is away: health says so, and the next sweep tries again.
    } finally {
      this.#sweeping = false;
    }
  }
}

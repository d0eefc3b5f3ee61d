import { sendReplayedWebhook, type ReplayedWebhook } from './webhook.js';

interface Planned {
  at: number;
  webhook: () => ReplayedWebhook;
}

/**
 * The replayed webhooks waiting for their task's end on the mock's clock. With the real clock a
 * timer wakes it; with the virtual one, `runDue` after each advance of the clock.
 */
export class WebhookSchedule {
  readonly #planned = new Set<Planned>();
  readonly #sending = new Set<Promise<unknown>>();
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly now: () => number,
    private readonly realClock: boolean,
    private readonly onSent: (outcome: { url: string; status?: number; error?: string }) => void,
  ) {}

  plan(at: number, webhook: () => ReplayedWebhook): void {
    if (this.#stop.signal.aborted) return;
    this.#planned.add({ at, webhook });
    this.runDue();
  }

  /** Sends every webhook whose time has come; with the real clock, waits for the next. */
  runDue(): void {
    const now = this.now();
    for (const planned of this.#planned) {
      if (planned.at > now) continue;
      this.#planned.delete(planned);
      const webhook = planned.webhook();
      const sending = sendReplayedWebhook(webhook, this.#stop.signal).then((outcome) =>
        this.onSent({ url: webhook.url, ...outcome }),
      );
      this.#sending.add(sending);
      void sending.finally(() => this.#sending.delete(sending));
    }
    clearTimeout(this.#timer);
    if (!this.realClock || this.#planned.size === 0) return;
    const next = Math.min(...[...this.#planned].map((planned) => planned.at));
    this.#timer = setTimeout(() => this.runDue(), Math.max(0, next - now));
    this.#timer.unref();
  }

  /**
   * Sends nothing more; lets the sends in flight finish for up to `graceMs`, then aborts them.
   * Resolves with how many planned webhooks were never sent.
   */
  async close(graceMs: number): Promise<number> {
    clearTimeout(this.#timer);
    const abandoned = this.#planned.size;
    this.#planned.clear();
    const abort = setTimeout(() => this.#stop.abort(new Error('the mock shut down')), graceMs);
    await Promise.allSettled([...this.#sending]);
    clearTimeout(abort);
    this.#stop.abort(new Error('the mock shut down'));
    return abandoned;
  }
}

/**
 * Runs tasks at most `limit()` at a time (read again whenever a slot frees, so a changed limit
 * applies at once); the others wait their turn in the order they came. None is dropped. Webhook
 * attempts and image renders go through one each.
 */
export class ConcurrencyLimit {
  readonly #waiting: (() => void)[] = [];
  readonly #idle = new Set<() => void>();
  #running = 0;

  constructor(private limit: () => number) {}

  get inFlight(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A slot is taken for a waiting task by whoever wakes it, so none can jump the queue.
    if (this.#waiting.length > 0 || this.#running >= this.limit()) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.limitChanged();
      for (const notify of this.#idle) notify();
    }
  }

  /** Starts waiting tasks while there are free slots (call it when the limit grows). */
  limitChanged(): void {
    while (this.#waiting.length > 0 && this.#running < this.limit()) {
      this.#running++;
      this.#waiting.shift()!();
    }
  }

  /** Resolves when a task finishes (or at once when none is running). */
  settled(): Promise<void> {
    if (this.#running === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const notify = () => {
        this.#idle.delete(notify);
        resolve();
      };
      this.#idle.add(notify);
    });
  }
}

import type { JournalEntry } from '../engine/journal-entry.js';

/** The newest `capacity` journal entries in a fixed ring: adding beyond it drops the oldest. */
export class JournalRing {
  readonly #slots: (JournalEntry | undefined)[];
  #next = 0;
  #size = 0;

  constructor(private readonly capacity: number) {
    this.#slots = new Array<JournalEntry | undefined>(capacity);
  }

  add(entry: JournalEntry): void {
    if (this.capacity === 0) return;
    this.#slots[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** Copies of the kept entries, newest first. */
  newestFirst(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (let i = 1; i <= this.#size; i++) {
      entries.push(structuredClone(this.#slots[(this.#next - i + this.capacity) % this.capacity]!));
    }
    return entries;
  }

  clear(): void {
    this.#slots.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}

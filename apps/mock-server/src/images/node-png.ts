import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { picture as drawPicture, type Picture, type PngRenderer } from '@eggapi/mock-engine/host';

/**
 * The worker's file, beside this module: `src/images/` when the sources run (vitest), `dist/images/`
 * in the tsc output, `dist/` beside the CLI and library bundles (`scripts/bundle-cli.mjs` writes a
 * copy there), whose `import.meta.url` is the bundle's.
 */
const WORKER_FILE = new URL('./png-worker.mjs', import.meta.url);

/**
 * Worker threads by default: one per core but one, so the event loop keeps a core, and at most
 * two, the renders the image cache runs at once (`DEFAULT_CONCURRENT_RENDERS`).
 */
export const DEFAULT_PNG_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));

/** The Node PNG renderer: its `renderPng` and the worker threads behind it. */
export interface PngWorkers {
  /** Renders like the portable renderer (the same bytes), in a worker thread. */
  renderPng: PngRenderer;
  /** Terminates the workers; renders in flight and later ones reject. */
  close(): Promise<void>;
}

interface Job {
  resolve(png: Uint8Array): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

/** What the worker posts back: the PNG, or what it threw. */
interface Answer {
  id: number;
  png?: Uint8Array;
  error?: unknown;
}

/**
 * The renderer the HTTP server injects: fast-png, as the portable renderer, but in `size` worker
 * threads (see {@link DEFAULT_PNG_WORKERS}), so the event loop goes on answering requests while a
 * large PNG encodes. Workers start on the first render and never keep the process alive while
 * idle; a worker that dies fails its renders and is replaced by the next render. The picture is
 * drawn (and its size checked) here, so a bad size rejects with a RangeError, as the portable
 * renderer does.
 */
export function createPngWorkers(size = DEFAULT_PNG_WORKERS): PngWorkers {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`PNG workers must be a whole number ≥ 1, got ${size}`);
  }
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;

  const start = (): Slot => {
    // None of the process's flags: the worker needs none, and some stop it from starting (a
    // worker inherits `--input-type` from `node --input-type=module -e …`, then refuses its file).
    const worker = new Worker(WORKER_FILE, { execArgv: [] });
    worker.unref();
    const slot: Slot = { worker, jobs: new Map() };
    const fail = (error: unknown) => {
      const at = slots.indexOf(slot);
      if (at !== -1) slots.splice(at, 1);
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
    };
    worker.on('message', (answer: Answer) => {
      const job = slot.jobs.get(answer.id);
      if (!job) return;
      slot.jobs.delete(answer.id);
      if (slot.jobs.size === 0) worker.unref();
      if (answer.png) job.resolve(answer.png);
      else job.reject(answer.error);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      fail(new Error(closed ? 'the PNG workers are closed' : `a PNG worker exited (${code})`));
    });
    slots.push(slot);
    return slot;
  };

  /** An idle worker, a new one while there are fewer than `size`, else the least busy. */
  const pick = (): Slot => {
    const idle = slots.find((slot) => slot.jobs.size === 0);
    if (idle) return idle;
    if (slots.length < size) return start();
    return slots.reduce((least, slot) => (slot.jobs.size < least.jobs.size ? slot : least));
  };

  const renderPng: PngRenderer = async (key, index, width, height) => {
    const picture: Picture = drawPicture(key, index, width, height);
    if (closed) throw new Error('the PNG workers are closed');
    const slot = pick();
    const id = nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      // Referenced while it works: a render in flight keeps the process alive until it answers.
      slot.worker.ref();
      slot.worker.postMessage({ id, picture });
    });
  };

  return {
    renderPng,
    close: async () => {
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}

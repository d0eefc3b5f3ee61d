import { ConcurrencyLimit } from '../internal/concurrency-limit.js';
import { LruMap } from '../internal/lru.js';

/** The default byte budget of an {@link ImageCache}. */
export const DEFAULT_IMAGE_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Renders that may run at once by default: two keep a flood of distinct image URLs from taking
 * every core while other requests wait.
 */
export const DEFAULT_CONCURRENT_RENDERS = 2;

type Render = () => Promise<Uint8Array>;

/**
 * A least-recently-used cache of rendered images, keyed by what is drawn (the caller's key: the
 * image key and size) and bounded by bytes (an image larger than the whole budget is returned
 * but not kept). Concurrent requests for a key that is not cached yet share one render: the
 * first caller's `render` runs, the others wait for its result. At most `concurrentRenders`
 * renders run at once; the others wait their turn, in order. A render that fails is not cached;
 * every waiter sees the error and the next request renders again.
 */
export class ImageCache {
  readonly #cache: LruMap<string, Uint8Array>;
  /** Renders in flight, shared by every request for their key. */
  readonly #rendering = new Map<string, Promise<Uint8Array>>();
  readonly #limit: ConcurrencyLimit;
  #renders = 0;
  /** Bumped by `clear()`: a render started before it answers its waiters but is not kept. */
  #generation = 0;

  constructor(
    maxBytes = DEFAULT_IMAGE_CACHE_BYTES,
    concurrentRenders = DEFAULT_CONCURRENT_RENDERS,
  ) {
    if (!Number.isInteger(concurrentRenders) || concurrentRenders < 1) {
      throw new RangeError(
        `concurrentRenders must be a whole number ≥ 1, got ${concurrentRenders}`,
      );
    }
    this.#limit = new ConcurrencyLimit(() => concurrentRenders);
    this.#cache = new LruMap(maxBytes, (image) => image.byteLength);
  }

  /** The cached image for `key`, or the result of `render` (shared with concurrent callers). */
  getOrRender(key: string, render: Render): Promise<Uint8Array> {
    const cached = this.#cache.get(key);
    if (cached) return Promise.resolve(cached);
    const running = this.#rendering.get(key);
    if (running) return running;
    const generation = this.#generation;
    const rendered = this.#limit
      .run(() => {
        this.#renders++;
        return render();
      })
      .then((image) => {
        if (generation === this.#generation) this.#cache.set(key, image);
        return image;
      })
      .finally(() => {
        if (this.#rendering.get(key) === rendered) this.#rendering.delete(key);
      });
    this.#rendering.set(key, rendered);
    return rendered;
  }

  /** Renders started since this cache was made (cache misses), for tests and benchmarks. */
  get renders(): number {
    return this.#renders;
  }

  /** Renders waiting for a free slot. */
  get queued(): number {
    return this.#limit.queued;
  }

  /** Bytes of the images kept. */
  get bytes(): number {
    return this.#cache.size;
  }

  clear(): void {
    this.#generation++;
    this.#cache.clear();
    this.#rendering.clear();
  }
}

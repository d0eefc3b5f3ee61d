import { LRUCache } from 'lru-cache';

/** The default byte budget of an {@link ImageCache}. */
export const DEFAULT_IMAGE_CACHE_BYTES = 64 * 1024 * 1024;

type Render = () => Promise<Uint8Array>;

/**
 * A least-recently-used cache of rendered images, bounded by bytes (an image larger than the
 * whole budget is returned but not kept). Concurrent requests for a key that is not cached yet
 * share one render: the first caller's `render` runs, the others wait for its result. A render
 * that fails is not cached; every waiter sees the error and the next request renders again.
 */
export class ImageCache {
  readonly #cache: LRUCache<string, Uint8Array, Render>;

  constructor(maxBytes = DEFAULT_IMAGE_CACHE_BYTES) {
    this.#cache = new LRUCache<string, Uint8Array, Render>({
      maxSize: maxBytes,
      // lru-cache refuses a size of 0
      sizeCalculation: (image) => Math.max(1, image.length),
      fetchMethod: (_key, _stale, { context: render }) => render(),
      // A render dropped from the cache while in flight (clear(), or evicted to make room) still
      // answers the requests waiting for it; it is just not stored.
      ignoreFetchAbort: true,
    });
  }

  /** The cached image for `key`, or the result of `render` (shared with concurrent callers). */
  getOrRender(key: string, render: Render): Promise<Uint8Array> {
    return this.#cache.forceFetch(key, { context: render });
  }

  clear(): void {
    this.#cache.clear();
  }
}

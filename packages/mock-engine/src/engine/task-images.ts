import { ImageCache } from '../images/cache.js';
import { imageKey, imageSize, type PngRenderer } from '../images/picture.js';
import type { EngineCore } from './core.js';
import type { EngineJobs } from './jobs.js';
import type { TaskLifecycle } from './task-lifecycle.js';

/**
 * The output PNGs of completed tasks, public like upstream's file host: drawn from the request
 * and the seed (the same always give the same bytes), kept in a cache bounded in bytes.
 */
export class TaskImages {
  readonly #cache: ImageCache;

  constructor(
    private readonly core: EngineCore,
    private readonly jobs: EngineJobs,
    private readonly lifecycle: TaskLifecycle,
    private readonly render: PngRenderer,
    cache: ImageCache | undefined,
  ) {
    this.#cache = cache ?? new ImageCache();
  }

  /** See `MockEngine.image`. */
  async image(
    taskId: string,
    index: number,
  ): Promise<{ png: Uint8Array; etag: string } | undefined> {
    await this.jobs.applyDue();
    const stored = await this.core.store.tasks.get(taskId);
    const record = stored && (await this.lifecycle.settle(stored));
    if (
      record?.ended?.status !== 'completed' ||
      !(index >= 0 && index < record.request.num_outputs)
    ) {
      return undefined;
    }
    const { request } = record;
    const key = imageKey(request, index, this.core.seed);
    const { width, height } = imageSize(request.aspect_ratio, request.resolution);
    const png = await this.#cache.getOrRender(`${key}:${width}x${height}`, () =>
      this.render(key, index, width, height),
    );
    return { png, etag: `"${key.slice(0, 32)}"` };
  }

  /** Forgets the rendered images (reset). */
  clear(): void {
    this.#cache.clear();
  }
}

import { GenerateRequestSchema } from '@eggapi/contracts';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CONCURRENT_RENDERS,
  DEFAULT_IMAGE_CACHE_BYTES,
  ImageCache,
} from '@eggapi/mock-engine/host';
import { createPngWorkers } from './node-png.js';
import { imageKey, imageSize, type PngRenderer } from '@eggapi/mock-engine/host';
import { renderPortablePng } from '@eggapi/mock-engine/host';

const workers = createPngWorkers();
afterAll(() => workers.close());
const { renderPng } = workers;
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** The HTTP server's Node renderer and the portable one (MSW): the same pictures. */
const RENDERERS: [name: string, render: PngRenderer][] = [
  ['Node renderer (fast-png in a worker thread)', renderPng],
  ['portable renderer (fast-png)', renderPortablePng],
];

const request = GenerateRequestSchema.parse({ model: 'nanobanana', prompt: 'a red fox' });

type Rgb = [number, number, number];

/** The picture as specified, pixel by pixel: what a decoded PNG must show. */
function picture(key: string, index: number, width: number, height: number) {
  const digest = Buffer.from(key, 'hex');
  const from: Rgb = [digest[0]!, digest[1]!, digest[2]!];
  const to: Rgb = [digest[3]!, digest[4]!, digest[5]!];
  const bandStart = Math.floor((height * (index + 1)) / 6);
  const bandEnd = bandStart + Math.max(1, Math.floor(height / 24));
  const inBand = (y: number) => y >= bandStart && y < bandEnd;
  const at = (x: number, y: number): Rgb => {
    const t = width === 1 ? 0 : x / (width - 1);
    const rgb = from.map((f, c) => Math.round(f + (to[c]! - f) * t)) as Rgb;
    return inBand(y) ? (rgb.map((v) => 255 - v) as Rgb) : rgb;
  };
  return { from, to, bandStart, bandEnd, at };
}

/** RGB of a decoded pixel (pngjs decodes to RGBA). */
function pixel(png: PNG, x: number, y: number): Rgb {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

const invert = (rgb: Rgb) => rgb.map((v) => 255 - v);

describe('images', () => {
  it.each([
    ['16:9', undefined, 1024, 576],
    ['9:16', undefined, 576, 1024],
    ['16:9', '2k', 2048, 1152],
    ['9:16', '4k', 2304, 4096],
  ] as const)('%s at %s is %ix%i', (aspect, resolution, width, height) => {
    expect(imageSize(aspect, resolution)).toEqual({ width, height });
  });

  describe.each(RENDERERS)('the %s', (_name, render) => {
    it.each([
      ['16:9', '1k', 0],
      ['9:16', '1k', 3],
      ['16:9', '4k', 1],
      ['9:16', '4k', 4],
    ] as const)(
      'renders %s at %s (output %i) as an RGB PNG that decodes to the picture',
      async (aspect, resolution, index) => {
        const { width, height } = imageSize(aspect, resolution);
        const key = imageKey({ ...request, aspect_ratio: aspect, resolution }, index, 'seed');
        const bytes = await render(key, index, width, height);
        expect(bytes[25]).toBe(2); // IHDR colour type: RGB, no alpha
        expect(bytes[24]).toBe(8); // 8 bits per channel
        const png = PNG.sync.read(Buffer.from(bytes));
        expect([png.width, png.height]).toEqual([width, height]);

        const { from, to, bandStart, bandEnd, at } = picture(key, index, width, height);
        expect(bandStart).toBeGreaterThan(0);
        expect(bandEnd).toBeLessThan(height);
        for (const y of [0, bandStart - 1, bandEnd, height - 1]) {
          expect(pixel(png, 0, y)).toEqual(from);
          expect(pixel(png, width - 1, y)).toEqual(to);
        }
        for (const y of [bandStart, bandEnd - 1]) {
          expect(pixel(png, 0, y)).toEqual(invert(from));
          expect(pixel(png, width - 1, y)).toEqual(invert(to));
        }
        for (const x of [1, width >> 2, width >> 1, width - 2]) {
          for (const y of [1, bandStart, height >> 1, height - 2]) {
            expect(pixel(png, x, y)).toEqual(at(x, y));
          }
        }
      },
    );

    it('draws exactly the picture, every pixel, at small and odd sizes and every band position', async () => {
      for (const [width, height] of [
        [1, 1],
        [1, 7],
        [3, 2],
        [64, 36],
        [37, 101],
      ] as const) {
        for (const index of [0, 1, 4, 5, 9]) {
          const key = imageKey(request, index, `${width}x${height}`);
          const png = PNG.sync.read(Buffer.from(await render(key, index, width, height)));
          const { at } = picture(key, index, width, height);
          const expected = Buffer.alloc(width * height * 4, 255);
          for (let y = 0; y < height; y++) {
            for (let x = 0; x < width; x++) {
              expected.set(at(x, y), (y * width + x) * 4);
            }
          }
          expect(png.data.equals(expected), `${width}x${height} output ${index}`).toBe(true);
        }
      }
    });

    it('refuses sizes that are not positive integers', async () => {
      const key = imageKey(request, 0, '');
      await expect(render(key, 0, 0, 10)).rejects.toThrow(RangeError);
      await expect(render(key, 0, 10, 2.5)).rejects.toThrow(RangeError);
    });
  });

  it('both renderers draw the same pixels', async () => {
    for (const [aspect, resolution, index] of [
      ['16:9', '1k', 0],
      ['9:16', '2k', 3],
    ] as const) {
      const { width, height } = imageSize(aspect, resolution);
      const key = imageKey({ ...request, aspect_ratio: aspect, resolution }, index, 'same');
      const [node, portable] = await Promise.all(
        RENDERERS.map(async ([, render]) =>
          PNG.sync.read(Buffer.from(await render(key, index, width, height))),
        ),
      );
      expect([portable!.width, portable!.height]).toEqual([width, height]);
      expect(portable!.data.equals(node!.data), `${aspect} ${resolution} output ${index}`).toBe(
        true,
      );
    }
  });

  it('is deterministic for the same request, index and seed, and differs otherwise', async () => {
    const a = await renderPng(imageKey(request, 0, 's'), 0, 64, 36);
    expect(same(await renderPng(imageKey(request, 0, 's'), 0, 64, 36), a)).toBe(true);
    expect(same(await renderPng(imageKey(request, 1, 's'), 1, 64, 36), a)).toBe(false);
    expect(same(await renderPng(imageKey(request, 0, 't'), 0, 64, 36), a)).toBe(false);
    const other = { ...request, prompt: 'a blue fox' };
    expect(same(await renderPng(imageKey(other, 0, 's'), 0, 64, 36), a)).toBe(false);

    const key = imageKey({ ...request, resolution: '4k' }, 2, 's');
    const [b, c] = await Promise.all([
      renderPng(key, 2, 4096, 2304),
      renderPng(key, 2, 4096, 2304),
    ]);
    expect(same(b, c)).toBe(true);
  });

  it('keeps the event loop turning while a 4k image renders', async () => {
    const { width, height } = imageSize('9:16', '4k');
    const events: string[] = [];
    let turns = 0;
    let rendering = true;
    const turn = () => {
      if (!rendering) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(() => events.push('immediate'));
    setTimeout(() => events.push('timer'), 0);
    setImmediate(turn);
    const png = await renderPng(imageKey(request, 0, 'loop'), 0, width, height).then((bytes) => {
      rendering = false;
      events.push('rendered');
      return bytes;
    });
    expect(png.length).toBeGreaterThan(0);
    // The old synchronous encoder returned before any of these could run.
    expect(events).toContain('immediate');
    expect(events).toContain('timer');
    expect(events.at(-1)).toBe('rendered');
    // Not one long block with a callback at the end: the encoding runs in a worker thread, and
    // the loop goes on turning meanwhile.
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  it('gives the same bytes as the portable renderer (both are fast-png)', async () => {
    const key = imageKey(request, 1, 'bytes');
    const [node, portable] = await Promise.all(
      RENDERERS.map(([, render]) => render(key, 1, 1024, 576)),
    );
    expect(same(node!, portable!)).toBe(true);
  });

  it('renders on several workers at once, and rejects what is in flight or asked after close()', async () => {
    const pool = createPngWorkers(2);
    const keys = [0, 1, 2].map((index) => imageKey(request, index, 'pool'));
    const pngs = await Promise.all(keys.map((key, index) => pool.renderPng(key, index, 64, 36)));
    const expected = await Promise.all(
      keys.map((key, index) => renderPortablePng(key, index, 64, 36)),
    );
    expect(pngs.map((png, i) => same(png, expected[i]!))).toEqual([true, true, true]);
    const inFlight = expect(pool.renderPng(keys[0]!, 0, 4096, 2304)).rejects.toThrow('closed');
    await pool.close();
    await inFlight;
    await expect(pool.renderPng(keys[0]!, 0, 64, 36)).rejects.toThrow('closed');
  });

  it.each([0, 1.5])('refuses %s PNG workers', (size) => {
    expect(() => createPngWorkers(size)).toThrow(RangeError);
  });

  describe('ImageCache', () => {
    /** A render whose result the test releases, counting its calls. */
    function controlledRender(bytes: number) {
      const calls = { count: 0 };
      let release!: () => void;
      let fail!: (error: Error) => void;
      const render = () => {
        calls.count++;
        return new Promise<Buffer>((resolve, reject) => {
          release = () => resolve(Buffer.alloc(bytes, calls.count));
          fail = reject;
        });
      };
      return { calls, render, release: () => release(), fail: (e: Error) => fail(e) };
    }

    const counted = (bytes: number) => {
      const calls = { count: 0 };
      return { calls, render: () => (calls.count++, Promise.resolve(Buffer.alloc(bytes))) };
    };

    it('budgets 64 MB and two renders at once by default', () => {
      expect(DEFAULT_IMAGE_CACHE_BYTES).toBe(64 * 1024 * 1024);
      expect(DEFAULT_CONCURRENT_RENDERS).toBe(2);
    });

    it('shares one render among concurrent requests for the same key, then serves it cached', async () => {
      const cache = new ImageCache();
      const { calls, render, release } = controlledRender(100);
      const first = cache.getOrRender('k', render);
      const second = cache.getOrRender('k', render);
      const third = cache.getOrRender('k', () => Promise.reject(new Error('not called')));
      expect(calls.count).toBe(1);
      release();
      const [a, b, c] = await Promise.all([first, second, third]);
      expect(b).toBe(a);
      expect(c).toBe(a);
      expect(await cache.getOrRender('k', render)).toBe(a);
      expect(calls.count).toBe(1);
    });

    it('renders different keys separately', async () => {
      const cache = new ImageCache();
      const { calls, render } = counted(10);
      await Promise.all([cache.getOrRender('a', render), cache.getOrRender('b', render)]);
      expect(calls.count).toBe(2);
    });

    it('does not keep a failed render: every waiter sees the error, the next request renders again', async () => {
      const cache = new ImageCache();
      const { calls, render, fail } = controlledRender(10);
      const first = cache.getOrRender('k', render);
      const second = cache.getOrRender('k', render);
      fail(new Error('boom'));
      await expect(first).rejects.toThrow('boom');
      await expect(second).rejects.toThrow('boom');
      const retry = counted(10);
      await cache.getOrRender('k', retry.render);
      expect([calls.count, retry.calls.count]).toEqual([1, 1]);
    });

    it('evicts the least recently used images to stay within its byte budget', async () => {
      const cache = new ImageCache(12);
      const { calls, render } = counted(6);
      await cache.getOrRender('a', render);
      await cache.getOrRender('b', render); // 12 bytes: both fit
      await cache.getOrRender('a', render); // hit; b is now the least recently used
      expect(calls.count).toBe(2);
      await cache.getOrRender('c', render); // 18 bytes: b goes
      expect(calls.count).toBe(3);
      await cache.getOrRender('a', render);
      await cache.getOrRender('c', render);
      expect(calls.count).toBe(3);
      await cache.getOrRender('b', render);
      expect(calls.count).toBe(4);
    });

    it('returns an image larger than the whole budget without keeping it', async () => {
      const cache = new ImageCache(10);
      const small = counted(4);
      await cache.getOrRender('small', small.render);
      const big = counted(11);
      expect((await cache.getOrRender('big', big.render)).length).toBe(11);
      await cache.getOrRender('big', big.render);
      expect(big.calls.count).toBe(2);
      await cache.getOrRender('small', small.render);
      expect(small.calls.count).toBe(1);
    });

    it('runs at most concurrentRenders renders at once; the others wait their turn, in order', async () => {
      const cache = new ImageCache(DEFAULT_IMAGE_CACHE_BYTES, 2);
      const started: string[] = [];
      const releases = new Map<string, () => void>();
      const render = (key: string) => () => {
        started.push(key);
        return new Promise<Buffer>((resolve) => releases.set(key, () => resolve(Buffer.alloc(3))));
      };
      const keys = ['a', 'b', 'c', 'd', 'e'];
      const answers = keys.map((key) => cache.getOrRender(key, render(key)));
      await Promise.resolve();
      expect(started).toEqual(['a', 'b']);
      expect([cache.renders, cache.queued]).toEqual([2, 3]);
      releases.get('b')!();
      await answers[1];
      await expect.poll(() => started).toEqual(['a', 'b', 'c']);
      expect(cache.queued).toBe(2);
      releases.get('a')!();
      releases.get('c')!();
      await expect.poll(() => started).toEqual(keys);
      releases.get('d')!();
      releases.get('e')!();
      expect((await Promise.all(answers)).map((png) => png.length)).toEqual([3, 3, 3, 3, 3]);
      expect([cache.renders, cache.queued, cache.bytes]).toEqual([5, 0, 15]);
    });

    it('frees a render slot when a render fails', async () => {
      const cache = new ImageCache(DEFAULT_IMAGE_CACHE_BYTES, 1);
      const failing = cache.getOrRender('bad', () => Promise.reject(new Error('boom')));
      const next = cache.getOrRender('good', () => Promise.resolve(Buffer.alloc(2)));
      await expect(failing).rejects.toThrow('boom');
      expect((await next).length).toBe(2);
    });

    it.each([0, -1, 1.5, Number.NaN])('refuses %s concurrent renders', (n) => {
      expect(() => new ImageCache(DEFAULT_IMAGE_CACHE_BYTES, n)).toThrow(RangeError);
    });

    it('clear() forgets every image; a render in flight still answers its waiters', async () => {
      const cache = new ImageCache();
      const kept = counted(5);
      await cache.getOrRender('kept', kept.render);
      const { calls, render, release } = controlledRender(5);
      const inFlight = cache.getOrRender('k', render);
      cache.clear();
      release();
      expect((await inFlight).length).toBe(5);
      const again = cache.getOrRender('k', render);
      release();
      await again;
      await cache.getOrRender('kept', kept.render);
      expect([calls.count, kept.calls.count]).toEqual([2, 2]);
    });
  });
});

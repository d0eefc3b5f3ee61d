import { GenerateRequestSchema } from '@eggapi/contracts';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ImageCache, imageKey, imageSize, renderPng } from './images.js';

const request = GenerateRequestSchema.parse({ model: 'nanobanana', prompt: 'a red fox' });

describe('images', () => {
  it.each([
    ['16:9', undefined, 1024, 576],
    ['9:16', undefined, 576, 1024],
    ['16:9', '2k', 2048, 1152],
    ['9:16', '4k', 2304, 4096],
  ] as const)('%s at %s is %ix%i', (aspect, resolution, width, height) => {
    expect(imageSize(aspect, resolution)).toEqual({ width, height });
  });

  it('renders a PNG of the requested size that decodes', () => {
    const png = PNG.sync.read(renderPng(imageKey(request, 0, ''), 0, 320, 180));
    expect([png.width, png.height]).toEqual([320, 180]);
  });

  it('is deterministic for the same request, index and seed, and differs otherwise', () => {
    const a = renderPng(imageKey(request, 0, 's'), 0, 64, 36);
    expect(renderPng(imageKey(request, 0, 's'), 0, 64, 36).equals(a)).toBe(true);
    expect(renderPng(imageKey(request, 1, 's'), 1, 64, 36).equals(a)).toBe(false);
    expect(renderPng(imageKey(request, 0, 't'), 0, 64, 36).equals(a)).toBe(false);
    const other = { ...request, prompt: 'a blue fox' };
    expect(renderPng(imageKey(other, 0, 's'), 0, 64, 36).equals(a)).toBe(false);
  });

  it('caches within a byte budget, evicting the least recently used', () => {
    const cache = new ImageCache(10);
    let renders = 0;
    const render = () => (renders++, Buffer.alloc(6));
    cache.getOrRender('a', render);
    cache.getOrRender('a', render);
    expect(renders).toBe(1);
    cache.getOrRender('b', render);
    cache.getOrRender('a', render);
    expect(renders).toBe(3);
  });
});

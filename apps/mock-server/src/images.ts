import { createHash } from 'node:crypto';
import type { AspectRatio, GenerateRequest, Resolution } from '@eggapi/contracts';
import { PNG } from 'pngjs';

const LONG_SIDE: Record<Resolution, number> = { '1k': 1024, '2k': 2048, '4k': 4096 };

/** Width and height of an output image: the long side by resolution (1k when unset). */
export function imageSize(
  aspectRatio: AspectRatio,
  resolution: Resolution = '1k',
): { width: number; height: number } {
  const long = LONG_SIDE[resolution];
  const short = Math.round((long * 9) / 16);
  return aspectRatio === '16:9' ? { width: long, height: short } : { width: short, height: long };
}

/** What makes two images equal: the request's content, the output index and the seed. */
export function imageKey(request: GenerateRequest, index: number, seed: string): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        seed,
        request.prompt,
        request.negative_prompt ?? null,
        request.aspect_ratio,
        request.resolution ?? null,
        request.image_urls ?? null,
        index,
      ]),
    )
    .digest('hex');
}

/**
 * Renders the PNG of one output: a horizontal gradient between two colours drawn from `key`,
 * with a band marking the output index. Deterministic: the same key gives the same bytes.
 */
export function renderPng(key: string, index: number, width: number, height: number): Buffer {
  const digest = Buffer.from(key, 'hex');
  const from = [digest[0]!, digest[1]!, digest[2]!];
  const to = [digest[3]!, digest[4]!, digest[5]!];
  const row = Buffer.alloc(width * 4);
  for (let x = 0; x < width; x++) {
    const t = width === 1 ? 0 : x / (width - 1);
    for (let c = 0; c < 3; c++) row[x * 4 + c] = Math.round(from[c]! + (to[c]! - from[c]!) * t);
    row[x * 4 + 3] = 255;
  }
  const band = Buffer.from(row.map((v, i) => (i % 4 === 3 ? 255 : 255 - v)));
  const bandStart = Math.floor((height * (index + 1)) / 6);
  const bandEnd = bandStart + Math.max(1, Math.floor(height / 24));

  const png = new PNG({ width, height, colorType: 2, inputHasAlpha: true });
  for (let y = 0; y < height; y++) {
    (y >= bandStart && y < bandEnd ? band : row).copy(png.data, y * width * 4);
  }
  return PNG.sync.write(png, { colorType: 2, filterType: 2, deflateLevel: 6 });
}

/** A small LRU of rendered images, bounded by bytes. */
export class ImageCache {
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  getOrRender(key: string, render: () => Buffer): Buffer {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const image = render();
    this.#entries.set(key, image);
    this.#bytes += image.length;
    for (const [oldKey, old] of this.#entries) {
      if (this.#bytes <= this.maxBytes || oldKey === key) break;
      this.#entries.delete(oldKey);
      this.#bytes -= old.length;
    }
    return image;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

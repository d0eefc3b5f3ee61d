import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, crc32, createDeflate } from 'node:zlib';
import type { AspectRatio, GenerateRequest, Resolution } from '@eggapi/contracts';
import { LRUCache } from 'lru-cache';

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

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const FILTER_NONE = 0;
const FILTER_UP = 2;
const COLOR_TYPE_RGB = 2;
/** Up to this many bytes of filtered rows go to the deflate stream per write. */
const UP_BLOCK_BYTES = 1 << 20;

/** One PNG chunk: length, type, data, and the CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * The filtered scanlines of a picture made of runs of identical rows: each run starts with a row
 * filtered None (its raw bytes) and goes on with rows filtered Up, which are all zeros after their
 * filter byte. The Up rows come as slices of one shared block, so nothing of the image's full
 * size is ever allocated or written on the main thread.
 */
function* scanlines(
  height: number,
  stride: number,
  runStarts: number[],
  rowAt: (y: number) => Buffer,
): Generator<Buffer> {
  const rowsPerBlock = Math.max(1, Math.min(height, Math.floor(UP_BLOCK_BYTES / stride)));
  const upBlock = Buffer.alloc(rowsPerBlock * stride);
  for (let offset = 0; offset < upBlock.length; offset += stride) upBlock[offset] = FILTER_UP;
  for (let i = 0; i < runStarts.length; i++) {
    const start = runStarts[i]!;
    const end = runStarts[i + 1] ?? height;
    yield rowAt(start);
    for (let left = end - start - 1; left > 0; left -= rowsPerBlock) {
      yield upBlock.subarray(0, Math.min(left, rowsPerBlock) * stride);
    }
  }
}

/**
 * Renders the PNG of one output (RGB, 8 bits): a horizontal gradient between two colours drawn
 * from `key`, with a band of the inverted colours marking the output index. Deterministic: the
 * same key, index and size give the same bytes.
 *
 * Every row of this picture equals the row above it except at the band's two edges, so the PNG's
 * filtered scanlines are produced directly (see {@link scanlines}) and framed here by hand; only
 * the deflate does real work, and a zlib stream runs it on the libuv threadpool, off the event
 * loop. Measured on the 2-core dev machine (bench/image-event-loop.mjs): pngjs's
 * `PNG.sync.write` blocked the loop 0.5–0.9 s per 4k image, and its async `pack()` still
 * bitpacks and filters every pixel in JS on the main thread (it blocked ~1.5 s), so pngjs only
 * decodes, in the tests.
 */
export async function renderPng(
  key: string,
  index: number,
  width: number,
  height: number,
): Promise<Buffer> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  const digest = Buffer.from(key, 'hex');
  const from = [digest[0]!, digest[1]!, digest[2]!];
  const to = [digest[3]!, digest[4]!, digest[5]!];
  const stride = 1 + width * 3;
  const row = Buffer.alloc(stride); // filter byte FILTER_NONE, then the row's RGB bytes
  const band = Buffer.alloc(stride);
  row[0] = band[0] = FILTER_NONE;
  for (let x = 0; x < width; x++) {
    const t = width === 1 ? 0 : x / (width - 1);
    for (let c = 0; c < 3; c++) {
      const v = Math.round(from[c]! + (to[c]! - from[c]!) * t);
      row[1 + x * 3 + c] = v;
      band[1 + x * 3 + c] = 255 - v;
    }
  }
  const bandStart = Math.floor((height * (index + 1)) / 6);
  const bandEnd = bandStart + Math.max(1, Math.floor(height / 24));
  const runStarts = [...new Set([0, bandStart, bandEnd])]
    .filter((y) => y >= 0 && y < height)
    .sort((a, b) => a - b);
  const rowAt = (y: number) => (y >= bandStart && y < bandEnd ? band : row);

  const compressed: Buffer[] = [];
  await pipeline(
    Readable.from(scanlines(height, stride, runStarts, rowAt)),
    createDeflate({ level: 6, strategy: zlibConstants.Z_RLE }),
    async (source: AsyncIterable<Buffer>) => {
      for await (const part of source) compressed.push(part);
    },
  );

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOR_TYPE_RGB;
  // compression method, filter method and interlace method stay 0
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.concat(compressed)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The default byte budget of an {@link ImageCache}. */
export const DEFAULT_IMAGE_CACHE_BYTES = 64 * 1024 * 1024;

type Render = () => Promise<Buffer>;

/**
 * A least-recently-used cache of rendered images, bounded by bytes (an image larger than the
 * whole budget is returned but not kept). Concurrent requests for a key that is not cached yet
 * share one render: the first caller's `render` runs, the others wait for its result. A render
 * that fails is not cached; every waiter sees the error and the next request renders again.
 */
export class ImageCache {
  readonly #cache: LRUCache<string, Buffer, Render>;

  constructor(maxBytes = DEFAULT_IMAGE_CACHE_BYTES) {
    this.#cache = new LRUCache<string, Buffer, Render>({
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
  getOrRender(key: string, render: Render): Promise<Buffer> {
    return this.#cache.forceFetch(key, { context: render });
  }

  clear(): void {
    this.#cache.clear();
  }
}

import type { AspectRatio, GenerateRequest, Resolution } from '@eggapi/contracts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

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

/** What makes two images equal: the request's content, the output index and the seed (hex SHA-256). */
export function imageKey(request: GenerateRequest, index: number, seed: string): string {
  const content = JSON.stringify([
    seed,
    request.prompt,
    request.negative_prompt ?? null,
    request.aspect_ratio,
    request.resolution ?? null,
    request.image_urls ?? null,
    index,
  ]);
  return bytesToHex(sha256(utf8ToBytes(content)));
}

/**
 * Renders the PNG of one output (see {@link Picture}); the same arguments always give the same
 * pixels. The HTTP server injects a Node renderer that encodes in worker threads, off the event
 * loop; the default works wherever JavaScript runs (MSW in a browser).
 *
 * @throws RangeError when the size is not two positive integers
 */
export type PngRenderer = (
  key: string,
  index: number,
  width: number,
  height: number,
) => Promise<Uint8Array>;

/**
 * The picture of one output, as rows: a horizontal gradient between two colours drawn from the
 * image key, with a band of the inverted colours marking the output index. Every row equals
 * `row` except those in [`bandStart`, `bandEnd`), which equal `band`; `runStarts` are the rows
 * where the picture changes (0, the band's start and its end, within the image).
 */
export interface Picture {
  width: number;
  height: number;
  /** RGB, 8 bits per channel: `width · 3` bytes. */
  row: Uint8Array;
  band: Uint8Array;
  bandStart: number;
  bandEnd: number;
  runStarts: number[];
}

/** The picture of output `index` of `key` at `width`×`height`. */
export function picture(key: string, index: number, width: number, height: number): Picture {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  const digest = hexToBytes(key);
  const from = [digest[0]!, digest[1]!, digest[2]!];
  const to = [digest[3]!, digest[4]!, digest[5]!];
  const row = new Uint8Array(width * 3);
  const band = new Uint8Array(width * 3);
  for (let x = 0; x < width; x++) {
    const t = width === 1 ? 0 : x / (width - 1);
    for (let c = 0; c < 3; c++) {
      const v = Math.round(from[c]! + (to[c]! - from[c]!) * t);
      row[x * 3 + c] = v;
      band[x * 3 + c] = 255 - v;
    }
  }
  const bandStart = Math.floor((height * (index + 1)) / 6);
  const bandEnd = bandStart + Math.max(1, Math.floor(height / 24));
  const runStarts = [...new Set([0, bandStart, bandEnd])]
    .filter((y) => y >= 0 && y < height)
    .sort((a, b) => a - b);
  return { width, height, row, band, bandStart, bandEnd, runStarts };
}

/** The row `y` of a picture. */
export function rowOf(picture: Picture, y: number): Uint8Array {
  return y >= picture.bandStart && y < picture.bandEnd ? picture.band : picture.row;
}

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, crc32, createDeflate } from 'node:zlib';
import { picture as drawPicture, rowOf, type Picture } from '@eggapi/mock-engine/host';

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
function* scanlines(picture: Picture): Generator<Buffer> {
  const { height, runStarts } = picture;
  const stride = 1 + picture.width * 3;
  const filtered = new Map<Uint8Array, Buffer>();
  const noneRow = (y: number) => {
    const raw = rowOf(picture, y);
    let row = filtered.get(raw);
    if (!row) {
      row = Buffer.alloc(stride); // filter byte FILTER_NONE, then the row's RGB bytes
      row[0] = FILTER_NONE;
      row.set(raw, 1);
      filtered.set(raw, row);
    }
    return row;
  };
  const rowsPerBlock = Math.max(1, Math.min(height, Math.floor(UP_BLOCK_BYTES / stride)));
  const upBlock = Buffer.alloc(rowsPerBlock * stride);
  for (let offset = 0; offset < upBlock.length; offset += stride) upBlock[offset] = FILTER_UP;
  for (let i = 0; i < runStarts.length; i++) {
    const start = runStarts[i]!;
    const end = runStarts[i + 1] ?? height;
    yield noneRow(start);
    for (let left = end - start - 1; left > 0; left -= rowsPerBlock) {
      yield upBlock.subarray(0, Math.min(left, rowsPerBlock) * stride);
    }
  }
}

/**
 * Renders the PNG of one output (RGB, 8 bits; see `picture`) on Node, as the HTTP server
 * serves it. Deterministic: the same key, index and size give the same bytes.
 *
 * Every row of this picture equals the row above it except at the band's two edges, so the PNG's
 * filtered scanlines are produced directly (see {@link scanlines}) and framed here by hand; only
 * the deflate does real work, and a zlib stream runs it on the libuv threadpool, off the event
 * loop. Measured on the 2-core dev machine (bench/image-event-loop.mjs): pngjs's
 * `PNG.sync.write` blocked the loop 0.5–0.9 s per 4k image, and its async `pack()` still
 * bitpacks and filters every pixel in JS on the main thread (it blocked ~1.5 s), so pngjs only
 * decodes, in the tests. The portable renderer (`portable-png.ts`, for MSW) draws the same pixels.
 *
 * @throws RangeError when the size is not two positive integers
 */
export async function renderPng(
  key: string,
  index: number,
  width: number,
  height: number,
): Promise<Buffer> {
  const picture = drawPicture(key, index, width, height);
  const compressed: Buffer[] = [];
  await pipeline(
    Readable.from(scanlines(picture)),
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

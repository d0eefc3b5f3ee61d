// @ts-check
/**
 * The worker thread of the Node PNG renderer (`node-png.ts`): receives a drawn picture (its row,
 * its band and where the band is; see `picture.ts`), lays out its pixels and encodes them with
 * fast-png, exactly as the portable renderer does on the calling thread, and posts the PNG back
 * (its memory transferred, not copied). Plain JavaScript, so that Node runs it as it is from the
 * sources (vitest) and from dist.
 */
import { parentPort } from 'node:worker_threads';
import { encode } from 'fast-png';

/**
 * @typedef {{ width: number, height: number, row: Uint8Array, band: Uint8Array, bandStart: number, bandEnd: number }} Picture
 */

const port = parentPort;
if (!port) throw new Error('png-worker.mjs runs as a worker thread (see node-png.ts)');

port.on('message', (/** @type {{ id: number, picture: Picture }} */ { id, picture }) => {
  try {
    const { width, height, row, band, bandStart, bandEnd } = picture;
    const stride = width * 3;
    const data = new Uint8Array(stride * height);
    for (let y = 0; y < height; y++) {
      data.set(y >= bandStart && y < bandEnd ? band : row, y * stride);
    }
    const encoded = encode({ width, height, data, channels: 3, depth: 8 });
    // fast-png's array is a view of a larger buffer: keep only the PNG's bytes.
    const png = encoded.byteLength === encoded.buffer.byteLength ? encoded : encoded.slice();
    port.postMessage({ id, png }, [png.buffer]);
  } catch (error) {
    port.postMessage({ id, error });
  }
});

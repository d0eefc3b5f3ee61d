import { encode } from 'fast-png';
import { picture as drawPicture, rowOf, type Picture } from '../images/picture.js';

/**
 * Renders the PNG of one output (RGB, 8 bits; see `picture`) with fast-png, which runs wherever
 * JavaScript does (no `node:` module): the engine's default, used by the MSW handlers in a test
 * process or a browser page. It holds the whole image in memory and deflates it on the calling
 * thread; results are cached by the engine. The HTTP server runs `encodePicture` in worker
 * threads (the same bytes).
 *
 * @throws RangeError when the size is not two positive integers
 */
export function renderPortablePng(
  key: string,
  index: number,
  width: number,
  height: number,
): Promise<Uint8Array> {
  // A rejection, not a throw, for a bad size (as the Node renderer): run it in a `then`.
  return Promise.resolve().then(() => encodePicture(drawPicture(key, index, width, height)));
}

/** A drawn picture as PNG bytes (fast-png), in a buffer of its own (transferable). */
export function encodePicture(picture: Picture): Uint8Array {
  const { width, height } = picture;
  const stride = width * 3;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) data.set(rowOf(picture, y), y * stride);
  const encoded = encode({ width, height, data, channels: 3, depth: 8 });
  // fast-png's array is a view of a larger buffer: keep only the PNG's bytes.
  return encoded.byteLength === encoded.buffer.byteLength ? encoded : encoded.slice();
}

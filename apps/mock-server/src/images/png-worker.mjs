// @ts-check
/**
 * The worker thread of the Node PNG renderer (`node-png.ts`): receives a drawn picture, encodes
 * it with the engine's own portable encoder (the same bytes as on the calling thread) and posts
 * the PNG back (its memory transferred, not copied). Plain JavaScript, so that Node runs it as
 * it is from the sources (vitest) and from dist; the engine is loaded from its built package.
 */
import { parentPort } from 'node:worker_threads';
import { encodePicture } from '@eggapi/mock-engine/host';

const port = parentPort;
if (!port) throw new Error('png-worker.mjs runs as a worker thread (see node-png.ts)');

port.on(
  'message',
  (
    /** @type {{ id: number, picture: import('@eggapi/mock-engine/host').Picture }} */ {
      id,
      picture,
    },
  ) => {
    try {
      const png = encodePicture(picture);
      port.postMessage({ id, png }, [png.buffer]);
    } catch (error) {
      port.postMessage({ id, error });
    }
  },
);

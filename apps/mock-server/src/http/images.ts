import express, { type Router } from 'express';
import type { MockEngine } from '@eggapi/mock-engine/host';
import { imageHeaders, IMAGES_BUCKET, noImage, outputIndex } from '@eggapi/mock-engine/host';
import { clientIp } from './v1-guards.js';

/**
 * `GET /images/:taskId/:n.png`: the PNG outputs of completed tasks, public like upstream's file
 * host (no API key). Sized by the task's aspect ratio and resolution; the same request (and seed)
 * always gives the same bytes. Every request under `/images/` counts against the rate limit in a
 * bucket of its own (`images:<ip>`), so image fetches never eat a client's `/v1` budget.
 */
export function imagesRouter(engine: MockEngine): Router {
  const router = express.Router();
  router.use('/images', (req, _res, next) => {
    engine.checkRateLimit(`${IMAGES_BUCKET}${clientIp(req)}`).then(() => next(), next);
  });
  router.get('/images/:taskId/:file', (req, res, next) => {
    const index = outputIndex(req.params.file);
    if (index === undefined) return next(noImage(req.path));
    engine.image(req.params.taskId, index).then((image) => {
      if (!image) return next(noImage(req.path));
      for (const [name, value] of Object.entries(imageHeaders(image.etag))) {
        res.setHeader(name, value);
      }
      const { png } = image;
      // express sends a Buffer as bytes (a plain Uint8Array would go out as JSON).
      res.send(
        Buffer.isBuffer(png) ? png : Buffer.from(png.buffer, png.byteOffset, png.byteLength),
      );
    }, next);
  });
  return router;
}

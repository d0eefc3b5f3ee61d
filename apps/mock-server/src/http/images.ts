import express, { type Router } from 'express';
import type { MockEngine } from '../engine/engine.js';
import { notFound } from '../engine/errors.js';

/**
 * `GET /images/:taskId/:n.png`: the PNG outputs of completed tasks, public like upstream's file
 * host (no API key). Sized by the task's aspect ratio and resolution; the same request (and seed)
 * always gives the same bytes.
 */
export function imagesRouter(engine: MockEngine): Router {
  const router = express.Router();
  router.get('/images/:taskId/:file', (req, res, next) => {
    const match = /^(\d{1,4})\.png$/.exec(req.params.file);
    const missing = () => notFound(`no image at ${req.path}`);
    if (!match) return next(missing());
    engine.image(req.params.taskId, Number(match[1])).then((image) => {
      if (!image) return next(missing());
      res.setHeader('Content-Type', 'image/png');
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.setHeader('ETag', image.etag);
      const { png } = image;
      // express sends a Buffer as bytes (a plain Uint8Array would go out as JSON).
      res.send(
        Buffer.isBuffer(png) ? png : Buffer.from(png.buffer, png.byteOffset, png.byteLength),
      );
    }, next);
  });
  return router;
}

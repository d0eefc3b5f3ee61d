import express, { type Router } from 'express';
import { HttpError } from '../errors.js';
import { imageKey, imageSize, renderPng } from '../images.js';
import type { MockState } from '../state.js';

/**
 * `GET /images/:taskId/:n.png`: the PNG outputs of completed tasks, public like upstream's file
 * host. Sized by the task's aspect ratio and resolution; the same request (and seed) always gives
 * the same bytes.
 */
export function imagesRouter(state: MockState): Router {
  const router = express.Router();
  router.get('/images/:taskId/:file', (req, res, next) => {
    state.worker.settle();
    const record = state.tasks.get(req.params.taskId);
    const match = /^(\d+)\.png$/.exec(req.params.file);
    const index = match ? Number(match[1]) : -1;
    if (
      !record ||
      record.ended?.status !== 'completed' ||
      index < 0 ||
      index >= record.request.num_outputs
    ) {
      return next(new HttpError('NOT_FOUND', `no image at ${req.path}`));
    }
    const { request } = record;
    const key = imageKey(request, index, state.seed);
    const { width, height } = imageSize(request.aspect_ratio, request.resolution);
    const png = state.images.getOrRender(`${key}:${width}x${height}`, () =>
      renderPng(key, index, width, height),
    );
    res.setHeader('Content-Type', 'image/png');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', `"${key.slice(0, 32)}"`);
    res.send(png);
  });
  return router;
}

import { IDEMPOTENCY_KEY_HEADER } from '@eggapi/contracts';
import { EngineError, isImagePath } from '@eggapi/mock-engine/host';
import type { RequestHandler } from 'express';
import { requestBase } from './request-facts.js';
import type { Replayer } from '../replay/replayer.js';

const V1_PATH = /^\/v1(?:\/|$)/;
const IDEMPOTENCY_KEY = IDEMPOTENCY_KEY_HEADER.toLowerCase();

/**
 * The replay as one express layer, after the `/v1` guards and body parsing and before the
 * engine's routes: it answers the API's `GET`s and `POST /v1/generate`, and the images of the
 * tasks it serves; what it leaves (`fallback: 'mock'`, other ids' images) goes on to the engine.
 */
export function replayLayer(replayer: Replayer): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    const method = req.method.toUpperCase();
    if (isImagePath(path) && (method === 'GET' || method === 'HEAD')) {
      replayer.image(path, method === 'HEAD').then((image) => {
        if (image === undefined) return next();
        if (image === 'missing') {
          return next(new EngineError('NOT_FOUND', `no recorded image at ${path}`));
        }
        res.status(image.status);
        for (const [name, value] of Object.entries(image.headers)) res.setHeader(name, value);
        res.end(image.body);
      }, next);
      return;
    }
    if (!V1_PATH.test(path) || (method !== 'GET' && method !== 'POST')) return next();
    let answer;
    try {
      const idempotencyKey = req.headers[IDEMPOTENCY_KEY];
      answer = replayer.answer({
        method,
        path,
        query: req.originalUrl.includes('?')
          ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
          : '',
        body: method === 'POST' ? req.body : undefined,
        authorization: req.headers.authorization,
        owner: req.apiKey,
        idempotencyKey: Array.isArray(idempotencyKey) ? idempotencyKey[0] : idempotencyKey,
        base: requestBase(req),
      });
    } catch (error) {
      return next(error);
    }
    if (answer === undefined) return next();
    res.status(answer.status).json(answer.body);
  };
}

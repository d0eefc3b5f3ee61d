import { answerImage, isImagePath, type MockEngine } from '@eggapi/mock-engine/host';
import type { RequestHandler } from 'express';
import { factsOf } from './request-facts.js';

/** `/images/…`: the engine's image answers (see `answerImage`), as bytes. */
export function images(engine: MockEngine): RequestHandler {
  return (req, res, next) => {
    const facts = factsOf(req);
    if (!isImagePath(facts.path)) return next();
    answerImage(engine, facts).then((image) => {
      res.status(image.status);
      for (const [name, value] of Object.entries(image.headers)) res.setHeader(name, value);
      res.end(image.body);
    }, next);
  };
}

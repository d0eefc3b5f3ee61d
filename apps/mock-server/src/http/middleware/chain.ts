import type { RequestHandler } from 'express';

/**
 * Runs several middleware as one express layer. Every layer costs each request on the hot path,
 * so the /v1 guards (rate limit, faults, auth) run as one.
 */
export function chain(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) return next(error);
      const handler = handlers[index++];
      if (!handler) return next();
      try {
        void handler(req, res, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

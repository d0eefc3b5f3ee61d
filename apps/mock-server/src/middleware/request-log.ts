import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** One log line per answered request: method, path, status, duration, request id. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    res.on('finish', () => {
      logger.info(
        {
          req_id: req.id,
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}

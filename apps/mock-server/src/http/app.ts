import { contract } from '@eggapi/contracts';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { ResolvedOptions } from '../config.js';
import { adminContract, type MockEngine } from '@eggapi/mock-engine/host';
import { mountAdmin } from './admin.js';
import { consoleRouter } from './console.js';
import { docsRouter } from './docs.js';
import { errorHandler } from './errors.js';
import { images } from './images.js';
import { journal } from './journal.js';
import { methodNotAllowed, notFound } from './middleware/fallbacks.js';
import { requestContext } from './middleware/request-context.js';
import { mountV1 } from './v1.js';
import type { Replayer } from '../replay/replayer.js';
import { replayLayer } from './replay-layer.js';
import { validatingProxy } from './proxy-layer.js';
import type { Recorder } from '../proxy/recorder.js';
import { v1Guards } from './v1-guards.js';

/**
 * The express app over an engine: the `/v1` API (ts-rest; with `proxyTo`, the validating proxy
 * instead), images, docs, the console and admin routes. Each
 * route parses, calls the engine, renders; every failure ends in one error handler.
 */
export function createExpressApp(
  engine: MockEngine,
  options: ResolvedOptions,
  logger: Logger,
  closing: () => boolean,
  extras: { replay?: Replayer; recorder?: Recorder } = {},
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // First, so that every answer is recorded: refused, faulted, and 503s while shutting down.
  app.use(journal(engine));
  app.use(requestContext(logger, closing, options.corsOrigins));

  // The API first: it is the hot path, and every layer before it costs each request.
  if (options.proxyTo !== undefined) {
    app.use(
      '/v1',
      validatingProxy(engine, { ...options, proxyTo: options.proxyTo }, logger, extras.recorder),
    );
  } else {
    app.use('/v1', v1Guards(engine));
    mountV1(app, engine, options, extras.replay && replayLayer(extras.replay));
    methodNotAllowed(app, contract);
  }

  app.use(docsRouter(options.publicBaseUrl?.replace(/\/+$/, '')));
  app.use(consoleRouter(options.publicBaseUrl, options.adminToken));
  app.use(images(engine));
  mountAdmin(app, engine, options);
  methodNotAllowed(app, adminContract);

  app.use(notFound());
  app.use(errorHandler(logger));
  return app;
}

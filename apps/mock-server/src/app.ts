import { contract } from '@eggapi/contracts';
import { signWebhook } from '@eggapi/webhook';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { resolveOptions, type MockServerOptions } from './config.js';
import { errorHandler } from './errors.js';
import { createLogger } from './logger.js';
import { bearerAuth } from './middleware/auth.js';
import { chain } from './middleware/chain.js';
import { methodNotAllowed, notFound } from './middleware/fallbacks.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestContext } from './middleware/request-context.js';
import { ADMIN_PREFIX, adminRouter } from './routes/admin.js';
import { docsRouter } from './routes/docs.js';
import { imagesRouter } from './routes/images.js';
import { mountV1 } from './routes/v1.js';
import { MockState } from './state.js';
import type { Signer } from './webhooks/dispatcher.js';

export interface MockApp {
  app: Express;
  state: MockState;
  logger: Logger;
}

/** Signs deliveries with @eggapi/webhook, exactly as upstream: `sha256=` HMAC of `{ts}.{body}`. */
const sign: Signer = (body, secret, timestamp) => ({ ...signWebhook(body, secret, timestamp) });

/**
 * Builds the mock server's express app and its state, without listening (tests and
 * `startMockServer` listen). Options are validated; a bad one throws a TypeError naming it.
 */
export function createMockApp(options: MockServerOptions = {}): MockApp {
  const resolved = resolveOptions(options);
  const logger = createLogger(resolved.logLevel, resolved.prettyLogs, resolved.logDestination);
  const state = new MockState(resolved, logger, sign);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestContext(logger));

  // The API first: it is the hot path, and every layer before it costs each request.
  app.use(
    '/v1',
    chain(
      rateLimit(() => state.runtime.rateLimit, resolved.now),
      state.faults.middleware(),
      bearerAuth((key) => state.apiKeys.has(key)),
    ),
  );
  mountV1(app, state);
  methodNotAllowed(app, contract);

  app.use(docsRouter(state));
  app.use(imagesRouter(state));
  app.use(ADMIN_PREFIX, adminRouter(state));

  app.use(notFound());
  app.use(errorHandler(logger));
  return { app, state, logger };
}

import {
  ADMIN_PREFIX,
  adminContract,
  adminRoutes,
  eventStream,
  guardAdmin,
  type MockEngine,
} from '@eggapi/mock-engine/host';
import express, { type Express } from 'express';
import type { ResolvedOptions } from '../config.js';
import { mountContract } from './contract-endpoints.js';
import { factsOf } from './request-facts.js';

/** The admin API's largest body (its bodies are small settings). */
const ADMIN_BODY_LIMIT = '64kb';

/**
 * The admin API (`/__admin`, see `adminContract`): the engine's guard (own pages and non-browser
 * clients only, a rate-limit bucket of its own, the admin token), then the engine's routes
 * through ts-rest. Answers no CORS headers.
 */
export function mountAdmin(
  app: Express,
  engine: MockEngine,
  options: Pick<ResolvedOptions, 'adminToken' | 'publicBaseUrl' | 'validateResponses'>,
): void {
  app.use(ADMIN_PREFIX, (req, res, next) => {
    guardAdmin(engine, factsOf(req), options).then((pass) => {
      // The browser's preflight, or a plain OPTIONS, from this server's own pages: nothing to grant.
      if (pass === 'options') res.status(204).end();
      else next();
    }, next);
  });
  app.use(
    ADMIN_PREFIX,
    express.json({ limit: ADMIN_BODY_LIMIT, type: ['application/json', 'application/*+json'] }),
    (req, _res, next) => {
      // No body reads as `{}`, as the fetch transport reads it: the schema names what is missing.
      req.body ??= {};
      next();
    },
  );
  mountContract(
    app,
    adminContract,
    adminRoutes(engine, () => eventStream(engine)),
    options.validateResponses,
  );
}

import { contract, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '@eggapi/contracts';
import { createExpressEndpoints, initServer } from '@ts-rest/express';
import type { RequestValidationError } from '@ts-rest/express';
import express, { type Express, type Request, type RequestHandler } from 'express';
import type { MockEngine } from '../engine/engine.js';
import { invalidHeader } from '../engine/errors.js';
import { SCENARIO_HEADER } from '../engine/scenarios.js';
import { requestValidationError } from '../protocol/request-validation.js';

/** Where this request arrived, e.g. `http://127.0.0.1:4010`: the base of its image links. */
export function requestBase(req: Pick<Request, 'protocol' | 'get'>): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * `POST` bodies must be JSON: anything else is a 400 VALIDATION_ERROR naming the header, before
 * the body is read (a documented code; upstream has no 415). An empty body is let through and
 * validated as `{}`, so the answer names the missing fields.
 */
function requireJson(): RequestHandler {
  return (req, _res, next) => {
    const empty = req.headers['content-length'] === '0' && !req.headers['transfer-encoding'];
    if (!empty && req.is(['application/json', 'application/*+json']) === false) {
      return next(invalidHeader('Content-Type', 'must be application/json'));
    }
    next();
  };
}

/**
 * The `/v1` API through ts-rest, bound to the contract: a handler whose answer does not
 * type-check against `contract` does not compile, and requests are validated by its schemas.
 * Each handler is one engine call.
 */
export function mountV1(app: Express, engine: MockEngine, options: V1Options): void {
  // Mounted on the app itself (one router level less on the hot path); only POST /v1/generate
  // carries a body, so GETs never touch the body parser.
  app.post(
    contract.generate.path,
    requireJson(),
    express.json({ limit: options.maxBodyBytes, strict: true }),
    (req, _res, next) => {
      req.body ??= {};
      next();
    },
  );
  const s = initServer();
  const router = s.router(contract, {
    generate: async ({ body, req, res }) => {
      const { task, replayed } = await engine.createTask({
        apiKey: req.apiKey,
        request: body,
        scenario: req.get(SCENARIO_HEADER),
        idempotencyKey: req.get(IDEMPOTENCY_KEY_HEADER),
        baseUrl: requestBase(req),
      });
      if (replayed) res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
      return { status: 202 as const, body: { data: task, error: null } };
    },
    getTask: async ({ params, req }) => ({
      status: 200 as const,
      body: { data: await engine.getTask(req.apiKey, params.id, requestBase(req)), error: null },
    }),
    listTasks: async ({ query, req }) => ({
      status: 200 as const,
      body: { data: await engine.listTasks(req.apiKey, query, requestBase(req)), error: null },
    }),
    listUsage: async ({ query, req }) => ({
      status: 200 as const,
      body: { data: await engine.listUsage(req.apiKey, query), error: null },
    }),
  });
  createExpressEndpoints(contract, router, app, {
    responseValidation: options.validateResponses,
    requestValidationErrorHandler: (error: RequestValidationError) => {
      throw requestValidationError(error);
    },
  });
}

export interface V1Options {
  maxBodyBytes: number;
  validateResponses: boolean;
}

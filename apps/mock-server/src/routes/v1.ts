import type { Contract } from '@eggapi/contracts';
import { contract } from '@eggapi/contracts';
import { createExpressEndpoints, initServer } from '@ts-rest/express';
import type { AppRouteImplementation, RequestValidationError } from '@ts-rest/express';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { detailsOf, HttpError, invalidHeader, validationError } from '../errors.js';
import { ScenarioSyntaxError, SCENARIO_HEADER, scenarioFor } from '../scenarios.js';
import type { MockState } from '../state.js';
import { fingerprint } from '../store/idempotency.js';
import { toTask } from '../store/task-record.js';
import { toUsageRecord } from '../store/usage.js';
import { mountGetTask } from './get-task-route.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The base of output URLs: the configured public URL, else where this request arrived. */
export function baseUrlFor(state: MockState, req: Pick<Request, 'protocol' | 'get'>): string {
  return state.publicBaseUrl || `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** 400 VALIDATION_ERROR from ts-rest's request validation, naming every invalid field. */
function onInvalidRequest(error: RequestValidationError): never {
  throw validationError([
    ...(error.body ? detailsOf(error.body) : []),
    ...(error.query ? detailsOf(error.query) : []),
    ...(error.pathParams ? detailsOf(error.pathParams) : []),
    ...(error.headers ? detailsOf(error.headers, 'headers') : []),
  ]);
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

function scenarioOf(req: Request, prompt: string) {
  try {
    return scenarioFor(req.get(SCENARIO_HEADER), prompt);
  } catch (error) {
    if (!(error instanceof ScenarioSyntaxError)) throw error;
    throw invalidHeader('X-EggAPI-Mock-Scenario', error.message);
  }
}

/**
 * The `/v1` API, implemented against the ts-rest contract: a handler whose answer does not
 * type-check against `contract` does not compile.
 */
export function mountV1(app: Express, state: MockState): void {
  // Mounted on the app itself, not a nested router: one router level less on the hot path.
  // Only POST /v1/generate carries a body: GETs never touch the body parser.
  app.post(
    contract.generate.path,
    requireJson(),
    express.json({ limit: state.options.maxBodyBytes, strict: true }),
    (req, _res, next) => {
      req.body ??= {};
      next();
    },
  );

  const s = initServer();
  /* eslint-disable @typescript-eslint/require-await -- ts-rest handlers return promises */
  const getTask: AppRouteImplementation<Contract['getTask']> = async ({ params, req }) => {
    const record = state.pollTask(req.apiKey, params.id);
    return {
      status: 200 as const,
      body: { data: toTask(record, state.now(), baseUrlFor(state, req)), error: null },
    };
  };
  const implementation = s.router(contract, {
    generate: async ({ body, req, res }) => {
      const idempotencyKey = req.get('idempotency-key');
      if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw invalidHeader('Idempotency-Key', 'must be 1–255 visible ASCII characters');
      }
      const owner = req.apiKey;
      const print = fingerprint([body, req.get(SCENARIO_HEADER) ?? null]);
      if (idempotencyKey !== undefined) {
        const stored = state.idempotency.get(owner, idempotencyKey);
        if (stored && stored.fingerprint !== print) {
          throw new HttpError(
            'IDEMPOTENCY_CONFLICT',
            'this Idempotency-Key was already used with a different request body',
          );
        }
        if (stored) {
          res.setHeader('Idempotent-Replayed', 'true');
          return {
            status: 202 as const,
            body: stored.body as { data: ReturnType<typeof toTask>; error: null },
          };
        }
      }
      const base = baseUrlFor(state, req);
      const record = state.createTask(owner, body, scenarioOf(req, body.prompt), base);
      // Upstream answers the creation with the task at `pending` whatever the timing: render it
      // as of before any worker step.
      const answer = { data: toTask(record, -Infinity, base), error: null };
      if (idempotencyKey !== undefined) {
        state.idempotency.set(owner, idempotencyKey, {
          fingerprint: print,
          status: 202,
          body: answer,
        });
      }
      return { status: 202 as const, body: answer };
    },
    getTask,
    listTasks: async ({ query, req }) => {
      const page = state.listTasks(req.apiKey, query);
      const now = state.now();
      const base = baseUrlFor(state, req);
      return {
        status: 200 as const,
        body: {
          data: { items: page.items.map((r) => toTask(r, now, base)), pagination: page.pagination },
          error: null,
        },
      };
    },
    listUsage: async ({ query, req }) => {
      const page = state.listUsage(req.apiKey, query);
      return {
        status: 200 as const,
        body: {
          data: { items: page.items.map(toUsageRecord), pagination: page.pagination },
          error: null,
        },
      };
    },
  });

  /* eslint-enable @typescript-eslint/require-await */

  // The polling hot path has its own lean route (see get-task-route.ts); ts-rest serves the rest.
  mountGetTask(app, getTask, state.options.validateResponses);
  const { getTask: _getTaskRoute, ...otherRoutes } = contract;
  const { getTask: _getTaskHandler, ...otherHandlers } = implementation;
  createExpressEndpoints(otherRoutes, otherHandlers, app, {
    responseValidation: state.options.validateResponses,
    requestValidationErrorHandler: (error) => onInvalidRequest(error),
  });
}

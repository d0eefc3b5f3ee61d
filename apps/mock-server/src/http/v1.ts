import { contract } from '@eggapi/contracts';
import { invalidHeader, v1Routes, type MockEngine } from '@eggapi/mock-engine/host';
import express, { type Express, type RequestHandler } from 'express';
import { mountContract } from './contract-endpoints.js';
import { keepBodyText } from './journal.js';

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
 * The `/v1` API: the engine's routes (one implementation for every transport) through ts-rest,
 * bound to the contract and validated by its schemas.
 */
export function mountV1(
  app: Express,
  engine: MockEngine,
  options: V1Options,
  beforeRoutes?: RequestHandler,
): void {
  // Only POST /v1/generate carries a body, so GETs never touch the body parser.
  app.post(
    contract.generate.path,
    requireJson(),
    express.json({ limit: options.maxBodyBytes, strict: true, verify: keepBodyText }),
    (req, _res, next) => {
      req.body ??= {};
      next();
    },
  );
  // Sees requests once their body is read, before any route takes them (the replay).
  if (beforeRoutes) app.use(beforeRoutes);
  mountContract(app, contract, v1Routes(engine), options.validateResponses);
}

export interface V1Options {
  maxBodyBytes: number;
  validateResponses: boolean;
}

import { Readable } from 'node:stream';
import type { AppRouter } from '@ts-rest/core';
import { createExpressEndpoints, initServer, type RequestValidationError } from '@ts-rest/express';
import type { IRouter, Request, Response } from 'express';
import { requestValidationError, type Routes } from '@eggapi/mock-engine/host';
import { factsOf } from './request-facts.js';

type Handler = (
  input: unknown,
  facts: unknown,
) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;

/**
 * Serves a contract's routes, implemented once in the engine's pipeline, through
 * `@ts-rest/express`: ts-rest validates each request with the contract's schemas (a
 * VALIDATION_ERROR envelope when it fails), the route answers, ts-rest checks the answer when
 * `validateResponses` is on. A stream answer (the admin events) is piped, and let go when the
 * client leaves.
 */
export function mountContract<C extends AppRouter>(
  app: IRouter,
  contract: C,
  routes: Routes<C>,
  validateResponses: boolean,
): void {
  const handlers = routes as Record<string, Handler>;
  const implementation = Object.fromEntries(
    Object.keys(handlers).map((name) => [
      name,
      async ({ req, res, ...input }: { req: Request; res: Response }) => {
        const answer = await handlers[name]!(input, { ...factsOf(req), apiKey: req.apiKey });
        for (const [header, value] of Object.entries(answer.headers ?? {})) {
          res.setHeader(header, value);
        }
        if (answer.body instanceof ReadableStream) {
          return { status: answer.status, body: streamed(answer.body, req, res) };
        }
        return { status: answer.status, body: answer.body };
      },
    ]),
  );
  createExpressEndpoints(contract, initServer().router(contract, implementation as never), app, {
    responseValidation: validateResponses,
    requestValidationErrorHandler: (error: RequestValidationError) => {
      throw requestValidationError(error);
    },
  });
}

/** A web stream as a Node stream ts-rest pipes; destroyed (the web stream cancelled) on close. */
function streamed(body: ReadableStream<Uint8Array>, req: Request, res: Response): Readable {
  // Projects that compile this file with DOM types see two different stream types.
  const stream = Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]);
  res.once('close', () => stream.destroy());
  req.socket.setNoDelay(true);
  return stream;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookEvent } from '@eggapi/contracts';
import { WebhookVerificationError, isWebhookVerificationError } from './errors.js';
import { secretList, toleranceSeconds } from './internal/config.js';
import { BodyTooLargeError, RequestAbortedError, readRawBody } from './internal/read-body.js';
import type { WebhookPayload, WebhookVerifyConfig } from './options.js';
import type { ReplayGuard } from './replay.js';
import { verifyWebhook } from './verify.js';

// No import of express, not even of its types: the published .d.ts must compile for receivers
// with any @types/express (4 or 5) or none. The handler is typed over node:http, whose request
// and response express's extend, and `eggapiEvent` is added to the global `Express.Request`
// interface, which @types/express 4 and 5 both merge into express's `Request` (without them it
// is an unused global declaration).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- express's own augmentation point
  namespace Express {
    interface Request {
      /** The verified EggAPI webhook event, set by the `eggapiWebhook` middleware. */
      eggapiEvent?: WebhookEvent;
    }
  }
}

/** Default largest body the middleware reads, in bytes (1 MiB; deliveries are a few hundred). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Options of {@link eggapiWebhook}: the verifier's options plus the body limit and replay guard. */
export interface EggapiWebhookOptions extends WebhookVerifyConfig {
  /** Largest body read from the stream, in bytes; more answers 413. Default 1 MiB. */
  limit?: number;
  /** Reject deliveries already seen within the tolerance (see `createReplayGuard`). */
  replayGuard?: ReplayGuard;
}

/**
 * A request that passed {@link eggapiWebhook}: `eggapiEvent` is set. `R` is your framework's
 * request type, e.g. `EggapiWebhookRequest<express.Request>`.
 */
export type EggapiWebhookRequest<R extends IncomingMessage = IncomingMessage> = R & {
  eggapiEvent: WebhookEvent;
};

/**
 * The middleware {@link eggapiWebhook} returns: a connect-style handler, assignable to express 4
 * and 5 `RequestHandler`s (and usable with plain `node:http`). It resolves once it has answered
 * or called `next`.
 */
export type EggapiWebhookMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => Promise<void>;

/**
 * Express middleware (4 and 5) that verifies an EggAPI delivery, puts the typed event on
 * `req.eggapiEvent` and calls `next()`. On failure it answers
 * `400 {"error":{"code":"<reason>","message":"…"}}` (`413` with code `payload_too_large` above
 * `limit`) and does not call the handler. A client that goes away mid-body gets no answer and
 * `next` is not called: that is not an application error.
 *
 * It reads the raw body from the request stream itself, so mount it on the webhook route before
 * any JSON parser (`app.post(path, eggapiWebhook(…), handler)` registered before
 * `app.use(express.json())`). If a parser did run first, the raw bytes are taken from
 * `express.raw()` (`req.body` is a Buffer) or from `req.rawBody` (a parser `verify` hook that
 * stored it); a body that was only kept as parsed JSON is refused with `body_was_parsed`, since
 * re-serialised JSON is not the signed body.
 *
 * @throws {TypeError | RangeError} at set-up, when the secret, tolerance or limit are wrong.
 */
export function eggapiWebhook(options: EggapiWebhookOptions): EggapiWebhookMiddleware {
  if (!(options.allowUnsigned === true && options.secret === undefined)) secretList(options.secret);
  toleranceSeconds(options.tolerance);
  const { limit = DEFAULT_BODY_LIMIT, replayGuard, ...config } = options;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError('eggapi webhook: `limit` must be a whole number of bytes >= 0.');
  }
  return async (req, res, next) => {
    let event: WebhookEvent;
    try {
      const payload = bodyFromParser(req) ?? (await readRawBody(req, limit));
      event = verifyWebhook({ ...config, payload, headers: req.headers });
      await replayGuard?.check(event, req.headers);
    } catch (error) {
      if (isWebhookVerificationError(error)) {
        answer(res, 400, error.reason, error.message);
      } else if (error instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        answer(res, 413, 'payload_too_large', error.message);
      } else if (!(error instanceof RequestAbortedError)) next(error);
      return;
    }
    (req as { eggapiEvent?: WebhookEvent }).eggapiEvent = event;
    next();
  };
}

function answer(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * The raw body when a parser already consumed the stream: a Buffer from `express.raw()`, a
 * string from `express.text()`, or `req.rawBody`. `undefined` when the stream is still unread.
 * @throws WebhookVerificationError `body_was_parsed` when only parsed JSON is left.
 */
function bodyFromParser(req: IncomingMessage): WebhookPayload | undefined {
  const { body, rawBody, _body } = req as { body?: unknown; rawBody?: unknown; _body?: unknown };
  if (body instanceof Uint8Array || typeof body === 'string') return body;
  if (rawBody instanceof Uint8Array || typeof rawBody === 'string') return rawBody;
  // body-parser marks the requests it consumed with `_body`; express 4's parsers also set
  // `req.body = {}` on requests they skip, so an object alone does not mean "consumed".
  if (_body === true || req.readableEnded) throw parsedBody();
  return undefined;
}

function parsedBody(): WebhookVerificationError {
  return new WebhookVerificationError(
    'body_was_parsed',
    'A JSON body parser (express.json(), body-parser) read this request before eggapiWebhook(), so ' +
      'the raw request body that was signed is gone; re-serialised JSON is not the signed body, ' +
      'so the delivery cannot be verified. Mount the middleware before the parser: register ' +
      "app.post('/webhooks/eggapi', eggapiWebhook({ secret }), handler) before " +
      "app.use(express.json()), or mount the parser on your other routes only ('/api'). If a " +
      "parser must run first on this route, keep the bytes: express.raw({ type: 'application/json' }), " +
      'or express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }).',
  );
}

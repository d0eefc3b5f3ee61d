import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { WebhookEvent } from '@eggapi/contracts';
import { isWebhookVerificationError } from './errors.js';
import { secretList, toleranceSeconds } from './internal/config.js';
import { BodyTooLargeError, RequestAbortedError, readRawBody } from './internal/read-body.js';
import type { WebhookPayload, WebhookVerifyConfig } from './options.js';
import type { ReplayGuard } from './replay.js';
import { verifyWebhook } from './verify.js';

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

/** A request that passed {@link eggapiWebhook}: `eggapiEvent` is set. */
export type EggapiWebhookRequest = Request & { eggapiEvent: WebhookEvent };

/**
 * Express middleware (4 and 5) that verifies an EggAPI delivery, puts the typed event on
 * `req.eggapiEvent` and calls `next()`. On failure it answers
 * `400 {"error":{"code":"<reason>","message":"…"}}` (`413` with code `payload_too_large` above
 * `limit`) and does not call the handler.
 *
 * It reads the raw body from the request stream itself, so mount it on the webhook route with no
 * body parser before it; `express.json()` on other routes or after it is fine. If a parser did run
 * first, the raw bytes are taken from `express.raw()` (`req.body` is a Buffer) or from
 * `req.rawBody` (a parser `verify` hook that stored it); otherwise it answers `body_was_parsed`.
 *
 * @throws {TypeError | RangeError} at set-up, when the secret, tolerance or limit are wrong.
 */
export function eggapiWebhook(options: EggapiWebhookOptions): RequestHandler {
  if (!(options.allowUnsigned === true && options.secret === undefined)) secretList(options.secret);
  toleranceSeconds(options.tolerance);
  const { limit = DEFAULT_BODY_LIMIT, replayGuard, ...config } = options;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError('eggapi webhook: `limit` must be a whole number of bytes >= 0.');
  }
  return async (req: Request, res: Response, next: NextFunction) => {
    let event: WebhookEvent;
    try {
      const payload = bodyFromParser(req) ?? (await readRawBody(req, limit));
      event = verifyReceived(config, payload, req.headers);
      await replayGuard?.check(event, req.headers);
    } catch (error) {
      if (isWebhookVerificationError(error)) {
        res.status(400).json({ error: { code: error.reason, message: error.message } });
      } else if (error instanceof BodyTooLargeError) {
        res.set('Connection', 'close');
        res.status(413).json({ error: { code: 'payload_too_large', message: error.message } });
      } else if (!(error instanceof RequestAbortedError)) next(error);
      return;
    }
    req.eggapiEvent = event;
    next();
  };
}

/**
 * Verifies what the route received. When a JSON parser ran first (`app.use(express.json())`), the
 * exact bytes are gone; EggAPI's bodies are compact JSON, which `JSON.stringify` of the parsed
 * object reproduces byte for byte, so the signature is checked against that: if it matches, those
 * are exactly the signed bytes. If it does not, the answer is `body_was_parsed`, which names the
 * fix (mount the middleware before the parser, or keep the raw body).
 */
function verifyReceived(
  config: WebhookVerifyConfig,
  payload: unknown,
  headers: Request['headers'],
): WebhookEvent {
  const parsed =
    typeof payload === 'object' && payload !== null && !(payload instanceof Uint8Array);
  if (!parsed) return verifyWebhook({ ...config, payload: payload as WebhookPayload, headers });
  try {
    return verifyWebhook({ ...config, payload: JSON.stringify(payload), headers });
  } catch (error) {
    if (isWebhookVerificationError(error) && error.reason === 'signature_mismatch') {
      // Re-verify with the object itself: verifyWebhook reports it as body_was_parsed.
      return verifyWebhook({ ...config, payload: payload as WebhookPayload, headers });
    }
    throw error;
  }
}

/**
 * The raw body when a parser already consumed the stream: a Buffer from `express.raw()`, a
 * string from `express.text()`, or `req.rawBody`. A parsed object when nothing raw is left, which
 * `verifyWebhook` reports as `body_was_parsed`. `undefined` when the stream is still unread.
 */
function bodyFromParser(req: Request): unknown {
  const body: unknown = req.body;
  const rawBody = (req as { rawBody?: unknown }).rawBody;
  if (body instanceof Uint8Array || typeof body === 'string') return body;
  if (rawBody instanceof Uint8Array || typeof rawBody === 'string') return rawBody;
  // body-parser marks the requests it consumed with `_body`; express 4's parsers also set
  // `req.body = {}` on requests they skip, so an object alone does not mean "consumed".
  const consumed = (req as { _body?: unknown })._body === true || req.readableEnded;
  return consumed ? (body ?? {}) : undefined;
}

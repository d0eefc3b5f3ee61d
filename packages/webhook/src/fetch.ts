import type { WebhookEvent } from '@eggapi/contracts';
import { WebhookVerificationError } from './errors.js';
import type { WebhookVerifyConfig } from './options.js';
import type { ReplayGuard } from './replay.js';
import { verifyWebhook } from './verify-web.js';

/** Options of {@link verifyRequest}: the verifier's options and an optional replay guard. */
export interface VerifyRequestOptions extends WebhookVerifyConfig {
  /** Reject deliveries already seen within the tolerance (see `createReplayGuard`). */
  replayGuard?: ReplayGuard;
}

/**
 * Verifies a Fetch API `Request` (Next.js route handlers, Hono, Cloudflare Workers, Deno, Bun)
 * and resolves to the typed event. Reads the body itself, as exact bytes, so call it **before**
 * anything reads the body (or pass `request.clone()`). Runs on Web Crypto, with no Node modules.
 * The body size is left to the framework's own limit.
 *
 * @throws {WebhookVerificationError} (as a rejection): the verifier's reasons, `body_was_parsed`
 *   when the body was already read, and `replayed` from the replay guard.
 * @throws {TypeError | RangeError} (as a rejection) when the options are wrong.
 */
export async function verifyRequest(
  request: Request,
  options: VerifyRequestOptions,
): Promise<WebhookEvent> {
  if (request.bodyUsed) {
    throw new WebhookVerificationError(
      'body_was_parsed',
      'The request body was already read (request.json() or text()); call verifyRequest ' +
        'first, or pass request.clone() to it.',
    );
  }
  const { replayGuard, ...config } = options;
  const payload = new Uint8Array(await request.arrayBuffer());
  const event = await verifyWebhook({ ...config, payload, headers: request.headers });
  await replayGuard?.check(event, request.headers);
  return event;
}

import { checkWebhookEvent, type WebhookEvent } from '@eggapi/contracts';
import { WebhookVerificationError } from '../errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The raw body as a string or bytes; anything else means a body parser got there first. */
export function rawBody(payload: unknown): string | Uint8Array {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  if (ArrayBuffer.isView(payload)) {
    return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  }
  const got = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload;
  throw new WebhookVerificationError(
    'body_was_parsed',
    `The payload must be the raw request body (string, Buffer or Uint8Array), got ${got}. ` +
      'Pass the raw request body, not the parsed JSON: in express use the eggapiWebhook ' +
      "middleware or express.raw({ type: 'application/json' }) on this route instead of express.json(); " +
      'with fetch use await request.text().',
  );
}

/** The typed event from a body whose signature already passed. */
export function parseEvent(body: string | Uint8Array): WebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === 'string' ? body : decoder.decode(body));
  } catch {
    throw new WebhookVerificationError(
      'invalid_payload',
      'The body is not valid UTF-8 JSON although its signature is valid.',
    );
  }
  // The contracts' check, not their zod schema: the same verdicts without zod in the bundle.
  const problem = checkWebhookEvent(json);
  if (problem) {
    const where = problem.path ? ` at ${problem.path}` : '';
    throw new WebhookVerificationError(
      'invalid_payload',
      `The body is not an EggAPI webhook event${where}: ${problem.message}.`,
    );
  }
  return json as WebhookEvent;
}

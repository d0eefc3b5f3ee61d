import { createHmac } from 'node:crypto';
import type { WebhookEvent } from '@eggapi/contracts';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import type { VerifyWebhookOptions, WebhookSignatureHeaders } from '../../src/index.js';

/** A fixed secret and timestamp for known-answer vectors. */
export const SECRET = 'whsec_test_secret';
export const TIMESTAMP = 1778217000;

/** The two example payloads of the upstream spec, byte for byte as printed there. */
export const SPEC_COMPLETED_BODY = `{
  "event": "task.completed",
  "task_id": "gen_abc123def456",
  "status": "completed",
  "model": "nanobanana",
  "output": {
    "urls": ["https://file.eggapi.ai/images/gen_abc123def456/0.png"]
  },
  "cost": "0.010000",
  "timestamp": 1778217000
}`;
export const SPEC_FAILED_BODY = `{
  "event": "task.failed",
  "task_id": "gen_abc123def456",
  "status": "failed",
  "model": "nanobanana",
  "error": "generation failed: upstream provider unavailable",
  "cost": "0.000000",
  "timestamp": 1778217000
}`;

/** The spec's HMAC, computed here with node:crypto only, never with the code under test. */
export function referenceSignature(
  secret: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.`).update(body);
  return `sha256=${hmac.digest('hex')}`;
}

export type SignedDelivery = Omit<VerifyWebhookOptions, 'payload' | 'headers'> & {
  payload: string | Uint8Array;
  headers: Record<string, string>;
};

/** A correctly signed delivery (signed by the reference HMAC) with a clock at its timestamp. */
export function signedDelivery(
  overrides: { body?: string | Uint8Array; secret?: string; timestamp?: number } = {},
): SignedDelivery {
  const { body = SPEC_COMPLETED_BODY, secret = SECRET, timestamp = TIMESTAMP } = overrides;
  return {
    payload: body,
    headers: {
      'X-EggAPI-Timestamp': String(timestamp),
      'X-EggAPI-Signature': referenceSignature(secret, timestamp, body),
    },
    secret,
    now: () => timestamp * 1000,
  };
}

/** One runtime's entry, made uniformly async so one table can run against both. */
export interface Entry {
  name: 'node' | 'web';
  verify(options: VerifyWebhookOptions): Promise<WebhookEvent>;
  verifySignature(options: VerifyWebhookOptions): Promise<void>;
  sign(
    payload: string | Uint8Array,
    secret: string,
    timestamp?: number,
  ): Promise<WebhookSignatureHeaders>;
  computeSignature(
    payload: string | Uint8Array,
    secret: string,
    timestamp: number,
  ): Promise<string>;
}

export const ENTRIES: Entry[] = [
  {
    name: 'node',
    verify: (options) => Promise.resolve(options).then(node.verifyWebhook),
    verifySignature: (options) => Promise.resolve(options).then(node.verifyWebhookSignature),
    sign: (...args) => Promise.resolve(args).then((a) => node.signWebhook(...a)),
    computeSignature: (...args) => Promise.resolve(args).then((a) => node.computeSignature(...a)),
  },
  {
    name: 'web',
    verify: (options) => web.verifyWebhook(options),
    verifySignature: (options) => web.verifyWebhookSignature(options),
    sign: (...args) => web.signWebhook(...args),
    computeSignature: (...args) => web.computeSignature(...args),
  },
];

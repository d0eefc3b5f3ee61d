import type { VerifyWebhookOptions } from '../../src/index.js';
import {
  SECRET,
  SPEC_COMPLETED_BODY,
  TIMESTAMP,
  referenceSignature,
  signedDelivery,
} from './deliveries.js';

export type Options = VerifyWebhookOptions & { headers: Record<string, unknown> };

/** A signed delivery changed by `change`: each row of the tables below is one such change. */
export function delivery(change: (options: Options) => void = () => {}): VerifyWebhookOptions {
  const options = signedDelivery() as Options;
  change(options);
  return options;
}

export const sig = (value: string | undefined) => (o: Options) => {
  o.headers['X-EggAPI-Signature'] = value;
};
export const ts = (value: string | undefined) => (o: Options) => {
  o.headers['X-EggAPI-Timestamp'] = value;
};
export const at = (seconds: number) => (o: Options) => {
  o.now = () => seconds * 1000;
};
export const body = (payload: unknown) => (o: Options) => {
  o.payload = payload as string;
};
export const resigned = (text: string) => (o: Options) =>
  Object.assign(o, signedDelivery({ body: text }));
export const GOOD = referenceSignature(SECRET, TIMESTAMP, SPEC_COMPLETED_BODY);

/** Every failure reason, and the change to a good delivery that produces it. */
export const FAILURES: [string, VerifyWebhookOptions, string][] = [
  ['no timestamp header', delivery(ts(undefined)), 'missing_timestamp'],
  ['an empty timestamp header', delivery(ts('')), 'missing_timestamp'],
  ['a timestamp that is not digits', delivery(ts('1778217000.5')), 'missing_timestamp'],
  ['an ISO date as timestamp', delivery(ts('2026-05-08T10:30:00Z')), 'missing_timestamp'],
  ['no signature header', delivery(sig(undefined)), 'missing_signature'],
  ['an empty signature header', delivery(sig('  ')), 'missing_signature'],
  ['a signature without the sha256= prefix', delivery(sig(GOOD.slice(7))), 'malformed_signature'],
  ['a signature of another scheme', delivery(sig('v1=abc')), 'malformed_signature'],
  [
    'a signature that is one hex digit short',
    delivery(sig(GOOD.slice(0, -1))),
    'malformed_signature',
  ],
  [
    'a signature with a non-hex digit',
    delivery(sig(`${GOOD.slice(0, -1)}g`)),
    'malformed_signature',
  ],
  [
    'more than 8 signature values',
    delivery(sig(Array(9).fill(GOOD).join(','))),
    'malformed_signature',
  ],
  ['a timestamp older than the tolerance', delivery(at(TIMESTAMP + 301)), 'timestamp_too_old'],
  [
    'a timestamp further ahead than the tolerance',
    delivery(at(TIMESTAMP - 301)),
    'timestamp_in_future',
  ],
  ['the wrong secret', delivery((o) => (o.secret = 'another_secret')), 'signature_mismatch'],
  ['a body changed after signing', delivery(body(`${SPEC_COMPLETED_BODY} `)), 'signature_mismatch'],
  ['a timestamp changed after signing', delivery(ts(String(TIMESTAMP + 1))), 'signature_mismatch'],
  [
    'the body re-serialised from parsed JSON',
    delivery(body(JSON.stringify(JSON.parse(SPEC_COMPLETED_BODY)))),
    'signature_mismatch',
  ],
  ['a signed body that is not JSON', delivery(resigned('not json')), 'invalid_payload'],
  [
    'signed JSON that is not an event',
    delivery(resigned('{"event":"task.started"}')),
    'invalid_payload',
  ],
  [
    'a signed completed event without output',
    delivery(
      resigned(
        '{"event":"task.completed","task_id":"t","status":"completed","model":"m","cost":"0","timestamp":1}',
      ),
    ),
    'invalid_payload',
  ],
  [
    'signed bytes that are not UTF-8',
    delivery((o) => Object.assign(o, signedDelivery({ body: new Uint8Array([0x7b, 0xff, 0x7d]) }))),
    'invalid_payload',
  ],
  ['the parsed JSON object', delivery(body(JSON.parse(SPEC_COMPLETED_BODY))), 'body_was_parsed'],
  ['an empty object (express with no matching parser)', delivery(body({})), 'body_was_parsed'],
  ['undefined (no body at all)', delivery(body(undefined)), 'body_was_parsed'],
  ['null', delivery(body(null)), 'body_was_parsed'],
];

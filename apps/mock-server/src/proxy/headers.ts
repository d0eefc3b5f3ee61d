import type { IncomingHttpHeaders } from 'node:http';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MOCK_FAULT_HEADER,
  MOCK_FAULT_INJECTED_HEADER,
  MOCK_SCENARIO_HEADER,
  REQUEST_ID_HEADER,
} from '@eggapi/contracts';

/**
 * The request headers that cross to the upstream: the API's own, and the mock's steering headers
 * (ignored upstream, obeyed when the upstream is another mock). Nothing hop-by-hop, no cookies.
 */
const FORWARDED_REQUEST_HEADERS = new Set([
  'authorization',
  IDEMPOTENCY_KEY_HEADER,
  'content-type',
  'accept',
  'user-agent',
  REQUEST_ID_HEADER.toLowerCase(),
  MOCK_SCENARIO_HEADER,
  MOCK_FAULT_HEADER,
]);

/** The answer headers passed back to the client; the rest are the upstream's own business. */
const PASSED_BACK_HEADERS = new Set([
  'content-type',
  REQUEST_ID_HEADER.toLowerCase(),
  'retry-after',
  'www-authenticate',
  'allow',
  IDEMPOTENT_REPLAYED_HEADER.toLowerCase(),
  MOCK_FAULT_INJECTED_HEADER.toLowerCase(),
]);
const RATE_LIMIT_HEADER = /^x-ratelimit-[a-z0-9-]+$/;

/** Longest header value that crosses either way. */
const MAX_VALUE_CHARS = 8_192;

function pick(headers: IncomingHttpHeaders, keep: (name: string) => boolean) {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !keep(name)) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (text.length <= MAX_VALUE_CHARS) picked[name] = text;
  }
  return picked;
}

/** The client's headers that go to the upstream (lower-case names). */
export function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return pick(headers, (name) => FORWARDED_REQUEST_HEADERS.has(name));
}

/** The upstream's headers that go back to the client (lower-case names). */
export function passedBackHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return pick(headers, (name) => PASSED_BACK_HEADERS.has(name) || RATE_LIMIT_HEADER.test(name));
}

/**
 * The response headers the OpenAPI document declares: what an EggAPI server sends besides the
 * body. Published under `components.headers` and referenced from each answer.
 */

import { IDEMPOTENT_REPLAYED_HEADER, REQUEST_ID_HEADER } from './schemas/headers.js';

/** `components.headers` of the document. */
export const RESPONSE_HEADER_COMPONENTS = {
  [REQUEST_ID_HEADER]: {
    description:
      "This request's id (the caller's own `X-Request-Id` when it sent a sane one); quote it " +
      'when reporting a problem.',
    required: true,
    schema: { type: 'string', examples: ['req_4f1c2b7a9e03000000000001'] },
  },
  'Retry-After': {
    description: 'How long to wait before retrying: whole seconds, or an HTTP date.',
    required: false,
    schema: { type: 'string', examples: ['1'] },
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme the API expects: `Bearer`.',
    required: true,
    schema: { type: 'string', examples: ['Bearer'] },
  },
  [IDEMPOTENT_REPLAYED_HEADER]: {
    description:
      '`true` when this answer is the stored first answer to the same `Idempotency-Key` and body.',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  },
} as const;

type HeaderName = keyof typeof RESPONSE_HEADER_COMPONENTS;

/** The response headers of an answer with `status` to route `route`, as `$ref`s. */
export function responseHeadersFor(route: string, status: number) {
  const names: HeaderName[] = [REQUEST_ID_HEADER];
  if (status === 401) names.push('WWW-Authenticate');
  if (status === 429 || status === 503) names.push('Retry-After');
  if (route === 'generate' && status === 202) names.push(IDEMPOTENT_REPLAYED_HEADER);
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

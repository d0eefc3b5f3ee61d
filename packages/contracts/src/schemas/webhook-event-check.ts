import { checkJsonSchema, type SchemaProblem } from '../json-schema-check.js';
import type { WebhookEvent } from './webhook.js';
import { WEBHOOK_EVENT_JSON_SCHEMA } from './webhook-event-json-schema.js';

/**
 * Whether a parsed webhook body is an EggAPI webhook event: the first problem (where and what),
 * or `undefined` when it is one. The same verdicts as `WebhookEventSchema.safeParse` (a test
 * holds them together) without zod at run time: what a verifier in a browser or an edge worker
 * loads. Unknown members are allowed, as the schema keeps them.
 */
export function checkWebhookEvent(value: unknown): SchemaProblem | undefined {
  return checkJsonSchema(WEBHOOK_EVENT_JSON_SCHEMA, value);
}

/** `value`, typed as the event it is, when `checkWebhookEvent` finds no problem. */
export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return checkWebhookEvent(value) === undefined;
}

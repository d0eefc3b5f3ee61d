import type { JsonSchema } from '../json-schema-check.js';

/**
 * `WebhookEventSchema` as JSON Schema (what `z.toJSONSchema` makes of it for input, the members
 * `checkJsonSchema` reads): what a verifier checks a webhook body against where a schema
 * library would outweigh it. Generated; `webhook-event-check.test.ts` holds it to the zod schema
 * and says how to regenerate it.
 */
export const WEBHOOK_EVENT_JSON_SCHEMA: JsonSchema = {
  oneOf: [
    {
      type: 'object',
      properties: {
        event: {
          type: 'string',
          const: 'task.completed',
        },
        status: {
          type: 'string',
          const: 'completed',
        },
        task_id: {
          type: 'string',
          minLength: 1,
        },
        model: {
          type: 'string',
        },
        cost: {
          type: 'string',
          pattern: '^\\d+(?:\\.\\d+)?$',
        },
        timestamp: {
          type: 'integer',
          minimum: 0,
          maximum: 9007199254740991,
        },
        output: {
          type: 'object',
          properties: {
            url: {
              type: 'string',
            },
            urls: {
              type: 'array',
              items: {
                type: 'string',
              },
            },
          },
        },
        error: {
          type: 'null',
        },
      },
      required: ['event', 'status', 'task_id', 'model', 'cost', 'timestamp', 'output'],
    },
    {
      type: 'object',
      properties: {
        event: {
          type: 'string',
          const: 'task.failed',
        },
        status: {
          type: 'string',
          const: 'failed',
        },
        task_id: {
          type: 'string',
          minLength: 1,
        },
        model: {
          type: 'string',
        },
        cost: {
          type: 'string',
          pattern: '^\\d+(?:\\.\\d+)?$',
        },
        timestamp: {
          type: 'integer',
          minimum: 0,
          maximum: 9007199254740991,
        },
        error: {
          type: 'string',
        },
        output: {
          anyOf: [
            {
              type: 'object',
              properties: {
                url: {
                  type: 'string',
                },
                urls: {
                  type: 'array',
                  items: {
                    type: 'string',
                  },
                },
              },
            },
            {
              type: 'null',
            },
          ],
        },
      },
      required: ['event', 'status', 'task_id', 'model', 'cost', 'timestamp', 'error'],
    },
  ],
};

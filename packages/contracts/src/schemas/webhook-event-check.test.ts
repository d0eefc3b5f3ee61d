import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { checkWebhookEvent } from './webhook-event-check.js';
import { WEBHOOK_EVENT_JSON_SCHEMA } from './webhook-event-json-schema.js';
import { WebhookEventSchema } from './webhook.js';

/** The members of JSON Schema that `checkJsonSchema` reads, as the generated module keeps them. */
const KEPT = [
  'type',
  'const',
  'minLength',
  'pattern',
  'minimum',
  'maximum',
  'properties',
  'required',
  'items',
  'anyOf',
  'oneOf',
];

function kept(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(kept);
  if (schema === null || typeof schema !== 'object') return schema;
  const object = schema as Record<string, unknown>;
  return Object.fromEntries(
    KEPT.filter((name) => name in object).map((name) => [
      name,
      name === 'properties'
        ? Object.fromEntries(
            Object.entries(object[name] as object).map(([key, value]) => [key, kept(value)]),
          )
        : kept(object[name]),
    ]),
  );
}

const GENERATED = new URL('./webhook-event-json-schema.ts', import.meta.url);

describe('checkWebhookEvent', () => {
  it('reads the JSON Schema that zod makes of WebhookEventSchema (regenerated on request)', () => {
    const expected = kept(z.toJSONSchema(WebhookEventSchema, { io: 'input' }));
    if (process.env.EGGAPI_WRITE_GENERATED === '1') {
      const source = `import type { JsonSchema } from '../json-schema-check.js';\n\n/**\n * \`WebhookEventSchema\` as JSON Schema (what \`z.toJSONSchema\` makes of it for input, the members\n * \`checkJsonSchema\` reads): what a verifier checks a webhook body against where a schema\n * library would outweigh it. Generated; \`webhook-event-check.test.ts\` holds it to the zod schema\n * and says how to regenerate it.\n */\nexport const WEBHOOK_EVENT_JSON_SCHEMA: JsonSchema = ${JSON.stringify(expected, null, 2)};\n`;
      writeFileSync(GENERATED, source);
    }
    expect(
      WEBHOOK_EVENT_JSON_SCHEMA,
      'the webhook schema changed: regenerate with `cd packages/contracts && EGGAPI_WRITE_GENERATED=1 npx vitest run --config ../../vitest.shared.mjs --root . src/schemas/webhook-event-check.test.ts && npx prettier --write src/schemas`',
    ).toEqual(expected);
  });

  const valid = {
    event: 'task.completed',
    status: 'completed',
    task_id: 'gen_abc',
    model: 'nanobanana',
    cost: '0.010000',
    timestamp: 1_735_000_000,
    output: { urls: ['https://file.eggapi.ai/x/0.png'] },
  };

  it('accepts upstream’s events, unknown members included, and names what is wrong', () => {
    expect(checkWebhookEvent(valid)).toBeUndefined();
    expect(checkWebhookEvent({ ...valid, extra: { nested: true } })).toBeUndefined();
    expect(
      checkWebhookEvent({
        ...valid,
        event: 'task.failed',
        status: 'failed',
        error: 'boom',
        output: null,
      }),
    ).toBeUndefined();
    expect(checkWebhookEvent({ ...valid, task_id: '' })).toEqual({
      path: 'task_id',
      message: 'expected at least 1 characters',
    });
    expect(checkWebhookEvent({ ...valid, cost: '$1' })?.path).toBe('cost');
    expect(checkWebhookEvent({ ...valid, timestamp: 1.5 })?.path).toBe('timestamp');
    expect(checkWebhookEvent([valid])).toBeDefined();
    expect(checkWebhookEvent(null)).toBeDefined();
  });

  it('gives the verdicts of WebhookEventSchema on any body', () => {
    const member = <T>(good: fc.Arbitrary<T>) =>
      fc.oneof(good, fc.constant(undefined), fc.anything());
    const event = fc.record(
      {
        event: member(fc.constantFrom('task.completed', 'task.failed', 'task.other')),
        status: member(fc.constantFrom('completed', 'failed', 'pending')),
        task_id: member(fc.string({ maxLength: 3 })),
        model: member(fc.string({ maxLength: 3 })),
        cost: member(fc.constantFrom('0.010000', '1', '1.', '-1', 'x', '0.5')),
        timestamp: member(
          fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
        ),
        error: member(fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null))),
        output: member(
          fc.oneof(
            fc.constant(null),
            fc.record(
              {
                url: member(fc.string({ maxLength: 3 })),
                urls: member(fc.array(member(fc.string({ maxLength: 3 })), { maxLength: 2 })),
              },
              { requiredKeys: [] },
            ),
          ),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(event, fc.anything()), (body) => {
        // A body reaches the check parsed from JSON: nothing that JSON cannot carry.
        const json: unknown = JSON.parse(JSON.stringify(body) ?? 'null');
        expect(checkWebhookEvent(json) === undefined).toBe(
          WebhookEventSchema.safeParse(json).success,
        );
      }),
      { numRuns: 3_000 },
    );
  });
});

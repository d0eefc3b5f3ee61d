import { ErrorEnvelopeSchema } from '@eggapi/contracts';
import { expect, expectEqual, type Check } from '../check.js';

const VALID = { model: 'nanobanana', prompt: 'conformance: a red fox in the snow' };

/** One invalid request per documented rule: [check suffix, field, body]. */
const INVALID: [string, string, Record<string, unknown>][] = [
  ['model-missing', 'model', { prompt: VALID.prompt }],
  ['model-unknown', 'model', { ...VALID, model: 'not-a-model' }],
  ['prompt-missing', 'prompt', { model: 'nanobanana' }],
  ['prompt-empty', 'prompt', { ...VALID, prompt: '' }],
  ['prompt-too-long', 'prompt', { ...VALID, prompt: 'x'.repeat(2001) }],
  ['negative-prompt-too-long', 'negative_prompt', { ...VALID, negative_prompt: 'x'.repeat(1001) }],
  ['aspect-ratio', 'aspect_ratio', { ...VALID, aspect_ratio: '4:3' }],
  ['num-outputs-zero', 'num_outputs', { ...VALID, num_outputs: 0 }],
  ['num-outputs-five', 'num_outputs', { ...VALID, num_outputs: 5 }],
  ['resolution', 'resolution', { ...VALID, resolution: '8k' }],
  [
    'image-urls-too-many',
    'image_urls',
    { ...VALID, image_urls: Array.from({ length: 10 }, (_, i) => `https://example.com/${i}.png`) },
  ],
  ['webhook-url-not-https', 'webhook_url', { ...VALID, webhook_url: 'http://example.com/hook' }],
];

export const validationChecks: Check[] = [
  ...INVALID.map(([suffix, field, body]): Check => ({
    id: `generate.validation.${suffix}`,
    description: `POST /v1/generate with an invalid ${field} answers 400 VALIDATION_ERROR`,
    async run(ctx) {
      const answer = await ctx.http.request('POST', '/v1/generate', { body });
      expectEqual(answer.status, 400, 'status');
      const envelope = ErrorEnvelopeSchema.safeParse(answer.json);
      expect(envelope.success, `not an error envelope: ${answer.text.slice(0, 200)}`);
      expectEqual(envelope.data.error.code, 'VALIDATION_ERROR', 'error code');
    },
  })),
  {
    id: 'tasks.list.per-page-limit',
    description: 'GET /v1/tasks accepts per_page=100 and answers 400 VALIDATION_ERROR above it',
    async run(ctx) {
      expectEqual(
        (await ctx.http.request('GET', '/v1/tasks?per_page=100')).status,
        200,
        'per_page=100',
      );
      const over = await ctx.http.request('GET', '/v1/tasks?per_page=101');
      expectEqual(over.status, 400, 'per_page=101 status');
      const envelope = ErrorEnvelopeSchema.safeParse(over.json);
      expect(envelope.success, `not an error envelope: ${over.text.slice(0, 200)}`);
      expectEqual(envelope.data.error.code, 'VALIDATION_ERROR', 'per_page=101 error code');
    },
  },
];

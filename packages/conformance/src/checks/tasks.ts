import { ErrorEnvelopeSchema, TaskEnvelopeSchema, TimestampSchema } from '@eggapi/contracts';
import { expect, expectEqual, type Check } from '../check.js';

export const PROMPT = 'conformance: a red fox in the snow';

export const taskChecks: Check[] = [
  {
    id: 'generate.accepted',
    description: 'POST /v1/generate answers 202 with a pending task in the success envelope',
    async run(ctx) {
      const answer = await ctx.http.request('POST', '/v1/generate', {
        body: { model: 'nanobanana', prompt: PROMPT, aspect_ratio: '16:9', num_outputs: 1 },
      });
      expectEqual(answer.status, 202, 'status');
      const envelope = TaskEnvelopeSchema.safeParse(answer.json);
      expect(envelope.success, `not a task envelope: ${answer.text.slice(0, 300)}`);
      expectEqual(envelope.data.error ?? null, null, 'envelope error');
      const task = envelope.data.data;
      expectEqual(task.status, 'pending', 'status of a new task');
      expectEqual(task.model, 'nanobanana', 'model');
      expectEqual(task.type, 'image_generate', 'type');
      expectEqual(task.cost, '$0.00', 'cost of a pending task');
      expect(
        TimestampSchema.safeParse(task.created_at).success,
        `created_at is not RFC 3339: ${task.created_at}`,
      );
    },
  },
  {
    id: 'generate.image-edit',
    description: 'a task with image_urls is typed image_edit, without them image_generate',
    async run(ctx) {
      const edit = await ctx.client.generate({
        model: 'nanobanana',
        prompt: PROMPT,
        image_urls: ['https://example.com/source.png'],
      });
      expectEqual(edit.type, 'image_edit', 'type with image_urls');
      const generate = await ctx.client.generate({ model: 'nanobanana', prompt: PROMPT });
      expectEqual(generate.type, 'image_generate', 'type without image_urls');
    },
  },
  {
    id: 'tasks.get.round-trip',
    description: 'GET /v1/tasks/:id answers the created task (same id, model, type, created_at)',
    async run(ctx) {
      const created = await ctx.client.generate({ model: 'nanobanana', prompt: PROMPT });
      const read = await ctx.client.tasks.get(created.id);
      expectEqual(
        [read.id, read.model, read.type, read.created_at],
        [created.id, created.model, created.type, created.created_at],
        'task read back',
      );
    },
  },
  {
    id: 'tasks.get.not-found',
    description: 'GET /v1/tasks/:id of an unknown id answers 404 NOT_FOUND',
    async run(ctx) {
      const answer = await ctx.http.request(
        'GET',
        `/v1/tasks/gen_conformance_missing_${Date.now()}`,
      );
      expectEqual(answer.status, 404, 'status');
      const envelope = ErrorEnvelopeSchema.safeParse(answer.json);
      expect(envelope.success, `not an error envelope: ${answer.text.slice(0, 200)}`);
      expectEqual(envelope.data.error.code, 'NOT_FOUND', 'error code');
    },
  },
];

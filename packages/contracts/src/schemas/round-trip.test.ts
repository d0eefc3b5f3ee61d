import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  ErrorEnvelopeSchema,
  GenerateRequestSchema,
  TaskEnvelopeSchema,
  TaskSchema,
  UsageRecordSchema,
  WebhookEventSchema,
  type GenerateRequest,
  type GenerateRequestInput,
  type Task,
  type TaskStatus,
  type UsageRecord,
  type WebhookEvent,
} from '../index.js';
import {
  generateRequestFixture,
  taskCompletedEventFixture,
  taskFailedEventFixture,
  taskFixture,
} from '../testing/index.js';

describe('round trips through JSON', () => {
  it.each(['pending', 'processing', 'completed', 'failed'] as const)(
    'a %s task survives serialisation unchanged',
    (status) => {
      const task: Task = taskFixture({ status });
      expect(TaskSchema.parse(JSON.parse(JSON.stringify(task)))).toEqual(task);
    },
  );

  it('a generate request parses to itself once defaults are present', () => {
    const body: GenerateRequest = GenerateRequestSchema.parse(generateRequestFixture());
    expect(GenerateRequestSchema.parse(JSON.parse(JSON.stringify(body)))).toEqual(body);
  });

  it('both webhook events keep their discriminant and narrow', () => {
    for (const event of [taskCompletedEventFixture(), taskFailedEventFixture()]) {
      const parsed: WebhookEvent = WebhookEventSchema.parse(JSON.parse(JSON.stringify(event)));
      expect(parsed).toEqual(event);
      if (parsed.event === 'task.failed') expect(parsed.error).toMatch(/failed/);
      else expect(parsed.output.urls).toHaveLength(1);
    }
  });

  it('a usage record round-trips', () => {
    const record: UsageRecord = {
      id: 'usage_1',
      task_id: 'gen_1',
      model: 'nanobanana',
      type: 'image_generate',
      quantity: 2,
      cost: '$0.0200',
      created_at: '2026-05-08T10:30:10Z',
    };
    expect(UsageRecordSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it('an error envelope round-trips with field details', () => {
    const envelope = {
      data: null,
      error: {
        code: 'VALIDATION_ERROR',
        message: 'prompt must not be empty',
        details: [{ path: 'prompt', message: 'prompt must not be empty' }],
      },
    };
    expect(ErrorEnvelopeSchema.parse(envelope)).toEqual(envelope);
  });

  it('a success envelope requires data', () => {
    expect(TaskEnvelopeSchema.safeParse({ error: null }).success).toBe(false);
  });
});

describe('inferred types', () => {
  it('are the shapes the spec documents', () => {
    expectTypeOf<GenerateRequestInput['aspect_ratio']>().toEqualTypeOf<
      '16:9' | '9:16' | undefined
    >();
    expectTypeOf<GenerateRequest['aspect_ratio']>().toEqualTypeOf<'16:9' | '9:16'>();
    expectTypeOf<GenerateRequest['num_outputs']>().toEqualTypeOf<number>();
    expectTypeOf<Task['status']>().toEqualTypeOf<TaskStatus>();
    expectTypeOf<'pending'>().toExtend<Task['status']>();
    expectTypeOf<z.infer<typeof WebhookEventSchema>['event']>().toEqualTypeOf<
      'task.completed' | 'task.failed'
    >();
    expectTypeOf<
      Extract<WebhookEvent, { event: 'task.failed' }>['error']
    >().toEqualTypeOf<string>();
  });

  it('refuse misuse', () => {
    // @ts-expect-error aspect_ratio is a closed set on requests
    const bad: GenerateRequestInput = { model: 'nanobanana', prompt: 'x', aspect_ratio: '1:1' };
    // @ts-expect-error model is required
    const missing: GenerateRequestInput = { prompt: 'x' };
    expect([bad, missing]).toHaveLength(2);
  });
});

describe('ErrorCodeSchema', () => {
  it('accepts exactly the seven documented codes', async () => {
    const { ErrorCodeSchema, ERROR_CODES } = await import('../index.js');
    expect(ERROR_CODES).toEqual([
      'VALIDATION_ERROR',
      'UNAUTHORIZED',
      'INSUFFICIENT_BALANCE',
      'NOT_FOUND',
      'RATE_LIMITED',
      'INTERNAL_ERROR',
      'UPSTREAM_ERROR',
    ]);
    for (const code of ERROR_CODES) expect(ErrorCodeSchema.parse(code)).toBe(code);
    expect(ErrorCodeSchema.safeParse('SERVICE_UNAVAILABLE').success).toBe(false);
  });
});

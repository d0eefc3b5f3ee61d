import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  GenerateRequestSchema,
  TaskEnvelopeSchema,
  TaskSchema,
  WebhookEventSchema,
} from '../src/index.js';

const SPEC_DIR = fileURLToPath(new URL('../../../docs/spec/', import.meta.url));
const SPEC_FILES = ['eggapi-async-tasks.md', 'eggapi-api-facts.md'];

interface Example {
  file: string;
  index: number;
  json: unknown;
}

/** Every JSON document in the spec pages: ```json blocks and the `-d '…'` bodies of curl lines. */
function specExamples(): Example[] {
  const examples: Example[] = [];
  for (const file of SPEC_FILES) {
    const text = readFileSync(SPEC_DIR + file, 'utf8');
    const blocks = [...text.matchAll(/```(json|bash)\n([\s\S]*?)```/g)];
    for (const [, lang, body = ''] of blocks) {
      const sources =
        lang === 'json' ? [body] : [...body.matchAll(/-d '([\s\S]*?)'/g)].map((m) => m[1] ?? '');
      for (const source of sources) {
        examples.push({ file, index: examples.length, json: JSON.parse(source) });
      }
    }
  }
  return examples;
}

function schemaFor(json: unknown) {
  const value = json as Record<string, unknown>;
  if ('event' in value) return WebhookEventSchema;
  if ('data' in value) return TaskEnvelopeSchema;
  return GenerateRequestSchema;
}

describe('the spec pages', () => {
  const examples = specExamples();

  it('hold the examples this test expects (two requests, two tasks, two webhooks)', () => {
    expect(examples.map((e) => schemaFor(e.json))).toEqual([
      GenerateRequestSchema,
      TaskEnvelopeSchema,
      TaskEnvelopeSchema,
      GenerateRequestSchema,
      WebhookEventSchema,
      WebhookEventSchema,
    ]);
  });

  it.each(examples.map((e) => [`${e.file} #${e.index}`, e.json] as const))(
    'example %s parses with its schema',
    (_name, json) => {
      const result = schemaFor(json).safeParse(json);
      expect(result.error?.issues).toBeUndefined();
      expect(result.success).toBe(true);
    },
  );

  it('keeps the data of a completed task example intact', () => {
    const completed = examples.find(
      (e) => (e.json as { data?: { status?: string } }).data?.status === 'completed',
    );
    const task = TaskEnvelopeSchema.parse(completed?.json).data;
    expect(task.output).toEqual({
      url: 'https://file.eggapi.ai/images/gen_abc123def456/0.png',
      urls: ['https://file.eggapi.ai/images/gen_abc123def456/0.png'],
    });
    expect(task.cost).toBe('$0.0100');
    expect(task.completed_at).toBe('2026-05-08T10:30:10Z');
  });
});

describe('variants the facts page describes', () => {
  it('accepts RFC 3339 times with microseconds and an offset', () => {
    const task = TaskSchema.parse({
      id: 'gen_1',
      status: 'failed',
      model: 'nanobanana',
      type: 'image_generate',
      cost: '$0.00',
      error: 'Content moderation: prompt contains prohibited content',
      created_at: '2025-12-25T21:03:47.879577+08:00',
      started_at: '2025-12-25T21:03:48.1+08:00',
      completed_at: '2025-12-25T13:03:49Z',
    });
    expect(task.created_at).toBe('2025-12-25T21:03:47.879577+08:00');
    expect(task.error).toMatch(/^Content moderation/);
  });

  it('rejects times that are not RFC 3339', () => {
    const base = {
      id: 'gen_1',
      status: 'pending',
      model: 'm',
      type: 'image_generate',
      cost: '$0.00',
    };
    for (const created_at of ['2025-12-25', '25/12/2025 10:00', '2025-12-25T21:03:47']) {
      expect(TaskSchema.safeParse({ ...base, created_at }).success).toBe(false);
    }
  });

  it('accepts a completed webhook with output.url and "error": null', () => {
    const event = WebhookEventSchema.parse({
      event: 'task.completed',
      task_id: 'gen_1',
      status: 'completed',
      model: 'nanobanana',
      output: { url: 'https://file.eggapi.ai/images/gen_1/0.png' },
      error: null,
      cost: '0.010000',
      timestamp: 1778217000,
    });
    expect(event.event === 'task.completed' && event.output.url).toBe(
      'https://file.eggapi.ai/images/gen_1/0.png',
    );
  });

  it('accepts a task with "error": null, no output and unknown members, and keeps them', () => {
    const json = {
      data: {
        id: 'gen_1',
        status: 'pending',
        model: 'nanobanana',
        type: 'image_generate',
        cost: '$0.00',
        error: null,
        output: null,
        created_at: '2026-05-08T10:30:00Z',
        priority: 'high',
      },
      error: null,
      request_id: 'req_1',
    };
    expect(TaskEnvelopeSchema.parse(json)).toEqual(json);
  });

  it('accepts statuses and types a newer server may add', () => {
    const task = TaskSchema.parse({
      id: 'gen_1',
      status: 'queued_for_review',
      model: 'nanobanana-pro',
      type: 'video_generate',
      cost: '$0.00',
      created_at: '2026-05-08T10:30:00Z',
    });
    expect(task.status).toBe('queued_for_review');
  });

  it('rejects a webhook with an unknown event, naming the discriminator', () => {
    const result = WebhookEventSchema.safeParse({ event: 'task.started', task_id: 'gen_1' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['event']);
  });
});

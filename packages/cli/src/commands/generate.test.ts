import { GenerateRequestSchema } from '@eggapi/contracts';
import { describe, expect, it } from 'vitest';
import { generateRequest } from './generate.js';
import { usageTotal } from './usage.js';

describe('generateRequest', () => {
  it('sends only the prompt (and the one model) when no option is given: the server applies its defaults', () => {
    expect(generateRequest('A fox', {})).toEqual({ model: 'nanobanana', prompt: 'A fox' });
  });

  it('maps every option to its request field, and the result is a valid request', () => {
    const request = generateRequest('A fox', {
      aspectRatio: '9:16',
      resolution: '4k',
      numOutputs: 3,
      negativePrompt: '',
      imageUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
      webhookUrl: 'https://example.com/hook',
      wait: true,
      json: true,
    });
    expect(request).toEqual({
      model: 'nanobanana',
      prompt: 'A fox',
      aspect_ratio: '9:16',
      resolution: '4k',
      num_outputs: 3,
      negative_prompt: '',
      image_urls: ['https://example.com/a.png', 'https://example.com/b.png'],
      webhook_url: 'https://example.com/hook',
    });
    expect(GenerateRequestSchema.safeParse(request).success).toBe(true);
  });
});

describe('usageTotal', () => {
  const record = (quantity: number, cost: string) => ({
    id: 'u',
    task_id: 't',
    model: 'nanobanana',
    type: 'image_generate',
    quantity,
    cost,
    created_at: '2026-01-01T00:00:00Z',
  });

  it('sums images and costs exactly (micro-dollars, no float drift)', () => {
    const records = Array.from({ length: 10 }, () => record(1, '$0.0100'));
    records.push(record(3, '$0.0300'), record(0, '$0.00'));
    expect(usageTotal(records)).toEqual({ images: 13, cost: '$0.1300' });
  });

  it('is zero for no records', () => {
    expect(usageTotal([])).toEqual({ images: 0, cost: '$0.00' });
  });
});

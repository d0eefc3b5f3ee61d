import { describe, expect, it } from 'vitest';
import { GenerateRequestSchema } from '../index.js';
import { generateRequestFixture } from '../testing/index.js';

const valid = generateRequestFixture();

function firstIssue(body: unknown) {
  const result = GenerateRequestSchema.safeParse(body);
  expect(result.success).toBe(false);
  const issue = result.error!.issues[0]!;
  return { path: issue.path.join('.'), message: issue.message };
}

describe('GenerateRequestSchema', () => {
  it('applies the documented defaults', () => {
    expect(GenerateRequestSchema.parse({ model: 'nanobanana', prompt: 'a cat' })).toEqual({
      model: 'nanobanana',
      prompt: 'a cat',
      aspect_ratio: '16:9',
      num_outputs: 1,
    });
  });

  it('accepts every optional field at its limits', () => {
    const body = {
      ...valid,
      prompt: 'p'.repeat(2000),
      negative_prompt: 'n'.repeat(1000),
      aspect_ratio: '9:16',
      num_outputs: 4,
      resolution: '4k',
      image_urls: Array.from({ length: 9 }, (_, i) => `https://img.example.com/${i}.png`),
      webhook_url: 'https://example.com/eggapi/webhook',
    };
    expect(GenerateRequestSchema.parse(body)).toEqual(body);
  });

  it.each([
    ['prompt', 1, true],
    ['prompt', 2000, true],
    ['prompt', 0, false],
    ['prompt', 2001, false],
    ['negative_prompt', 0, true],
    ['negative_prompt', 1000, true],
    ['negative_prompt', 1001, false],
  ] as const)('%s of %i characters is accepted: %s', (field, length, ok) => {
    const result = GenerateRequestSchema.safeParse({ ...valid, [field]: 'x'.repeat(length) });
    expect(result.success).toBe(ok);
  });

  it.each([
    [0, false],
    [1, true],
    [4, true],
    [5, false],
    [2.5, false],
  ])('num_outputs %s is accepted: %s', (num_outputs, ok) => {
    expect(GenerateRequestSchema.safeParse({ ...valid, num_outputs }).success).toBe(ok);
  });

  it.each([
    ['model missing', { prompt: 'x' }, 'model', 'model must be one of: nanobanana'],
    ['unknown model', { ...valid, model: 'dall-e' }, 'model', 'model must be one of: nanobanana'],
    [
      'prompt missing',
      { model: 'nanobanana' },
      'prompt',
      'prompt is required and must be a string',
    ],
    [
      'prompt not a string',
      { ...valid, prompt: 42 },
      'prompt',
      'prompt is required and must be a string',
    ],
    ['empty prompt', { ...valid, prompt: '' }, 'prompt', 'prompt must not be empty'],
    [
      'prompt too long',
      { ...valid, prompt: 'x'.repeat(2001) },
      'prompt',
      'prompt must be at most 2000 characters',
    ],
    [
      'negative_prompt too long',
      { ...valid, negative_prompt: 'x'.repeat(1001) },
      'negative_prompt',
      'negative_prompt must be at most 1000 characters',
    ],
    [
      'unknown aspect ratio',
      { ...valid, aspect_ratio: '1:1' },
      'aspect_ratio',
      'aspect_ratio must be one of: 16:9, 9:16',
    ],
    [
      'num_outputs 0',
      { ...valid, num_outputs: 0 },
      'num_outputs',
      'num_outputs must be between 1 and 4',
    ],
    [
      'num_outputs 5',
      { ...valid, num_outputs: 5 },
      'num_outputs',
      'num_outputs must be between 1 and 4',
    ],
    [
      'num_outputs "2"',
      { ...valid, num_outputs: '2' },
      'num_outputs',
      'num_outputs must be an integer',
    ],
    [
      'unknown resolution',
      { ...valid, resolution: '8k' },
      'resolution',
      'resolution must be one of: 1k, 2k, 4k',
    ],
    [
      'ten image urls',
      { ...valid, image_urls: Array.from({ length: 10 }, () => 'https://a.example/x.png') },
      'image_urls',
      'image_urls must hold at most 9 URLs',
    ],
    [
      'an image url that is not a URL',
      { ...valid, image_urls: ['https://a.example/x.png', 'not a url'] },
      'image_urls.1',
      'must be an http(s) URL',
    ],
    [
      'an ftp image url',
      { ...valid, image_urls: ['ftp://a.example/x.png'] },
      'image_urls.0',
      'must be an http(s) URL',
    ],
    [
      'a plain-http webhook to a public host',
      { ...valid, webhook_url: 'http://example.com/hook' },
      'webhook_url',
      'webhook_url must be an https:// URL (http:// is accepted only for localhost, 127.0.0.0/8 and [::1])',
    ],
    ['an unknown field', { ...valid, seed: 7 }, '', 'Unrecognized key: "seed"'],
  ])('rejects %s at "%s"', (_name, body, path, message) => {
    expect(firstIssue(body)).toEqual({ path, message });
  });

  it('reports every invalid field at once', () => {
    const result = GenerateRequestSchema.safeParse({
      model: 'x',
      prompt: '',
      num_outputs: 9,
      webhook_url: 'ftp://x',
    });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'model',
      'num_outputs',
      'prompt',
      'webhook_url',
    ]);
  });

  it('rejects a body that is not an object', () => {
    for (const body of [null, 'prompt', 42, []]) {
      expect(GenerateRequestSchema.safeParse(body).success).toBe(false);
    }
  });
});

import { readFileSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './index.js';

const COMMITTED = new URL('../openapi.json', import.meta.url);

interface Document {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown>; parameters: unknown[] }>
  >;
  webhooks: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
}

const doc = buildOpenApiDocument() as unknown as Document;

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? 'valid' : compileErrors(result)).toBe('valid');
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists all four routes with their methods', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual([
      'GET /v1/tasks',
      'GET /v1/tasks/{id}',
      'GET /v1/usage',
      'POST /v1/generate',
    ]);
  });

  it('documents 202 on create and the page query parameters', () => {
    expect(Object.keys(doc.paths['/v1/generate']!.post!.responses)).toContain('202');
    expect(doc.paths['/v1/tasks']!.get!.parameters).toEqual([
      expect.objectContaining({ name: 'page', in: 'query', required: false }),
      expect.objectContaining({
        name: 'per_page',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ default: 20, maximum: 100 }),
      }),
    ]);
  });

  it('describes both webhook events', () => {
    expect(Object.keys(doc.webhooks)).toEqual(['task.completed', 'task.failed']);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Task', 'ErrorEnvelope', 'TaskCompletedEvent', 'TaskFailedEvent']),
    );
  });

  it('is the committed packages/contracts/openapi.json (run `npm run openapi` when this fails)', () => {
    const committed: unknown = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    expect(committed).toEqual(doc);
  });
});

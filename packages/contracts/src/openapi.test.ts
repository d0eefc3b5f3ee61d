import { readFileSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import {
  buildOpenApiDocument,
  ERROR_CODES,
  EXTENSION_ERROR_CODES,
  HTTP_URL_PATTERN,
  OPENAPI_DOCUMENT,
  TASK_STATUSES,
  TASK_TYPES,
  TaskStatusSchema,
  WEBHOOK_URL_PATTERN,
} from './index.js';

const COMMITTED = new URL('../openapi.json', import.meta.url);

interface Parameter {
  name: string;
  in: string;
  required: boolean;
}
interface Operation {
  operationId: string;
  tags: string[];
  description?: string;
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { headers?: Record<string, { $ref: string }> }>;
  parameters: Parameter[];
  security?: unknown[];
}
type Schema = Record<string, unknown> & { properties: Record<string, Schema>; items: Schema };
interface Document {
  openapi: string;
  info: { license?: { name: string; identifier?: string }; contact?: unknown };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, Schema>; headers: Record<string, { required?: boolean }> };
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

  it('declares the Idempotency-Key request header on POST /v1/generate only, and no Authorization parameter', () => {
    const headers = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods).flatMap((operation) =>
        operation.parameters
          .filter((p) => p.in === 'header')
          .map((p) => `${operation.operationId} ${p.name} ${p.required ? 'required' : 'optional'}`),
      ),
    );
    expect(headers).toEqual(['generate Idempotency-Key optional']);
  });

  const answers = Object.values(doc.paths).flatMap((methods) =>
    Object.values(methods).flatMap((operation) =>
      Object.entries(operation.responses).map(
        ([status, response]) =>
          [
            `${operation.operationId} ${status}`,
            Object.keys(response.headers ?? {}).sort(),
          ] as const,
      ),
    ),
  );

  it('declares X-Request-Id on every answer, WWW-Authenticate on 401, Retry-After on 429 and 503', () => {
    expect(answers).toHaveLength(30);
    for (const [answer, headers] of answers) {
      const status = Number(answer.split(' ')[1]);
      const expected = ['X-Request-Id'];
      if (status === 401) expected.push('WWW-Authenticate');
      if (status === 429 || status === 503) expected.push('Retry-After');
      if (answer === 'generate 202') expected.push('Idempotent-Replayed');
      expect(headers, answer).toEqual(expected.sort());
    }
    expect(doc.components.headers['X-Request-Id']?.required).toBe(true);
  });

  it('requires the webhook timestamp header; the signature only comes with a secret', () => {
    const required = Object.fromEntries(
      Object.entries(doc.webhooks).map(([event, { post }]) => [
        event,
        post.parameters.map((p) => `${p.name} ${p.required ? 'required' : 'optional'}`),
      ]),
    );
    expect(required).toEqual({
      'task.completed': ['X-EggAPI-Timestamp required', 'X-EggAPI-Signature optional'],
      'task.failed': ['X-EggAPI-Timestamp required', 'X-EggAPI-Signature optional'],
    });
  });

  it('names the webhook operations and asks no API key of them', () => {
    expect(Object.values(doc.webhooks).map(({ post }) => post.operationId)).toEqual([
      'taskCompletedWebhook',
      'taskFailedWebhook',
    ]);
    expect(Object.values(doc.webhooks).map(({ post }) => post.security)).toEqual([[], []]);
  });

  it('carries the MIT license of the packages', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { license: string };
    expect(doc.info.license).toEqual({ name: manifest.license, identifier: manifest.license });
  });

  it('is the committed packages/contracts/openapi.json (run `npm run openapi` when this fails)', () => {
    const committed: unknown = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    expect(committed).toEqual(doc);
  });

  it('is OPENAPI_DOCUMENT, the same document as data (run `npm run openapi` when this fails)', () => {
    expect(OPENAPI_DOCUMENT).toEqual(doc);
  });

  describe('states every rule the servers refuse a request by', () => {
    const body = () =>
      doc.paths['/v1/generate']!.post!.requestBody!.content['application/json'].schema.properties;

    it('the URL rules as the very patterns the servers check', () => {
      expect(body().image_urls!.items.pattern).toBe(new RegExp(HTTP_URL_PATTERN).source);
      expect(body().webhook_url!.pattern).toBe(new RegExp(WEBHOOK_URL_PATTERN).source);
    });

    it('num_outputs as bounds, not only in words', () => {
      expect(body().num_outputs).toMatchObject({ type: 'integer', minimum: 1, maximum: 4 });
    });
  });

  it('publishes the documented values of open enums as enum + x-extensible-enum', () => {
    const { Task, ApiError, UsageRecord } = doc.components.schemas;
    const codes = [...ERROR_CODES, ...EXTENSION_ERROR_CODES];
    for (const [field, values] of [
      [Task!.properties.status, TASK_STATUSES],
      [Task!.properties.type, TASK_TYPES],
      [UsageRecord!.properties.type, TASK_TYPES],
      [ApiError!.properties.code, codes],
    ] as const) {
      expect(field).toMatchObject({ type: 'string', enum: values, 'x-extensible-enum': values });
      expect(field).not.toHaveProperty('anyOf');
      expect(field!.description).toMatch(/Newer servers may add/);
    }
    expect(codes).toEqual(expect.arrayContaining(['IDEMPOTENCY_CONFLICT', 'SERVICE_UNAVAILABLE']));
    // Reading stays tolerant: the zod schema behind the published enum takes any string.
    expect(TaskStatusSchema.parse('archived')).toBe('archived');
  });

  it('tags and describes every operation, and names a contact', () => {
    const operations = [
      ...Object.values(doc.paths).flatMap((methods) => Object.values(methods)),
      ...Object.values(doc.webhooks).map(({ post }) => post),
    ];
    const declared = doc.tags.map((tag) => tag.name);
    for (const operation of operations) {
      expect(
        operation.tags.every((tag) => declared.includes(tag)),
        operation.operationId,
      ).toBe(true);
      expect(operation.description, operation.operationId).toMatch(/\w/);
    }
    expect(doc.info.contact).toEqual({ name: 'EggAPI' });
  });
});

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AppRoute } from '@ts-rest/core';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  buildOpenApiDocument,
  contract,
  TaskCompletedEventSchema,
  TaskFailedEventSchema,
  UnixSecondsSchema,
} from './index.js';
import { WEBHOOK_SIGNING_EXAMPLE_SECRET } from './openapi-examples.js';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  example?: unknown;
}
interface MediaType {
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

const doc = buildOpenApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
};

const WEBHOOK_SCHEMAS: Record<string, z.ZodMiniType> = {
  'task.completed': TaskCompletedEventSchema,
  'task.failed': TaskFailedEventSchema,
};

interface Case {
  where: string;
  schema: z.ZodMiniType;
  value: unknown;
}

function examplesOf(where: string, schema: z.ZodMiniType, media: MediaType | undefined): Case[] {
  const examples = Object.entries(media?.examples ?? {});
  if (examples.length === 0) throw new Error(`${where} has no examples`);
  return examples.map(([name, { value }]) => ({ where: `${where} (${name})`, schema, value }));
}

/** The zod schema a parameter's example must satisfy, wrapped to parse the bare value. */
function parameterCase(operation: string, route: AppRoute, parameter: Parameter): Case {
  const where = `${operation} ${parameter.in} ${parameter.name}`;
  if (parameter.in === 'header') {
    const headers = route.headers as Record<string, z.ZodMiniType>;
    return { where, schema: headers[parameter.name.toLowerCase()]!, value: parameter.example };
  }
  const object = (parameter.in === 'path' ? route.pathParams : route.query) as z.ZodMiniType;
  return { where, schema: object, value: { [parameter.name]: parameter.example } };
}

/** Every example of the API's operations, with the zod schema it must satisfy. */
function operationCases(): Case[] {
  return Object.values(doc.paths).flatMap((methods) =>
    Object.values(methods).flatMap((operation) => {
      const name = operation.operationId;
      const route = contract[name as keyof typeof contract] as AppRoute;
      const body = 'body' in route ? (route.body as z.ZodMiniType) : undefined;
      return [
        ...operation.parameters.map((p) => parameterCase(name, route, p)),
        ...(body
          ? examplesOf(`${name} body`, body, operation.requestBody?.content['application/json'])
          : []),
        ...Object.entries(operation.responses).flatMap(([status, response]) =>
          examplesOf(
            `${name} ${status}`,
            route.responses[Number(status)] as z.ZodMiniType,
            response.content?.['application/json'],
          ),
        ),
      ];
    }),
  );
}

function webhookCases(): Case[] {
  return Object.entries(doc.webhooks).flatMap(([event, { post }]) =>
    examplesOf(
      `webhook ${event}`,
      WEBHOOK_SCHEMAS[event]!,
      post.requestBody?.content['application/json'],
    ),
  );
}

describe('the examples of the OpenAPI document', () => {
  const cases = [...operationCases(), ...webhookCases()];

  it('cover every parameter, request body, answer and webhook', () => {
    // 5 query/path parameters + 1 header, 2 request bodies, 30 answers (31 examples), 2 webhooks.
    expect(cases.length).toBe(6 + 2 + 31 + 2);
    const parameters = Object.values(doc.paths).flatMap((m) =>
      Object.values(m).flatMap((o) => o.parameters),
    );
    expect(parameters.filter((p) => p.example === undefined)).toEqual([]);
  });

  it.each(cases.map((c) => [c.where, c] as const))('%s satisfies its zod schema', (_where, c) => {
    const result = c.schema.safeParse(c.value);
    expect(result.error?.issues).toBeUndefined();
  });

  it.each(Object.keys(doc.webhooks))(
    'the %s header examples are the payload’s timestamp and its real signature',
    (event) => {
      const { post } = doc.webhooks[event]!;
      const header = (name: string) => post.parameters.find((p) => p.name === name)?.example;
      const [example] = Object.values(post.requestBody!.content['application/json']!.examples!);
      const payload = example!.value as { timestamp: number };
      const timestamp = header('X-EggAPI-Timestamp') as string;
      expect(UnixSecondsSchema.parse(Number(timestamp))).toBe(payload.timestamp);
      const hex = createHmac('sha256', WEBHOOK_SIGNING_EXAMPLE_SECRET)
        .update(`${timestamp}.${JSON.stringify(payload)}`)
        .digest('hex');
      expect(header('X-EggAPI-Signature')).toBe(`sha256=${hex}`);
    },
  );

  it('refuses an example that breaks its schema (the check can fail)', () => {
    const [created] = operationCases().filter((c) => c.where.startsWith('generate 202'));
    const broken = structuredClone(created!.value) as { data: { cost: unknown } };
    broken.data.cost = 0.01;
    expect(created!.schema.safeParse(broken).success).toBe(false);
  });
});

describe('the spec pages', () => {
  const SPEC_DIR = new URL('../../../docs/spec/', import.meta.url);
  const specJson = ['eggapi-async-tasks.md', 'eggapi-api-facts.md'].flatMap((file) => {
    const text = readFileSync(new URL(file, SPEC_DIR), 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const curlBodies = [...text.matchAll(/-d '([\s\S]*?)'/g)].map((m) => m[1]!);
    return [...blocks, ...curlBodies].map((json) => JSON.parse(json) as unknown);
  });
  const documentExamples = JSON.stringify(buildOpenApiDocument());

  it('hold six JSON examples', () => {
    expect(specJson).toHaveLength(6);
  });

  it.each(specJson.map((json, i) => [i, json] as const))(
    'JSON example #%i is one of the document’s examples, unchanged',
    (_i, json) => {
      expect(documentExamples).toContain(`"value":${JSON.stringify(json)}`);
    },
  );
});

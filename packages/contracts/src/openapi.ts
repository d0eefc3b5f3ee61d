import type { AppRoute, AppRouter } from '@ts-rest/core';
import * as z from 'zod/mini';
import { contract, type RouteName } from './contract.js';
import { UPSTREAM_BASE_URL } from './service.js';
import { ApiErrorSchema } from './schemas/error.js';
import { EXTENSIBLE_ENUM_KEYWORD } from './schemas/extensible-enum.js';
import { ErrorEnvelopeSchema } from './schemas/envelope.js';
import {
  ERROR_EXAMPLES,
  GENERATE_REQUEST_EXAMPLES,
  PARAMETER_EXAMPLES,
  SUCCESS_EXAMPLES,
  WEBHOOK_EXAMPLES,
  WEBHOOK_HEADER_EXAMPLES,
  type OpenApiExample,
} from './openapi-examples.js';
import { RESPONSE_HEADER_COMPONENTS, responseHeadersFor } from './openapi-headers.js';
import { displayHeaderName } from './schemas/headers.js';
import { PaginationSchema } from './schemas/pagination.js';
import { TaskSchema } from './schemas/task.js';
import { UsageRecordSchema } from './schemas/usage.js';
import { TaskCompletedEventSchema, TaskFailedEventSchema } from './schemas/webhook.js';
import {
  WEBHOOK_DELIVERY_POLICY,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './schemas/webhook-signing.js';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/** Response schemas published under `components.schemas` and referenced by name. */
const COMPONENTS = {
  Task: TaskSchema,
  UsageRecord: UsageRecordSchema,
  Pagination: PaginationSchema,
  ApiError: ApiErrorSchema,
  ErrorEnvelope: ErrorEnvelopeSchema,
  TaskCompletedEvent: TaskCompletedEventSchema,
  TaskFailedEvent: TaskFailedEventSchema,
} satisfies Record<string, z.ZodMiniType>;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  202: 'Accepted: the task was created at `pending`.',
  400: 'VALIDATION_ERROR: bad parameters.',
  401: 'UNAUTHORIZED: API key missing or invalid.',
  403: 'INSUFFICIENT_BALANCE: balance too low.',
  404: 'NOT_FOUND: no such resource.',
  409: 'IDEMPOTENCY_CONFLICT: the Idempotency-Key was used with a different body (servers that honour it).',
  429: 'RATE_LIMITED: too many requests (100 requests/second per IP; per key by plan).',
  500: 'INTERNAL_ERROR: server error.',
  502: 'UPSTREAM_ERROR: provider error.',
  503: 'SERVICE_UNAVAILABLE: service unavailable (code added by this toolkit; upstream sends none).',
};

const COMPONENT_IDS = new Map<unknown, string>(
  Object.entries(COMPONENTS).map(([id, schema]) => [schema, id]),
);

/**
 * An open enum (`anyOf [enum, string]`, which generators read as plain `string`) published as its
 * `enum` with the `x-extensible-enum` marker and a description of forward compatibility, so
 * generated types keep the documented values. Our own readers stay tolerant: they use the zod
 * schema, not this document.
 */
function publishExtensibleEnum(target: JsonSchema): void {
  const values = target[EXTENSIBLE_ENUM_KEYWORD];
  if (!Array.isArray(values)) return;
  delete target.anyOf;
  // The marker keeps its list of known values, as Zalando's guidelines define it.
  Object.assign(target, { type: 'string', enum: values });
}

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of `schema`; nested components become `$ref`s. */
function toSchema(schema: z.ZodMiniType, io: Io): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (ctx) => {
      publishExtensibleEnum(ctx.jsonSchema);
      const id = COMPONENT_IDS.get(ctx.zodSchema);
      if (id === undefined || (ctx.zodSchema as unknown) === schema) return;
      const target = ctx.jsonSchema as JsonSchema;
      for (const key of Object.keys(target)) delete target[key];
      target.$ref = `#/components/schemas/${id}`;
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** A `$ref` when `schema` is a published component, else its inline JSON Schema. */
function refOrSchema(schema: z.ZodMiniType, io: Io): JsonSchema {
  const id = COMPONENT_IDS.get(schema);
  return id === undefined ? toSchema(schema, io) : { $ref: `#/components/schemas/${id}` };
}

/** The examples of the request body of each route that has one. */
const REQUEST_EXAMPLES: Record<string, Record<string, OpenApiExample>> = {
  generate: GENERATE_REQUEST_EXAMPLES,
};

/** The spec's example of a parameter, as `example`, when there is one. */
function exampleOf(name: string) {
  return name in PARAMETER_EXAMPLES ? { example: PARAMETER_EXAMPLES[name] } : {};
}

function parametersOf(schema: unknown, location: 'path' | 'query') {
  if (!(schema instanceof z.ZodMiniType)) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
      ...exampleOf(name),
    };
  });
}

/**
 * Header parameters from the route's `headers` (lower-case names, as ts-rest keys them), except
 * `authorization`: that one is the `bearerAuth` security scheme.
 */
function headerParametersOf(headers: unknown) {
  if (headers === null || typeof headers !== 'object') return [];
  return Object.entries(headers as Record<string, unknown>)
    .filter(([name]) => name !== 'authorization')
    .filter((entry): entry is [string, z.ZodMiniType] => entry[1] instanceof z.ZodMiniType)
    .map(([name, schema]) => {
      const { description, ...rest } = toSchema(schema, 'input');
      return {
        name: displayHeaderName(name),
        in: 'header',
        required: !schema.safeParse(undefined).success,
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
        ...exampleOf(name),
      };
    });
}

/** The named examples of an answer: the route's own, or the error example of the status. */
function responseExamples(name: string, status: number): Record<string, OpenApiExample> {
  const own = SUCCESS_EXAMPLES[name]?.[status];
  if (own) return own;
  const error = ERROR_EXAMPLES[status];
  if (error) return { [(error.value as { error: { code: string } }).error.code]: error };
  throw new Error(`no OpenAPI example for ${name} ${status}: add one to openapi-examples.ts`);
}

/** The tag of each operation: what a generated SDK groups it under. */
const OPERATION_TAGS: Record<RouteName, string> = {
  generate: 'Tasks',
  getTask: 'Tasks',
  listTasks: 'Tasks',
  listUsage: 'Usage',
};

const TAGS = [
  { name: 'Tasks', description: 'Create image tasks and follow them to the end.' },
  { name: 'Usage', description: 'What was billed, one record per task.' },
  { name: 'Webhooks', description: 'What EggAPI POSTs to a task `webhook_url`.' },
];

function operationFor(name: RouteName, route: AppRoute) {
  const responses: Record<string, unknown> = {};
  const statuses = Object.keys(route.responses)
    .map(Number)
    .sort((a, b) => a - b);
  for (const status of statuses) {
    const schema = route.responses[status];
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? String(status),
      headers: responseHeadersFor(name, status),
      ...(schema instanceof z.ZodMiniType
        ? {
            content: {
              'application/json': {
                schema: refOrSchema(schema, 'output'),
                examples: responseExamples(name, status),
              },
            },
          }
        : {}),
    };
  }
  const body = 'body' in route ? route.body : undefined;
  return {
    operationId: name,
    tags: [OPERATION_TAGS[name]],
    ...(route.summary ? { summary: route.summary } : {}),
    ...(route.description ? { description: route.description } : {}),
    security: [{ bearerAuth: [] }],
    parameters: [
      ...parametersOf(route.pathParams, 'path'),
      ...parametersOf(route.query, 'query'),
      ...headerParametersOf(route.headers),
    ],
    ...(body instanceof z.ZodMiniType
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: toSchema(body, 'input'),
                ...(REQUEST_EXAMPLES[name] ? { examples: REQUEST_EXAMPLES[name] } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

function isRoute(value: AppRoute | AppRouter): value is AppRoute {
  return typeof (value as AppRoute).method === 'string';
}

/** The `operationId` of a webhook: `task.completed` → `taskCompletedWebhook`. */
function webhookOperationId(event: string): string {
  return `${event.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())}Webhook`;
}

function webhookOperation(event: string, component: keyof typeof COMPONENTS) {
  const examples = WEBHOOK_HEADER_EXAMPLES[event];
  return {
    post: {
      operationId: webhookOperationId(event),
      tags: ['Webhooks'],
      summary: `${event} delivery`,
      description:
        'POSTed to the task `webhook_url` after the task ends. ' +
        `${WEBHOOK_DELIVERY_POLICY.timeoutMs / 1000} s timeout per attempt, up to ` +
        `${WEBHOOK_DELIVERY_POLICY.maxAttempts} attempts with exponential backoff. Verify the ` +
        'signature over the raw body before trusting the payload.',
      // Deliveries carry no API key: they are authenticated by their HMAC signature.
      security: [],
      parameters: [
        {
          name: WEBHOOK_TIMESTAMP_HEADER,
          in: 'header',
          required: true,
          description: 'Unix timestamp (seconds) used in the signature payload.',
          schema: { type: 'string', pattern: '^\\d+$' },
          example: examples?.timestamp,
        },
        {
          name: WEBHOOK_SIGNATURE_HEADER,
          in: 'header',
          required: false,
          description:
            '`sha256=` + hex HMAC-SHA256 of `{timestamp}.{raw_body}` with the webhook secret; ' +
            'sent only once the account has a webhook secret.',
          schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
          example: examples?.signature,
        },
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { $ref: `#/components/schemas/${component}` },
            examples: WEBHOOK_EXAMPLES[event],
          },
        },
      },
      responses: { '200': { description: 'Any 2xx acknowledges the delivery.' } },
    },
  };
}

/**
 * Builds the OpenAPI 3.1 document of the EggAPI contract from the ts-rest router and the zod
 * schemas (never written by hand). Deterministic: the same contract gives the same document.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(contract as AppRouter)) {
    if (!isRoute(route)) continue;
    const path = route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationFor(name as RouteName, route);
  }
  const schemas = Object.fromEntries(
    Object.entries(COMPONENTS).map(([id, schema]) => [id, toSchema(schema, 'output')]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'EggAPI',
      version: '1.0.0',
      license: { name: 'MIT', identifier: 'MIT' },
      contact: { name: 'EggAPI' },
      description:
        'Asynchronous image generation: create a task, poll it or receive a signed webhook. ' +
        'Every answer uses the envelope `{"data": …, "error": null}` or `{"data": null, "error": {"code", "message"}}`.',
    },
    servers: [{ url: UPSTREAM_BASE_URL }],
    security: [{ bearerAuth: [] }],
    tags: TAGS,
    paths,
    webhooks: {
      'task.completed': webhookOperation('task.completed', 'TaskCompletedEvent'),
      'task.failed': webhookOperation('task.failed', 'TaskFailedEvent'),
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key' } },
      schemas,
      headers: RESPONSE_HEADER_COMPONENTS,
    },
  };
}

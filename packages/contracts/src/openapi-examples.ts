/**
 * The examples of the OpenAPI document, copied from the spec pages (docs/spec/*.md): the request
 * bodies of its curl calls, the task answers and the webhook payloads as printed there. Error
 * answers follow the facts page's error table (its code and its "when" text as the message); list
 * answers hold the page's own task and usage figures. A test validates every example against the
 * zod schemas and checks that every JSON example of the spec pages is one of them.
 */

/** A named example, as OpenAPI's `examples` map holds it. */
export interface OpenApiExample {
  summary: string;
  value: unknown;
}

const TASK_ID = 'gen_abc123def456';
const IMAGE_URL = `https://file.eggapi.ai/images/${TASK_ID}/0.png`;

/** async-tasks page, "Create a Task" response. */
const PENDING_TASK = {
  id: TASK_ID,
  status: 'pending',
  model: 'nanobanana',
  type: 'image_generate',
  cost: '$0.00',
  created_at: '2026-05-08T10:30:00Z',
};

/** async-tasks page, "Poll a Task": the completed image task. */
const COMPLETED_TASK = {
  id: TASK_ID,
  status: 'completed',
  model: 'nanobanana',
  type: 'image_generate',
  output: { url: IMAGE_URL, urls: [IMAGE_URL] },
  cost: '$0.0100',
  created_at: '2026-05-08T10:30:00Z',
  started_at: '2026-05-08T10:30:01Z',
  completed_at: '2026-05-08T10:30:10Z',
};

/** facts page, "Responses": a failed task keeps its error, costs `$0.00`, has its times. */
const FAILED_TASK = {
  id: 'gen_9f8e7d6c5b4a',
  status: 'failed',
  model: 'nanobanana',
  type: 'image_generate',
  error: 'Content moderation: prompt contains prohibited content',
  cost: '$0.00',
  created_at: '2025-12-25T21:03:47.879577+08:00',
  started_at: '2025-12-25T21:03:48.120391+08:00',
  completed_at: '2025-12-25T21:03:49.004512+08:00',
};

const success = (data: unknown) => ({ data, error: null });
const failure = (code: string, message: string) => ({ data: null, error: { code, message } });

/** Request bodies of `POST /v1/generate`: the two the async-tasks page sends. */
export const GENERATE_REQUEST_EXAMPLES: Record<string, OpenApiExample> = {
  create: {
    summary: 'Create a task (async-tasks page, "Create a Task")',
    value: {
      model: 'nanobanana',
      prompt: 'A dashboard hero image with glass UI panels',
      aspect_ratio: '16:9',
      num_outputs: 1,
    },
  },
  withWebhook: {
    summary: 'Create a task with a webhook (async-tasks page, "Webhooks")',
    value: {
      model: 'nanobanana',
      prompt: 'A studio portrait with soft lighting',
      webhook_url: 'https://example.com/eggapi/webhook',
    },
  },
};

/** Examples of a path, query or header parameter, by its name. */
export const PARAMETER_EXAMPLES: Record<string, unknown> = {
  id: TASK_ID,
  page: 1,
  per_page: 20,
  'idempotency-key': '5f0c7b8e-3d2a-4c1b-9e6f-0a1b2c3d4e5f',
};

/** Success answers by route name and status. */
export const SUCCESS_EXAMPLES: Record<string, Record<number, Record<string, OpenApiExample>>> = {
  generate: {
    202: {
      pending: {
        summary: 'The created task (async-tasks page, "Create a Task")',
        value: success(PENDING_TASK),
      },
    },
  },
  getTask: {
    200: {
      completed: {
        summary: 'A completed image task (async-tasks page, "Poll a Task")',
        value: success(COMPLETED_TASK),
      },
      failed: {
        summary: 'A failed task (facts page, "Responses")',
        value: success(FAILED_TASK),
      },
    },
  },
  listTasks: {
    200: {
      firstPage: {
        summary: 'The first page, newest first (`?page=1&per_page=20`)',
        value: success({
          items: [COMPLETED_TASK, FAILED_TASK],
          pagination: { page: 1, per_page: 20, total: 2, total_pages: 1 },
        }),
      },
    },
  },
  listUsage: {
    200: {
      firstPage: {
        summary: 'One record per billed task: $0.0100 per output image',
        value: success({
          items: [
            {
              id: 'usage_abc123def456',
              task_id: TASK_ID,
              model: 'nanobanana',
              type: 'image_generate',
              quantity: 1,
              cost: '$0.0100',
              created_at: '2026-05-08T10:30:10Z',
            },
          ],
          pagination: { page: 1, per_page: 20, total: 1, total_pages: 1 },
        }),
      },
    },
  },
};

/** Error answers by status: the facts page's table (503 has no upstream code; ours is named). */
export const ERROR_EXAMPLES: Record<number, OpenApiExample> = {
  400: {
    summary: 'Bad parameters',
    value: failure('VALIDATION_ERROR', 'prompt must not be empty'),
  },
  401: {
    summary: 'Key missing or invalid',
    value: failure('UNAUTHORIZED', 'Missing or invalid API key'),
  },
  403: {
    summary: 'Balance too low',
    value: failure('INSUFFICIENT_BALANCE', 'Insufficient balance'),
  },
  404: { summary: 'No such resource', value: failure('NOT_FOUND', 'Task not found') },
  409: {
    summary: 'Idempotency-Key reused with another body',
    value: failure(
      'IDEMPOTENCY_CONFLICT',
      'This Idempotency-Key was used with a different request body',
    ),
  },
  429: { summary: 'Too many requests', value: failure('RATE_LIMITED', 'Too many requests') },
  500: { summary: 'Server error', value: failure('INTERNAL_ERROR', 'Internal server error') },
  502: { summary: 'Provider error', value: failure('UPSTREAM_ERROR', 'Upstream provider error') },
  503: {
    summary: 'Service unavailable',
    value: failure('SERVICE_UNAVAILABLE', 'Service unavailable'),
  },
};

/** The webhook payloads of the async-tasks page, by event. */
export const WEBHOOK_EXAMPLES: Record<string, Record<string, OpenApiExample>> = {
  'task.completed': {
    completed: {
      summary: 'Completed payload (async-tasks page, "Webhooks")',
      value: {
        event: 'task.completed',
        task_id: TASK_ID,
        status: 'completed',
        model: 'nanobanana',
        output: { urls: [IMAGE_URL] },
        cost: '0.010000',
        timestamp: 1778217000,
      },
    },
  },
  'task.failed': {
    failed: {
      summary: 'Failed payload (async-tasks page, "Webhooks")',
      value: {
        event: 'task.failed',
        task_id: TASK_ID,
        status: 'failed',
        model: 'nanobanana',
        error: 'generation failed: upstream provider unavailable',
        cost: '0.000000',
        timestamp: 1778217000,
      },
    },
  },
};

/**
 * The webhook header examples by event: the payload's own timestamp, and the signature of the
 * compact JSON of that event's example with the secret `whsec_example` (a test recomputes both).
 */
export const WEBHOOK_SIGNING_EXAMPLE_SECRET = 'whsec_example';
export const WEBHOOK_HEADER_EXAMPLES: Record<string, { timestamp: string; signature: string }> = {
  'task.completed': {
    timestamp: '1778217000',
    signature: 'sha256=a39292b6296f450f24fcb71183bcdef29b07c43d68c9103bccaf0b943117536d',
  },
  'task.failed': {
    timestamp: '1778217000',
    signature: 'sha256=f89cdd1ed9110fce1d0354eb9e5342b8e2d46ec003f3ee57c6db1f3242bb6f24',
  },
};

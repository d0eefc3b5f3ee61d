import {
  IDEMPOTENCY_KEY_HEADER,
  UPSTREAM_BASE_URL,
  type GenerateRequestInput,
  type Task,
} from '@eggapi/contracts';
import { APIPromise } from './api-promise.js';
import { EggAPIError } from './errors.js';
import { assertDuration } from './internal/abort.js';
import { readEnv } from './internal/env.js';
import { assertRetries, Transport } from './internal/transport.js';
import { randomUUID } from './internal/uuid.js';
import type { ClientOptions, GenerateOptions } from './options.js';
import { Tasks } from './resources/tasks.js';
import { Usage } from './resources/usage.js';
import { DEFAULT_MAX_RETRIES } from './retry.js';
import { rejectOnThrow } from './internal/reject.js';
import { ROUTES } from './internal/routes.js';
import { waitForTask, waitSchedule, type WaitOptions } from './wait.js';

/** The base URL of the real service. */
export const DEFAULT_BASE_URL = UPSTREAM_BASE_URL;
/** Per-attempt request time limit: 60 s. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Largest answer body read by default: 10 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/**
 * Options of `run()`: the wait's, plus the `generate()` call's `idempotencyKey`. `signal`,
 * `timeout` (per request), `maxRetries` and `headers` apply to the `generate()` call too;
 * `waitTimeout` counts from the task's creation.
 */
export interface RunOptions extends WaitOptions {
  /** See `GenerateOptions.idempotencyKey`. */
  idempotencyKey?: string;
}

/**
 * The EggAPI client.
 *
 * ```ts
 * const client = new EggAPI(); // reads EGGAPI_API_KEY
 * const task = await client.run({ model: 'nanobanana', prompt: 'A red fox' });
 * ```
 *
 * Works wherever `fetch` and `AbortController` exist (Node 20+, browsers, Deno, Bun, edge
 * workers). Every method takes per-call options (`signal`, `timeout`, `maxRetries`, `headers`).
 */
export class EggAPI {
  /** The base URL calls go to, without a trailing slash. */
  readonly baseURL: string;
  /** Per-attempt time limit in milliseconds. */
  readonly timeout: number;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Largest answer body read, in bytes. */
  readonly maxResponseBytes: number;
  /** Read, list and wait for tasks. */
  readonly tasks: Tasks;
  /** List usage records. */
  readonly usage: Usage;
  readonly #transport: Transport;

  /**
   * @throws EggAPIError when no API key is given and `EGGAPI_API_KEY` is not set
   * @throws RangeError for a `timeout` ≤ 0 or ≥ 2³¹ ms, a negative `maxRetries`, a
   *   `maxResponseBytes` that is not a whole number > 0, or an invalid `baseURL`
   * @throws TypeError for a `defaultHeaders` name or value that fetch would refuse
   */
  constructor(options: ClientOptions = {}) {
    const apiKey = options.apiKey ?? readEnv('EGGAPI_API_KEY');
    if (apiKey === undefined || apiKey.trim() === '') {
      throw new EggAPIError(
        'Missing API key: pass `new EggAPI({ apiKey })` or set the EGGAPI_API_KEY environment variable.',
      );
    }
    const baseURL = (options.baseURL ?? readEnv('EGGAPI_BASE_URL') ?? DEFAULT_BASE_URL).replace(
      /\/+$/,
      '',
    );
    assertURL(baseURL);
    this.baseURL = baseURL;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    assertDuration('timeout', this.timeout);
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    assertRetries(this.maxRetries);
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    assertByteLimit(this.maxResponseBytes);
    if (options.fetch === undefined && typeof globalThis.fetch !== 'function') {
      throw new EggAPIError('No global fetch in this runtime: pass `new EggAPI({ fetch })`.');
    }
    this.#transport = new Transport({
      baseURL,
      apiKey,
      timeout: this.timeout,
      maxRetries: this.maxRetries,
      maxResponseBytes: this.maxResponseBytes,
      fetch: options.fetch,
      defaultHeaders: { ...options.defaultHeaders },
    });
    this.tasks = new Tasks(this.#transport);
    this.usage = new Usage(this.#transport);
  }

  /**
   * `POST /v1/generate`: creates a task and resolves with it, `pending`, as soon as the server
   * accepts it (202). Sends one `Idempotency-Key` (random, or `options.idempotencyKey`), the same
   * on each retry. Retried only when the server cannot have created the task: a 429, or a
   * connection that failed before the request was sent. Never after a 5xx, a timeout or a reset
   * connection, so a retry cannot create a second task. Never follows a redirect (a 3xx is an
   * `APIError`). `.withResponse()` gives the `Response` too.
   * @throws ValidationError (400, with `details`), InsufficientBalanceError (403),
   *   AuthenticationError (401), RateLimitError (429), … or `APIConnectionError`
   */
  generate(params: GenerateRequestInput, options: GenerateOptions = {}): APIPromise<Task> {
    const { idempotencyKey = randomUUID(), ...request } = options;
    const answer = this.#transport.request(
      {
        method: ROUTES.generate.method,
        path: ROUTES.generate.path,
        body: params,
        headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
        retry: 'creates',
        schema: ROUTES.generate.responses[202],
      },
      request,
    );
    return new APIPromise(answer);
  }

  /**
   * `generate()` then `tasks.wait()`: resolves with the completed task. `onProgress` sees the
   * created task first, then each status change. The first poll is sent as soon as the task is
   * created, then the pauses of `pollInterval`; a task created already finished is not polled.
   * `.withResponse()` gives the last answer's `Response` too.
   * @throws TaskFailedError, TaskTimeoutError, APIUserAbortError, or `generate()`'s errors
   */
  run(params: GenerateRequestInput, options: RunOptions = {}): APIPromise<Task> {
    const { idempotencyKey, signal, maxRetries, headers } = options;
    const timeout = options.timeout ?? options.requestTimeout;
    return new APIPromise(
      rejectOnThrow(async () => {
        // Bad wait options fail before a task is created (and billed).
        waitSchedule(options);
        const created = await this.generate(params, {
          idempotencyKey,
          signal,
          timeout,
          maxRetries,
          headers,
        }).withResponse();
        const { id } = created.data;
        return waitForTask(
          id,
          (request) => this.tasks.get(id, request).withResponse(),
          options,
          created,
        );
      }),
    );
  }
}

function assertByteLimit(bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new RangeError(
      `maxResponseBytes must be a whole number of bytes > 0, got ${String(bytes)}`,
    );
  }
}

function assertURL(url: string): void {
  try {
    new URL(url);
  } catch {
    throw new RangeError(`baseURL is not an absolute URL: ${JSON.stringify(url)}`);
  }
}

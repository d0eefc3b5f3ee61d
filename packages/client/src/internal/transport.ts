import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  EggAPIError,
  UnexpectedResponseError,
} from '../errors.js';
import type { RequestOptions } from '../options.js';
import { isRetryable, retryDelayMs, type AttemptFailure, type RetryMode } from '../retry.js';
import { assertDuration, LinkedAbort } from './abort.js';
import { clock } from './clock.js';
import { failedBeforeSend } from './network-error.js';
import { readEnvelope, type EnvelopeSchema } from './response.js';

/** The client's resolved configuration. */
export interface TransportConfig {
  baseURL: string;
  apiKey: string;
  timeout: number;
  maxRetries: number;
  /** `undefined`: the global fetch at call time. */
  fetch: typeof fetch | undefined;
  defaultHeaders: Record<string, string>;
}

/** One API call: where it goes, what it sends, how it may be retried, how its answer is read. */
export interface Call<T> {
  method: string;
  path: string;
  query?: Record<string, number | undefined>;
  body?: unknown;
  /** Headers this call always sends (after the client's, before the caller's). */
  headers?: Record<string, string>;
  retry: RetryMode;
  schema: EnvelopeSchema<T>;
}

/** Sends calls: headers, per-attempt timeout, retries with backoff, typed errors. */
export class Transport {
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    assertHeaders(config.defaultHeaders);
    this.#config = config;
  }

  /** Sends `call` and answers the envelope's validated `data`; throws an {@link EggAPIError}. */
  async request<T>(call: Call<T>, options: RequestOptions = {}): Promise<T> {
    const timeout = options.timeout ?? this.#config.timeout;
    assertDuration('timeout', timeout);
    const maxRetries = options.maxRetries ?? this.#config.maxRetries;
    assertRetries(maxRetries);
    // An invalid header name or value is a programming error: a TypeError now, not a
    // connection error after retries.
    if (call.headers) assertHeaders(call.headers);
    if (options.headers) assertHeaders(options.headers);
    const url = this.#url(call);
    const init: RequestInit = { method: call.method, headers: this.#headers(call, options) };
    if (call.body !== undefined) init.body = JSON.stringify(call.body);

    for (let retry = 0; ; retry++) {
      try {
        return await this.#attempt(url, init, call.schema, timeout, options.signal);
      } catch (error) {
        const failure = error instanceof EggAPIError ? failureOf(error) : undefined;
        if (retry >= maxRetries || failure === undefined || !isRetryable(call.retry, failure)) {
          throw error;
        }
        const delay = retryDelayMs(retry + 1, (error as EggAPIError).headers);
        if (delay === undefined) throw error;
        await clock.sleep(
          delay,
          options.signal,
          () => new APIUserAbortError(options.signal?.reason),
        );
      }
    }
  }

  async #attempt<T>(
    url: string,
    init: RequestInit,
    schema: EnvelopeSchema<T>,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const scope = new LinkedAbort(signal, timeout);
    try {
      // Called detached: browsers reject a fetch invoked with a `this` other than the window.
      // The global one is read at call time, so a fetch patched after construction is used.
      const fetch = this.#config.fetch ?? globalThis.fetch;
      const response = await fetch(url, { ...init, signal: scope.signal });
      // The time limit covers the body too: a server that stalls mid-body times out.
      const text = await response.text();
      return readEnvelope(response.status, response.headers, text, schema);
    } catch (error) {
      if (error instanceof EggAPIError) throw error;
      if (signal?.aborted) throw new APIUserAbortError(signal.reason);
      if (scope.timedOut) throw new APITimeoutError(timeout);
      throw new APIConnectionError(`Connection error: ${describe(error)}`, { cause: error });
    } finally {
      scope.dispose();
    }
  }

  #url(call: Call<unknown>): string {
    let url = this.#config.baseURL + call.path;
    const query = Object.entries(call.query ?? {}).filter(([, value]) => value !== undefined);
    if (query.length > 0) {
      url +=
        '?' +
        new URLSearchParams(
          query.map(([key, value]): [string, string] => [key, String(value)]),
        ).toString();
    }
    return url;
  }

  // A plain object with lower-cased names (later sources win): cheaper than a Headers object
  // and just as good to fetch.
  #headers(call: Call<unknown>, options: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.#config.apiKey}`,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    for (const source of [this.#config.defaultHeaders, call.headers, options.headers]) {
      for (const name in source) headers[name.toLowerCase()] = source[name]!;
    }
    return headers;
  }
}

function failureOf(error: EggAPIError): AttemptFailure | undefined {
  if (error instanceof APIUserAbortError || error instanceof UnexpectedResponseError) {
    return undefined;
  }
  if (error instanceof APITimeoutError) return { kind: 'timeout' };
  if (error instanceof APIConnectionError) {
    return { kind: 'connection', beforeSend: failedBeforeSend(error.cause) };
  }
  return error.status === undefined ? undefined : { kind: 'status', status: error.status };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}

/** Throws a RangeError unless `n` is a whole number of retries ≥ 0. */
export function assertRetries(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`maxRetries must be a whole number ≥ 0, got ${String(n)}`);
  }
}

/** Throws fetch's own TypeError for a header name or value fetch would refuse. */
function assertHeaders(headers: Record<string, string>): void {
  new Headers(headers);
}

import type { WithResponse } from '../api-promise.js';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  EggAPIError,
  ResponseTooLargeError,
  UnexpectedResponseError,
} from '../errors.js';
import type { RequestOptions } from '../options.js';
import { isRetryable, retryDelayMs, type AttemptFailure, type RetryMode } from '../retry.js';
import { assertDuration, LinkedAbort } from './abort.js';
import { clock } from './clock.js';
import { failedBeforeSend } from './network-error.js';
import { rejectOnThrow } from './reject.js';
import { readBodyText } from './read-body.js';
import { readEnvelope, redirectError, type EnvelopeSchema } from './response.js';

/** The client's resolved configuration. */
export interface TransportConfig {
  baseURL: string;
  apiKey: string;
  timeout: number;
  maxRetries: number;
  /** Largest answer body read, in bytes. */
  maxResponseBytes: number;
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
  /** The client's `defaultHeaders`, names lower-cased once. */
  readonly #defaultHeaders: Readonly<Record<string, string>>;
  readonly #authorization: string;

  constructor(config: TransportConfig) {
    assertHeaders(config.defaultHeaders);
    this.#config = config;
    this.#defaultHeaders = mergeHeaders({}, config.defaultHeaders);
    this.#authorization = `Bearer ${config.apiKey}`;
  }

  /**
   * Sends `call` and answers the envelope's validated `data` with the `Response` it came from;
   * rejects with an {@link EggAPIError} (or a TypeError/RangeError for bad options: never thrown
   * synchronously).
   */
  request<T>(call: Call<T>, options: RequestOptions = {}): Promise<WithResponse<T>> {
    return rejectOnThrow(() => this.#send(call, options));
  }

  // One async function per call, attempts and retries inline: every extra async layer on the
  // path costs a few microseconds per request (measured by the package's bench).
  #send<T>(call: Call<T>, options: RequestOptions): Promise<WithResponse<T>> {
    const timeout = options.timeout ?? this.#config.timeout;
    assertDuration('timeout', timeout);
    const maxRetries = options.maxRetries ?? this.#config.maxRetries;
    assertRetries(maxRetries);
    // An invalid header name or value is a programming error: a TypeError now, not a
    // connection error after retries.
    if (call.headers) assertHeaders(call.headers);
    if (options.headers) assertHeaders(options.headers);
    // Never follow a redirect: it would re-send a POST as a GET, or the key to another place.
    const init: RequestInit = {
      method: call.method,
      headers: this.#headers(call, options),
      redirect: 'manual',
    };
    if (call.body !== undefined) init.body = JSON.stringify(call.body);
    return this.#attempts(this.#url(call), init, call, timeout, maxRetries, options.signal);
  }

  async #attempts<T>(
    url: string,
    init: RequestInit,
    call: Call<T>,
    timeout: number,
    maxRetries: number,
    signal: AbortSignal | undefined,
  ): Promise<WithResponse<T>> {
    // Called detached: browsers reject a fetch invoked with a `this` other than the window.
    // The global one is read at call time, so a fetch patched after construction is used.
    const fetch = this.#config.fetch ?? globalThis.fetch;
    for (let retry = 0; ; retry++) {
      const scope = LinkedAbort.over(signal, timeout);
      let failed: EggAPIError;
      try {
        // A fresh init per attempt: a fetch wrapper may keep or change the one it gets.
        const response = await fetch(url, scope ? { ...init, signal: scope.signal } : { ...init });
        const redirect = redirectError(response);
        if (redirect) {
          await response.body?.cancel().catch(() => undefined);
          throw redirect;
        }
        // The time limit covers the body too: a server that stalls mid-body times out.
        const text = await readBodyText(response, this.#config.maxResponseBytes);
        return { data: readEnvelope(response, text, call.schema), response };
      } catch (error) {
        failed = typedError(error, signal, scope, timeout);
      } finally {
        scope?.dispose();
      }
      const failure = failureOf(failed);
      if (retry >= maxRetries || failure === undefined || !isRetryable(call.retry, failure)) {
        throw failed;
      }
      const delay = retryDelayMs(
        retry + 1,
        failed instanceof APIError ? failed.headers : undefined,
      );
      if (delay === undefined) throw failed;
      await clock.sleep(delay, signal, () => new APIUserAbortError(signal?.reason));
    }
  }

  #url(call: Call<unknown>): string {
    let url = this.#config.baseURL + call.path;
    if (call.query === undefined) return url;
    const query = Object.entries(call.query).filter(([, value]) => value !== undefined);
    if (query.length > 0) {
      url +=
        '?' +
        new URLSearchParams(
          query.map(([key, value]): [string, string] => [key, String(value)]),
        ).toString();
    }
    return url;
  }

  // A plain object with lower-cased names (later sources win: the client's defaults over the
  // JSON headers, the call's own over those, the caller's last): cheaper than a Headers object
  // and just as good to fetch. A new one per call, which a fetch wrapper may change freely.
  #headers(call: Call<unknown>, options: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: this.#authorization,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    mergeHeaders(headers, this.#defaultHeaders);
    mergeHeaders(headers, call.headers);
    return mergeHeaders(headers, options.headers);
  }
}

/** Copies `source` into `target` with lower-cased names; answers `target`. */
function mergeHeaders(
  target: Record<string, string>,
  source: Record<string, string> | undefined,
): Record<string, string> {
  for (const name in source) target[name.toLowerCase()] = source[name]!;
  return target;
}

/** What an attempt's failure is, as the typed error the caller sees. */
function typedError(
  error: unknown,
  signal: AbortSignal | undefined,
  scope: LinkedAbort | undefined,
  timeout: number,
): EggAPIError {
  if (error instanceof EggAPIError) return error;
  if (signal?.aborted) return new APIUserAbortError(signal.reason);
  if (scope?.timedOut) return new APITimeoutError(timeout);
  return new APIConnectionError(`Connection error: ${describe(error)}`, { cause: error });
}

function failureOf(error: EggAPIError): AttemptFailure | undefined {
  if (error instanceof UnexpectedResponseError || error instanceof ResponseTooLargeError) {
    return undefined;
  }
  if (error instanceof APIError) return { kind: 'status', status: error.status };
  if (error instanceof APITimeoutError) return { kind: 'timeout' };
  if (error instanceof APIConnectionError) {
    return { kind: 'connection', beforeSend: failedBeforeSend(error.cause) };
  }
  return undefined;
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

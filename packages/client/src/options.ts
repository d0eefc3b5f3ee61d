/**
 * The longest duration any option takes: 2³¹ − 1 ms (about 24.8 days), the longest delay a timer
 * can hold. Timers treat anything longer as 1 ms, so a longer limit would fire at once instead of
 * never: such values are refused with a `RangeError`.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of `new EggAPI(…)`. Every one is optional. */
export interface ClientOptions {
  /**
   * The API key, sent as `Authorization: Bearer <key>`. Defaults to `EGGAPI_API_KEY` from
   * `process.env` where the runtime has one. Construction throws when neither is set.
   */
  apiKey?: string;
  /** Defaults to `EGGAPI_BASE_URL` from `process.env`, else `https://api.eggapi.ai`. */
  baseURL?: string;
  /**
   * Per-request (per-attempt) time limit in milliseconds: connect, headers and body. Default
   * 60 000; `Infinity` for none. At most 2³¹ − 1 (about 24.8 days): longer values are a
   * `RangeError`, since timers cannot hold them.
   */
  timeout?: number;
  /** Retries after the first attempt for retryable failures. Default 2; 0 disables retries. */
  maxRetries?: number;
  /**
   * Largest answer body read, in bytes; a larger one is refused with `ResponseTooLargeError`
   * (from its `Content-Length`, else while it streams, never buffered whole). Default
   * 10 485 760 (10 MiB); EggAPI's answers are a few kilobytes.
   */
  maxResponseBytes?: number;
  /** A WHATWG `fetch` to use instead of the global one (a proxy agent, a test double). */
  fetch?: typeof fetch;
  /** Headers sent with every request (per-request `headers` override them). */
  defaultHeaders?: Record<string, string>;
}

/** Options every call accepts, overriding the client's for that call. */
export interface RequestOptions {
  /** Aborts the call (and any retry wait) with an `APIUserAbortError`. */
  signal?: AbortSignal;
  /**
   * Per-request (per-attempt) time limit in milliseconds; `Infinity` for none; at most 2³¹ − 1.
   * Defaults to the client's.
   */
  timeout?: number;
  /** Retries for this call. Defaults to the client's. */
  maxRetries?: number;
  /** Extra headers for this call; they override the client's. */
  headers?: Record<string, string>;
}

/** Options of `generate()`. */
export interface GenerateOptions extends RequestOptions {
  /**
   * The `Idempotency-Key` header. Defaults to a fresh random UUID per `generate()` call, reused by
   * that call's own retries. Pass your own to make retries across processes safe too.
   */
  idempotencyKey?: string;
}

/** Options of `new EggAPI(…)`. Every one is optional. */
export interface ClientOptions {
  /**
   * The API key, sent as `Authorization: Bearer <key>`. Defaults to `EGGAPI_API_KEY` from
   * `process.env` where the runtime has one. Construction throws when neither is set.
   */
  apiKey?: string;
  /** Defaults to `EGGAPI_BASE_URL` from `process.env`, else `https://api.eggapi.ai`. */
  baseURL?: string;
  /** Per-attempt time limit in milliseconds (connect, headers and body). Default 60 000. */
  timeout?: number;
  /** Retries after the first attempt for retryable failures. Default 2; 0 disables retries. */
  maxRetries?: number;
  /** A WHATWG `fetch` to use instead of the global one (a proxy agent, a test double). */
  fetch?: typeof fetch;
  /** Headers sent with every request (per-request `headers` override them). */
  defaultHeaders?: Record<string, string>;
}

/** Options every call accepts, overriding the client's for that call. */
export interface RequestOptions {
  /** Aborts the call (and any retry wait) with an `APIUserAbortError`. */
  signal?: AbortSignal;
  /** Per-attempt time limit in milliseconds; `Infinity` for none. Defaults to the client's. */
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

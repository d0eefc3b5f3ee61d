/** A value the client read, with the HTTP answer it came from. */
export interface WithResponse<T> {
  /** What the call resolves with. */
  data: T;
  /**
   * The fetch `Response` the data was read from (its body already consumed): `status`,
   * `headers` (`X-Request-Id`, rate-limit headers), `url`. For `tasks.wait()` / `run()`, the
   * answer of the last poll.
   */
  response: Response;
}

/**
 * What every client call returns: a `Promise` of the data, as usual, that can also give the raw
 * answer (openai-node's convention):
 *
 * ```ts
 * const task = await client.tasks.get(id);
 * const { data, response } = await client.tasks.get(id).withResponse();
 * response.headers.get('x-request-id');
 * ```
 *
 * The request is sent once, whichever way (or however often) it is awaited.
 */
export class APIPromise<T> extends Promise<T> {
  readonly #withResponse: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  /** @internal Made by the client's calls. */
  constructor(withResponse: Promise<WithResponse<T>>) {
    // The base promise is never used: `then`, `catch` and `finally` read the data promise.
    super((resolve) => resolve(undefined as T));
    this.#withResponse = withResponse;
  }

  // `then` on a subclass would otherwise build its results with this constructor.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** The data and the `Response` it was read from. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#withResponse;
  }

  /** The `Response` alone (its body already consumed). */
  asResponse(): Promise<Response> {
    return this.#withResponse.then((answer) => answer.response);
  }

  #dataPromise(): Promise<T> {
    return (this.#data ??= this.#withResponse.then((answer) => answer.data));
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#dataPromise().then(onfulfilled, onrejected);
  }

  override catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<T | R> {
    return this.#dataPromise().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onfinally);
  }
}

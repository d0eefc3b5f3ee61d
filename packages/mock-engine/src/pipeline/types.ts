import type { AppRoute, AppRouter, ServerInferRequest, ServerInferResponses } from '@ts-rest/core';

/**
 * What the pipeline reads of a request, whatever carried it (an express request, a Fetch API
 * `Request`): the guards, the routes and the images look at nothing else.
 */
export interface RequestFacts {
  /** Upper-case, e.g. `GET`. */
  method: string;
  /** The path below the mock's base, e.g. `/v1/tasks/gen_abc`. */
  path: string;
  /** A header's value (names are case-insensitive); repeated headers joined by `, `. */
  header(name: string): string | undefined;
  /** Who a rate-limit bucket counts: the client's IP, or one name for every in-process call. */
  client: string;
  /** Where the request arrived, e.g. `http://127.0.0.1:4010`: the base of image links. */
  base: string;
  /** The origin this request was addressed to (its scheme and `Host`), canonical. */
  ownOrigin: string | undefined;
}

/** A route's answer: a status and body its contract allows, and headers of its own. */
export type RouteAnswer<R extends AppRoute> = ServerInferResponses<R> & {
  headers?: Record<string, string>;
};

/** One route of a contract, implemented once for every transport. */
export type RouteHandler<R extends AppRoute> = (
  input: ServerInferRequest<R>,
  request: RequestFacts & { apiKey: string },
) => Promise<RouteAnswer<R>>;

/** Every route of a contract, implemented once for every transport. */
export type Routes<C extends AppRouter> = {
  [K in keyof C]: C[K] extends AppRoute ? RouteHandler<C[K]> : never;
};

import type { z } from 'zod';

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

/**
 * A route of a contract as the pipeline reads it (a ts-rest route, by its shape: these types
 * name zod's, never ts-rest's, so that they compile for any consumer).
 */
export interface RouteShape {
  method: string;
  path: string;
  responses: Record<number, unknown>;
}

type Output<S> = S extends z.core.$ZodType ? z.output<S> : never;
type Input<S> = S extends z.core.$ZodType ? z.input<S> : never;

/** What a route's handler gets: its validated path parameters, query and body, as it has them. */
export type RouteInput<R> = ('pathParams' extends keyof R
  ? { params: Output<R['pathParams' & keyof R]> }
  : unknown) &
  ('query' extends keyof R ? { query: Output<R['query' & keyof R]> } : unknown) &
  ('body' extends keyof R ? { body: Output<R['body' & keyof R]> } : unknown);

/** A route's answer: a status and body its contract allows, and headers of its own. */
export type RouteAnswer<R extends RouteShape> = {
  [S in keyof R['responses']]: { status: S; body: Input<R['responses'][S]> };
}[keyof R['responses']] & { headers?: Record<string, string> };

/** One route of a contract, implemented once for every transport. */
export type RouteHandler<R extends RouteShape> = (
  input: RouteInput<R>,
  request: RequestFacts & { apiKey: string },
) => Promise<RouteAnswer<R>>;

/** Every route of a contract, implemented once for every transport. */
export type Routes<C> = {
  [K in keyof C]: C[K] extends RouteShape ? RouteHandler<C[K]> : never;
};

import type { IncomingHttpHeaders } from 'node:http';

/** One request the receiver read, in arrival order. */
export interface ReceivedRequest {
  /** `performance.now()` when its body had arrived. */
  at: number;
  method: string;
  /** The request target (path and query). */
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  /** The body as sent, and as UTF-8 text. */
  bytes: Buffer;
  body: string;
  /** The status it was (or is being) answered with; unset while held. */
  status?: number;
}

/**
 * How to answer one request: a status (body `ok`), a status with body, headers and a delay, or
 * 'hold' (kept in `held` until the test answers it).
 */
export type Reply =
  | number
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | 'hold';

/** A held request: answer it when the test says so. */
export interface HeldRequest {
  body: string;
  request: ReceivedRequest;
  answer: (status?: number, body?: string) => void;
}

export interface ReceiverOptions {
  /** The answer to the `index`th request (from 0); 200 when not given. */
  reply?: (request: ReceivedRequest, index: number) => Reply;
  /** The path of `url` (any path is answered alike); `/hooks/eggapi` by default. */
  path?: string;
}

export interface Receiver {
  /** `http://127.0.0.1:<port><path>`. */
  url: string;
  port: number;
  received: ReceivedRequest[];
  held: HeldRequest[];
  /** Resolves once `count` requests have arrived in all. */
  arrived: (count: number) => Promise<void>;
  /** Drops held requests and closes the server. */
  close: () => Promise<void>;
}

export function startReceiver(options?: ReceiverOptions): Promise<Receiver>;

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DEFAULT_FORWARD_TIMEOUT_S } from './limits.js';

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1), and Host. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** Most of the app's answer kept (for printing and relaying). */
const MAX_ANSWER_BYTES = 1_048_576;

/** What the app answered to a forwarded delivery. */
export interface ForwardAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** The app had not answered completely (status, headers and whole body) within the deadline. */
export class ForwardTimeoutError extends Error {
  override name = 'ForwardTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs / 1000} s (--forward-timeout)`);
  }
}

/**
 * POSTs `body` to `target` with the delivery's own headers (`rawHeaders`, names and order kept),
 * less the per-connection ones; `Host` names the target and `Content-Length` the body. Resolves
 * with the app's answer, whatever its status; rejects when there is none (refused), and with a
 * {@link ForwardTimeoutError} when the whole answer has not arrived `timeoutMs` after the start
 * (default 30 s, EggAPI's own per-attempt limit). The deadline counts from the start, not from
 * the last byte: an app that trickles its answer cannot hold the delivery open. Only the first
 * 1 MiB of the answer is kept; the rest is read and dropped, within the same deadline.
 */
export function forwardDelivery(
  target: URL,
  rawHeaders: string[],
  body: Buffer,
  timeoutMs: number = DEFAULT_FORWARD_TIMEOUT_S * 1000,
): Promise<ForwardAnswer> {
  const headers: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (NOT_FORWARDED.has(lower) || lower === 'content-length') continue;
    headers.push(name, rawHeaders[i + 1]!);
  }
  headers.push('Host', target.host, 'Content-Length', String(body.length));
  const started = performance.now();
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ms: Math.round(performance.now() - started),
        });
      });
    });
    const deadline = setTimeout(() => {
      const error = new ForwardTimeoutError(timeoutMs);
      reject(error);
      req.destroy(error);
    }, timeoutMs);
    function fail(error: Error) {
      clearTimeout(deadline);
      reject(error);
    }
    req.on('error', fail);
    req.end(body);
  });
}

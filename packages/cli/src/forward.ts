import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

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

/** Longest wait for the app's answer: EggAPI's own per-attempt limit. */
export const FORWARD_TIMEOUT_MS = 30_000;
/** Most of the app's answer kept (for printing and relaying). */
const MAX_ANSWER_BYTES = 1_048_576;

/** What the app answered to a forwarded delivery. */
export interface ForwardAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/**
 * POSTs `body` to `target` with the delivery's own headers (`rawHeaders`, names and order kept),
 * less the per-connection ones; `Host` names the target and `Content-Length` the body. Resolves
 * with the app's answer, whatever its status; rejects when there is none (refused, timed out).
 */
export function forwardDelivery(
  target: URL,
  rawHeaders: string[],
  body: Buffer,
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
    const req = send(target, { method: 'POST', headers, timeout: FORWARD_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ms: Math.round(performance.now() - started),
        }),
      );
    });
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${FORWARD_TIMEOUT_MS / 1000} s`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

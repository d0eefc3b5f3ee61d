import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What the upstream answered: its status, headers and the body's bytes as they came. */
export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Why there is no usable answer: the upstream could not be reached, was too slow, or too big. */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
  constructor(
    readonly kind: 'unreachable' | 'timeout' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

export interface ForwardRequest {
  method: string;
  /** The upstream's URL of this request (its base, path and query). */
  url: URL;
  /** Lower-case names; only what may cross (see `forwardedRequestHeaders`). */
  headers: Record<string, string>;
  body?: Buffer;
}

export interface ForwardLimits {
  /** The whole exchange (connect, headers, body) must end within this. */
  timeoutMs: number;
  /** The most body bytes read from the upstream. */
  maxBytes: number;
}

/**
 * Sends one request to the upstream and reads its whole answer, bounded in time and size: an
 * upstream that never answers, or sends an endless body, fails with `UpstreamFailure` instead of
 * holding the client. The body is read as bytes, undecoded (no `Accept-Encoding` is sent).
 */
export function forward(request: ForwardRequest, limits: ForwardLimits): Promise<UpstreamAnswer> {
  const { url } = request;
  const upstream = { origin: url.origin };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<UpstreamAnswer>((resolve, reject) => {
    let settled = false;
    const fail = (failure: UpstreamFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      reject(failure);
    };
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined || request.method !== 'GET') {
      headers['content-length'] = String(request.body?.length ?? 0);
    }
    const outgoing = send(url, { method: request.method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          fail(
            new UpstreamFailure(
              'too-large',
              `${upstream.origin} answered more than ${limits.maxBytes} bytes`,
            ),
          );
          incoming.destroy();
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: incoming.statusCode ?? 502,
          headers: incoming.headers,
          body: Buffer.concat(chunks),
        });
      });
      incoming.on('error', (error) => fail(unreachable(upstream, error)));
      incoming.on('aborted', () =>
        fail(new UpstreamFailure('unreachable', `${upstream.origin} dropped the connection`)),
      );
    });
    const timer = setTimeout(
      () =>
        fail(
          new UpstreamFailure(
            'timeout',
            `${upstream.origin} did not answer within ${limits.timeoutMs} ms`,
          ),
        ),
      limits.timeoutMs,
    );
    outgoing.on('error', (error) => fail(unreachable(upstream, error)));
    outgoing.end(request.body);
  });
}

function unreachable(upstream: { origin: string }, error: Error): UpstreamFailure {
  const code = (error as NodeJS.ErrnoException).code;
  return new UpstreamFailure(
    'unreachable',
    `${upstream.origin} could not be reached (${code ?? error.message})`,
  );
}

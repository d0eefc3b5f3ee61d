import type { IncomingMessage } from 'node:http';

/** The body was larger than the limit (declared or actually sent). */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`The request body is larger than the limit of ${limit} bytes.`);
  }
}

/** The client went away before the body was complete: there is no one to answer. */
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
  constructor(cause?: unknown) {
    super(
      'The request was aborted before its body was complete.',
      cause === undefined ? undefined : { cause },
    );
  }
}

/**
 * Reads the whole request stream into one Buffer, refusing more than `limit` bytes: up front
 * from `Content-Length`, else as soon as the stream passes the limit (it is then paused, not
 * drained, so the caller should answer with `Connection: close`).
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length']) > limit) {
    return Promise.reject(new BodyTooLargeError(limit));
  }
  // Gone already: no 'close' would come to end the wait below.
  if (req.destroyed) return Promise.reject(new RequestAbortedError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new BodyTooLargeError(limit));
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    // A request stream errs only when its connection does (Node: `aborted`, ECONNRESET): the
    // client is gone, which is not the application's error.
    const onError = (error: Error) => {
      cleanup();
      reject(new RequestAbortedError(error));
    };
    const onClose = () => {
      cleanup();
      reject(new RequestAbortedError());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

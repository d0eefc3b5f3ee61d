import type { Socket } from 'node:net';
import { errorEnvelope } from '@eggapi/mock-engine/host';

/**
 * Node's `clientError` hook: a request the HTTP parser refuses (headers over the size limit, a
 * malformed request line) gets the JSON envelope like every other error, not Node's bare status
 * line, and the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A request whose answer has begun cannot get another one: drop the connection.
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || answering?.headersSent) {
    socket.destroy();
    return;
  }
  const message =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'request headers are too large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'the request was not received in time'
        : 'the request could not be parsed as HTTP';
  const body = JSON.stringify(
    errorEnvelope('VALIDATION_ERROR', message, [{ path: '', message: 'malformed request' }]),
  );
  socket.end(
    'HTTP/1.1 400 Bad Request\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

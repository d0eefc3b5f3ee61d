import { ResponseTooLargeError } from '../errors.js';

/**
 * Reads a response body as text, refusing more than `limit` bytes with a
 * {@link ResponseTooLargeError}: at once when `Content-Length` says so, else as soon as the bytes
 * read pass the limit (the rest is cancelled, never buffered). A body without a length, or one
 * the runtime decompresses (`Content-Encoding`), is counted as it streams.
 */
export async function readBodyText(response: Response, limit: number): Promise<string> {
  const { headers, status } = response;
  const declared = headers.get('content-length');
  const length = declared === null ? Number.NaN : Number(declared);
  if (length > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(limit, { status, headers });
  }
  const encoding = headers.get('content-encoding');
  // The fast path: the length is known, within the limit, and what fetch hands over is exactly
  // those bytes (no decompression that could turn them into more).
  if (Number.isFinite(length) && (encoding === null || encoding === 'identity')) {
    return response.text();
  }
  const body = response.body;
  if (body === null) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limit, { status, headers });
    }
    text += decoder.decode(value, { stream: true });
  }
}

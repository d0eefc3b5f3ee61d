import { ResponseTooLargeError } from '../errors.js';

/**
 * Reads a response body as text, refusing more than `limit` bytes with a
 * {@link ResponseTooLargeError}: at once when `Content-Length` says so, else as soon as the bytes
 * read pass the limit (the rest is cancelled, never buffered). The bytes are counted as they
 * stream, after any decompression fetch does, so a small gzip body cannot unpack past the limit.
 */
export async function readBodyText(response: Response, limit: number): Promise<string> {
  const body = response.body;
  if (Number(response.headers.get('content-length')) > limit) {
    await body?.cancel().catch(() => undefined);
    throw tooLarge(response, limit);
  }
  if (body === null) return '';
  // Typed here: with Node's types in scope, `response.body` is a ReadableStream<any>.
  const reader: ReadableStreamDefaultReader<Uint8Array> = (
    body as ReadableStream<Uint8Array>
  ).getReader();
  const first = await reader.read();
  if (first.done) return '';
  if (first.value.byteLength > limit) return cancel(reader, response, limit);
  const second = await reader.read();
  // The common case: the whole (small) answer came in one chunk.
  if (second.done) return new TextDecoder().decode(first.value);
  const decoder = new TextDecoder();
  let size = first.value.byteLength;
  let text = decoder.decode(first.value, { stream: true });
  let chunk: Awaited<ReturnType<typeof reader.read>> = second;
  while (!chunk.done) {
    size += chunk.value.byteLength;
    if (size > limit) return cancel(reader, response, limit);
    text += decoder.decode(chunk.value, { stream: true });
    chunk = await reader.read();
  }
  return text + decoder.decode();
}

async function cancel(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  response: Response,
  limit: number,
): Promise<never> {
  await reader.cancel().catch(() => undefined);
  throw tooLarge(response, limit);
}

function tooLarge(response: Response, limit: number): ResponseTooLargeError {
  return new ResponseTooLargeError(limit, { status: response.status, headers: response.headers });
}

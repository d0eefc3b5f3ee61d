import { UsageError } from './errors.js';
import type { Io } from './output/terminal.js';

/** Largest body read from standard input (the webhook middleware's default limit). */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * The raw bytes on standard input, exactly as sent: a webhook body must not be decoded and
 * re-encoded, or the signature no longer matches.
 *
 * @throws UsageError when stdin is a terminal (nothing was piped: it would wait for typing) or
 *   holds more than {@link MAX_BODY_BYTES}.
 */
export async function readBody(io: Io, command: string): Promise<Buffer> {
  if (io.stdin.isTTY) {
    throw new UsageError(
      `${command} reads the raw body on standard input: eggapi ${command} … < body.json`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_BODY_BYTES) {
      throw new UsageError(`the body on standard input is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

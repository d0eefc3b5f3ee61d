import { Readable } from 'node:stream';
import type { Io, OutStream } from '../../src/output/terminal.js';

/** An output stream that keeps what was written, as a pipe would (no TTY, no columns). */
export interface CapturedStream extends OutStream {
  text(): string;
}

export function capturedStream(): CapturedStream {
  let text = '';
  return {
    isTTY: false,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}

/** Standard input as a closed pipe holding `input` (or nothing). */
export function pipedStdin(input: string | Buffer | undefined): Io['stdin'] {
  const chunks = input === undefined ? [] : [Buffer.from(input)];
  return Object.assign(Readable.from(chunks, { objectMode: false }), { isTTY: false });
}

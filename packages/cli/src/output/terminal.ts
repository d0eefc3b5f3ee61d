import pc from 'picocolors';

/** A stream the CLI writes to: a real `process.stdout` / `stderr`, or a test's double. */
export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** Colour functions (picocolors' shape); identity functions when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** What a command needs of the process: the streams and the environment. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** One output stream with what the CLI decided about it: terminal or not, colour or not. */
export interface Output {
  stream: OutStream;
  /** A terminal: tables, in-place progress. Otherwise plain lines for scripts. */
  tty: boolean;
  /** Colours, or identity functions. */
  c: Colors;
  /** Writes `text` and a newline. */
  line(text?: string): void;
}

/**
 * Whether colour is allowed on `stream`: only on a terminal, never with `NO_COLOR` set to a
 * non-empty value (no-color.org), never on `TERM=dumb`. picocolors' own detection is not used:
 * it turns colour on whenever `CI` is set, even when the output is piped into a file.
 */
export function colorAllowed(stream: OutStream, env: NodeJS.ProcessEnv): boolean {
  if (stream.isTTY !== true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

/** The {@link Output} of `stream` under `env`. */
export function outputOf(stream: OutStream, env: NodeJS.ProcessEnv): Output {
  return {
    stream,
    tty: stream.isTTY === true,
    c: pc.createColors(colorAllowed(stream, env)),
    line: (text = '') => void stream.write(`${text}\n`),
  };
}

/** A status in its colour: green done, red failed, yellow running, dim waiting. */
export function colorStatus(c: Colors, status: string): string {
  switch (status) {
    case 'completed':
      return c.green(status);
    case 'failed':
      return c.red(status);
    case 'processing':
      return c.yellow(status);
    case 'pending':
      return c.dim(status);
    default:
      return status;
  }
}

/** Elapsed time for people: `0.4s`, `12.3s`, `2m 05s`. */
export function formatElapsed(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(safe / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

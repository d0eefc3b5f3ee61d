import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';

/** How long a log line may wait in the write buffer when stdout is a pipe or a file. */
const FLUSH_INTERVAL_MS = 1_000;

/**
 * The server's pino logger: JSON lines by default; human-readable lines (pino-pretty, loaded only
 * then) for a terminal; `silent` writes nothing. JSON lines are buffered (logging must not limit
 * throughput) but flushed at least every second and on `close()`, so a pipe or a file sees them
 * promptly.
 */
export function createLogger(
  level: string,
  pretty: boolean,
  destination?: { write(line: string): unknown },
): { logger: Logger; close(): void } {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (level === 'silent') return { logger: pino({ level: 'silent' }), close: () => {} };
  if (pretty) {
    const require = createRequire(import.meta.url);
    const build = require('pino-pretty') as (opts: object) => NodeJS.WritableStream;
    const logger = pino(options, build({ colorize: true, sync: true, ignore: 'pid,hostname' }));
    return { logger, close: () => {} };
  }
  if (destination) return { logger: pino(options, destination), close: () => {} };
  const stream = pino.destination({ sync: false, minLength: 4096 });
  const timer = setInterval(() => stream.flush(), FLUSH_INTERVAL_MS);
  timer.unref();
  return {
    logger: pino(options, stream),
    close: () => {
      clearInterval(timer);
      try {
        stream.flushSync();
      } catch {
        // Not ready yet (nothing written) or already closed: nothing to flush.
      }
    },
  };
}

/**
 * A request target as logs show it: the path without its query string, which can carry secrets
 * (a token pasted into a URL) and logs travel further than the mock.
 */
export function pathOf(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';

/**
 * The server's pino logger: JSON lines by default; human-readable lines (pino-pretty, loaded
 * only then) for a terminal. Writes asynchronously so that logging is never what limits
 * throughput; `silent` writes nothing.
 */
export function createLogger(
  level: string,
  pretty: boolean,
  destination?: { write(line: string): unknown },
): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (level === 'silent') return pino({ level: 'silent' });
  if (pretty) {
    const require = createRequire(import.meta.url);
    const build = require('pino-pretty') as (opts: object) => NodeJS.WritableStream;
    return pino(options, build({ colorize: true, sync: true, ignore: 'pid,hostname' }));
  }
  return pino(options, destination ?? pino.destination({ sync: false, minLength: 4096 }));
}

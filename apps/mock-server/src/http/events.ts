import type { RequestHandler } from 'express';
import type { MockEngine } from '@eggapi/mock-engine/host';
import type { EngineEvent } from '@eggapi/mock-engine/host';

/** How often a stream over a shared (Redis) state tells the page to read again. */
export const SHARED_REFRESH_MS = 2_000;
/** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** Events are written in batches this often: one write, whatever the rate of tasks. */
const BATCH_MS = 100;
/** More events than this in one batch are sent as one `refresh` instead. */
const MAX_BATCH = 100;

/** What a stream says about an engine event: small, no key, nothing the page cannot ask for. */
export type StreamEvent =
  | { type: 'task.created'; task_id: string; owner: string }
  | { type: 'task.ended'; task_id: string; status: 'completed' | 'failed'; owner: string }
  | {
      type: 'delivery.attempted';
      task_id: string;
      delivery_id: string;
      attempt: number;
      state: 'pending' | 'succeeded' | 'failed';
    }
  | { type: 'fault.used'; kind: string; remaining: number }
  | { type: 'reset' };

function summary(event: EngineEvent): StreamEvent | undefined {
  switch (event.type) {
    case 'task.created':
      return { type: event.type, task_id: event.task.id, owner: event.owner };
    case 'task.ended':
      return event;
    case 'delivery.attempted':
      return {
        type: event.type,
        task_id: event.delivery.task_id,
        delivery_id: event.delivery.id,
        attempt: event.attempt.attempt,
        state: event.delivery.state,
      };
    case 'fault.used':
    case 'reset':
      return event;
    default:
      return undefined;
  }
}

const message = (type: string, data: unknown) =>
  `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `GET /__admin/events`: the engine's events as server-sent events, for the console. It opens
 * with `hello` (`{ shared, refresh_ms }`); then `task.created`, `task.ended`,
 * `delivery.attempted`, `fault.used` and `reset` as they happen on this instance, batched every 100 ms (a burst
 * of more than 100 becomes one `refresh`, as does a backlog on a slow reader). With a shared
 * (Redis) state, other instances' work raises no event here: the stream then also sends `refresh`
 * every 2 s, and the page reads again. Shutdown ends every stream.
 */
export function eventStream(engine: MockEngine): RequestHandler {
  return (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    res.write(
      `retry: 2000\n${message('hello', { shared: engine.shared, refresh_ms: engine.shared ? SHARED_REFRESH_MS : null })}`,
    );
    let batch: StreamEvent[] = [];
    let overflow = false;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      if (res.writableNeedDrain) {
        // The reader is behind: what it missed is one `refresh` once it catches up.
        overflow = true;
        batch = [];
        res.once('drain', () => schedule());
        return;
      }
      const text = overflow
        ? message('refresh', {})
        : batch.map((event) => message(event.type, event)).join('');
      batch = [];
      overflow = false;
      if (text) res.write(text);
    };
    const schedule = () => (flushTimer ??= setTimeout(flush, BATCH_MS));
    const stop = engine.on((event) => {
      if (event.type === 'shutdown') {
        res.end();
        return;
      }
      const said = summary(event);
      if (!said) return;
      if (batch.length >= MAX_BATCH) overflow = true;
      else batch.push(said);
      schedule();
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const refresh = engine.shared
      ? setInterval(() => res.write(message('refresh', {})), SHARED_REFRESH_MS)
      : undefined;
    heartbeat.unref();
    refresh?.unref();
    res.once('close', () => {
      stop();
      clearTimeout(flushTimer);
      clearInterval(heartbeat);
      clearInterval(refresh);
    });
    req.socket.setNoDelay(true);
  };
}

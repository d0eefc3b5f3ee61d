import type { MockEngine } from '../engine/engine.js';
import type { EngineEvent } from '../engine/types.js';

/** How often a stream over a shared (Redis) state tells the page to read again. */
export const SHARED_REFRESH_MS = 2_000;
/** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** Events are written in batches this often: one write, whatever the rate of tasks. */
const BATCH_MS = 100;
/** More events than this in one batch are sent as one `refresh` instead. */
const MAX_BATCH = 100;
/**
 * Request events kept one by one in a batch; more become one `requests.recorded` with their
 * count, so a load test's thousands of requests a second never turn into a `refresh` of every page.
 */
const MAX_REQUESTS_IN_BATCH = 20;
/** A path longer than this is cut in a request event (the page reads the entry for the rest). */
const EVENT_PATH_CHARS = 256;
/** Chunks a slow reader may leave unread before what it misses becomes one `refresh`. */
const QUEUED_CHUNKS = 16;

/** The headers of the event stream's answer. */
export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Accel-Buffering': 'no',
};

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
  | { type: 'request.recorded'; id: string; method: string; path: string; status: number }
  | { type: 'requests.recorded'; count: number }
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
    case 'request.recorded':
      return {
        type: event.type,
        id: event.id,
        method: event.method,
        path: event.path.slice(0, EVENT_PATH_CHARS),
        status: event.status,
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

const unref = (timer: unknown) => (timer as { unref?: () => void } | undefined)?.unref?.();

/**
 * `GET /__admin/events`: the engine's events as server-sent events, for the console, as a byte
 * stream every transport sends as is. It opens with `hello` (`{ shared, refresh_ms }`); then
 * `task.created`, `task.ended`, `delivery.attempted`, `fault.used`, `request.recorded` and `reset`
 * as they happen on this instance, batched (a burst too large becomes one `refresh`, as does a
 * backlog on a slow reader; more than 20 requests in a batch become one `requests.recorded`). With a shared (Redis) state, other instances' work raises no event here: the stream
 * then also sends `refresh` every 2 s, and the page reads again. Shutdown ends every stream;
 * cancelling it (the reader went away) lets go of everything.
 */
export function eventStream(engine: MockEngine): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stop = () => {};
  /** The reader has room again (set by `start`). */
  let pulled = () => {};
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        let batch: StreamEvent[] = [];
        /** Request events in this batch, kept or not. */
        let requests = 0;
        let overflow = false;
        let behind = false;
        let flushTimer: ReturnType<typeof setTimeout> | undefined;
        const flush = () => {
          flushTimer = undefined;
          if ((controller.desiredSize ?? 1) <= 0) {
            // The reader is behind: what it missed is one `refresh` once it catches up (pull).
            overflow = true;
            behind = true;
            batch = [];
            requests = 0;
            return;
          }
          if (requests > MAX_REQUESTS_IN_BATCH) {
            batch = batch.filter((event) => event.type !== 'request.recorded');
            batch.push({ type: 'requests.recorded', count: requests });
          }
          const text = overflow
            ? message('refresh', {})
            : batch.map((event) => message(event.type, event)).join('');
          batch = [];
          requests = 0;
          overflow = false;
          if (text) send(text);
        };
        const schedule = () => (flushTimer ??= setTimeout(flush, BATCH_MS));
        const unsubscribe = engine.on((event) => {
          if (event.type === 'shutdown') {
            stop();
            controller.close();
            return;
          }
          const said = summary(event);
          if (!said) return;
          if (said.type === 'request.recorded') {
            if (++requests <= MAX_REQUESTS_IN_BATCH) batch.push(said);
          } else if (batch.length >= MAX_BATCH) overflow = true;
          else batch.push(said);
          if (!behind) schedule();
        });
        const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
        const refresh = engine.shared
          ? setInterval(() => send(message('refresh', {})), SHARED_REFRESH_MS)
          : undefined;
        unref(heartbeat);
        unref(refresh);
        stop = () => {
          unsubscribe();
          clearTimeout(flushTimer);
          clearInterval(heartbeat);
          clearInterval(refresh);
          stop = () => {};
        };
        pulled = () => {
          if (!behind) return;
          behind = false;
          schedule();
        };
        send(
          `retry: 2000\n${message('hello', { shared: engine.shared, refresh_ms: engine.shared ? SHARED_REFRESH_MS : null })}`,
        );
      },
      pull() {
        pulled();
      },
      cancel() {
        stop();
      },
    },
    new CountQueuingStrategy({ highWaterMark: QUEUED_CHUNKS }),
  );
}

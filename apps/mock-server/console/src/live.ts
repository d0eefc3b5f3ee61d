/**
 * The engine's events, read from `GET /__admin/events` (server-sent events) with `fetch` rather
 * than `EventSource`: `EventSource` cannot send an `Authorization` header, and putting the admin
 * token in the URL would write it into every request log. Reconnects by itself.
 */
import { adminUrl, authHeaders } from './api.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveEvent {
  type: string;
  data: { task_id?: string; [key: string]: unknown };
}

/** Listeners of the live events, so each page reads again when something changed. */
export type Subscribe = (listener: (event: LiveEvent) => void) => () => void;

/** Follows the stream until `signal` aborts; `onEvent` for each event, `onState` as it goes. */
export async function followEvents(
  onEvent: (event: LiveEvent) => void,
  onState: (state: LiveState, shared: boolean) => void,
  signal: AbortSignal,
): Promise<void> {
  let shared = false;
  let wait = 500;
  while (!signal.aborted) {
    try {
      const response = await fetch(adminUrl('events'), { headers: authHeaders(), signal });
      if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseBlock(block);
          if (!event) continue;
          if (event.type === 'hello') {
            shared = event.data.shared === true;
            wait = 500;
            onState('live', shared);
          }
          onEvent(event);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    onState('reconnecting', shared);
    // A missed event while away: whoever listens reads again on reconnection (`hello`).
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 5_000);
  }
}

/** One server-sent event block (`event:` and `data:` lines; comments ignored). */
function parseBlock(block: string): LiveEvent | undefined {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return undefined;
  try {
    return { type, data: JSON.parse(data.join('\n')) as LiveEvent['data'] };
  } catch {
    return undefined;
  }
}

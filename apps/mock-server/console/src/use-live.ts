import { useEffect, useRef, useState } from 'preact/hooks';
import type { LiveEvent, Subscribe } from './live.js';

/** A read that follows the live events: the data, the last error, and `reload()`. */
export interface Live<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
}

/** Reads again at most this often, whatever the rate of events. */
const DEBOUNCE_MS = 150;

/**
 * Runs `load` now, again when `key` changes, and again (debounced) after each live event that
 * `relevant` accepts, after a `refresh` (shared state) or a reconnection (`hello`), and at the
 * time `nextChange(data)` names (a pending task starts on the clock, with no event).
 */
export function useLive<T>(
  key: string,
  load: () => Promise<T>,
  subscribe: Subscribe,
  relevant: (event: LiveEvent) => boolean,
  nextChange?: (data: T) => number | undefined,
): Live<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const state = useRef({ running: false, again: false, timer: 0, clock: 0, alive: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const relevantRef = useRef(relevant);
  relevantRef.current = relevant;

  const run = async () => {
    const s = state.current;
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    try {
      do {
        s.again = false;
        const next = await loadRef.current();
        if (!s.alive) return;
        setData(next);
        setError(undefined);
        clearTimeout(s.clock);
        const at = nextChange?.(next);
        if (at !== undefined) {
          s.clock = window.setTimeout(
            schedule,
            Math.max(50, Math.min(at - Date.now() + 50, 60_000)),
          );
        }
      } while (s.again && s.alive);
    } catch (caught) {
      if (s.alive) setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      s.running = false;
    }
  };
  const schedule = () => {
    const s = state.current;
    if (s.timer) return;
    s.timer = window.setTimeout(() => {
      s.timer = 0;
      void run();
    }, DEBOUNCE_MS);
  };

  useEffect(() => {
    const s = state.current;
    s.alive = true;
    void run();
    const stop = subscribe((event) => {
      if (event.type === 'hello' || event.type === 'refresh' || event.type === 'reset') schedule();
      else if (relevantRef.current(event)) schedule();
    });
    return () => {
      s.alive = false;
      stop();
      clearTimeout(s.timer);
      clearTimeout(s.clock);
      s.timer = 0;
    };
  }, [key]);

  return { data, error, reload: () => void run() };
}

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, consoleSettings, storedToken, storeToken } from './api.js';
import { Controls } from './controls.js';
import { followEvents, type LiveEvent, type LiveState, type Subscribe } from './live.js';
import { RequestList } from './requests.js';
import { href, useRoute } from './route.js';
import { TaskDetail } from './task-detail.js';
import { TaskList } from './tasks.js';
import { ViolationList } from './violations.js';

type Gate =
  | { state: 'checking' }
  | { state: 'login'; refused?: string }
  | { state: 'open'; tokenInUse: boolean };

export function App() {
  const [gate, setGate] = useState<Gate>({ state: 'checking' });

  const open = async (token: string | undefined) => {
    try {
      await api('keys', { token });
      storeToken(token);
      setGate({ state: 'open', tokenInUse: token !== undefined });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        storeToken(undefined);
        setGate({
          state: 'login',
          refused: token === undefined ? undefined : 'That admin token was refused.',
        });
      } else {
        setGate({ state: 'login', refused: `The mock did not answer: ${String(error)}` });
      }
    }
  };

  useEffect(() => {
    void (async () => {
      const token = storedToken();
      const { admin_token_required } = await consoleSettings();
      // Without a stored token, ask for one before any request that would be refused.
      if (admin_token_required && token === undefined) setGate({ state: 'login' });
      else await open(token);
    })();
  }, []);

  if (gate.state === 'checking') return <p class="loading">Loading…</p>;
  if (gate.state === 'login')
    return <Login refused={gate.refused} onToken={(token) => void open(token)} />;
  return (
    <Console
      tokenInUse={gate.tokenInUse}
      onSignOut={() => {
        storeToken(undefined);
        setGate({ state: 'login' });
      }}
    />
  );
}

function Login({ refused, onToken }: { refused?: string; onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  return (
    <main class="login">
      <h1>EggAPI mock console</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <p>This mock's admin routes are protected: enter its admin token.</p>
        <label for="admin-token">Admin token</label>
        <input
          id="admin-token"
          ref={field}
          type="password"
          autocomplete="off"
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          aria-describedby={refused ? 'login-error' : undefined}
        />
        <button type="submit">Open the console</button>
        {refused && (
          <p id="login-error" class="error" role="alert">
            {refused}
          </p>
        )}
        <p class="hint">Kept for this tab only (sessionStorage), never sent in a URL.</p>
      </form>
    </main>
  );
}

function Console({ tokenInUse, onSignOut }: { tokenInUse: boolean; onSignOut: () => void }) {
  const route = useRoute();
  const [live, setLive] = useState<{ state: LiveState; shared: boolean }>({
    state: 'connecting',
    shared: false,
  });
  const listeners = useRef(new Set<(event: LiveEvent) => void>());
  useEffect(() => {
    const stop = new AbortController();
    void followEvents(
      (event) => listeners.current.forEach((listener) => listener(event)),
      (state, shared) => setLive({ state, shared }),
      stop.signal,
    );
    return () => stop.abort();
  }, []);
  const subscribe: Subscribe = (listener) => {
    listeners.current.add(listener);
    return () => listeners.current.delete(listener);
  };

  return (
    <>
      {/* A button, not a link: the hash is the console's route. */}
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">EggAPI mock</span>
        <nav aria-label="Console">
          <a
            href={href('tasks')}
            aria-current={route.page === 'tasks' || route.page === 'task' ? 'page' : undefined}
          >
            Tasks
          </a>
          <a href={href('requests')} aria-current={route.page === 'requests' ? 'page' : undefined}>
            Requests
          </a>
          <a
            href={href('violations')}
            aria-current={route.page === 'violations' ? 'page' : undefined}
          >
            Violations
          </a>
          <a href={href('controls')} aria-current={route.page === 'controls' ? 'page' : undefined}>
            Controls
          </a>
        </nav>
        <span class={`live live-${live.state}`} role="status" title={liveTitle(live)}>
          {live.state === 'live' ? (live.shared ? 'live · shared' : 'live') : live.state}
        </span>
        {tokenInUse && (
          <button type="button" class="link" onClick={onSignOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'tasks' && <TaskList params={route.params} subscribe={subscribe} />}
        {route.page === 'task' && <TaskDetail id={route.id!} subscribe={subscribe} />}
        {route.page === 'requests' && <RequestList params={route.params} subscribe={subscribe} />}
        {route.page === 'violations' && <ViolationList subscribe={subscribe} />}
        {route.page === 'controls' && <Controls subscribe={subscribe} />}
      </main>
    </>
  );
}

function liveTitle(live: { state: LiveState; shared: boolean }): string {
  if (live.state !== 'live')
    return 'Waiting for the event stream; pages are read again once it is back.';
  return live.shared
    ? 'Events of this instance arrive as they happen; other instances share the state (Redis), so pages are also read again every 2 s.'
    : 'Changes arrive as they happen (server-sent events).';
}

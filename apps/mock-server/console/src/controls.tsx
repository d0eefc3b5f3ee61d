import { useState } from 'preact/hooks';
import { api, type AdminData, type AdminInput } from './api.js';
import type { Subscribe } from './live.js';
import { dollars } from './format.js';
import { useLive } from './use-live.js';

type Preset = Extract<AdminInput<'configure'>['body']['timing'], string>;
const PRESETS = ['instant', 'fast', 'realistic'] as const satisfies readonly Preset[];
type FaultKind = AdminInput<'injectFault'>['body']['kind'];
const FAULT_KINDS = ['429', '500', '502', '503', 'reset'] as const satisfies readonly FaultKind[];

type ConfigView = AdminData<'config'>;
type QueuedFault = AdminData<'faults'>[number];
type Health = AdminData<'health'>;

interface State {
  config: ConfigView;
  faults: QueuedFault[];
  health: Health;
}

/** Timing, balances, faults and reset: the admin API's operations, one form each. */
export function Controls({ subscribe }: { subscribe: Subscribe }) {
  const state = useLive<State>(
    'controls',
    async () => {
      const [config, faults, health] = await Promise.all([
        api('config'),
        api('faults'),
        // While the shared store is away, health still answers (503, with its data).
        api('health'),
      ]);
      return { config, faults, health };
    },
    subscribe,
    () => true,
  );
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const act = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
      setNotice({ text: what });
      state.reload();
    } catch (caught) {
      setNotice({ text: caught instanceof Error ? caught.message : String(caught), error: true });
    }
  };

  return (
    <section aria-labelledby="controls-title">
      <h1 id="controls-title">Controls</h1>
      <p class={notice?.error ? 'error' : 'notice'} role="status">
        {notice?.text ?? ''}
      </p>
      {state.error && (
        <p class="error" role="alert">
          {state.error}
        </p>
      )}
      {state.data && (
        <div class="panels">
          <Timing config={state.data.config} act={act} />
          <Balances config={state.data.config} act={act} />
          <Faults faults={state.data.faults} act={act} />
          <Reset health={state.data.health} act={act} />
        </div>
      )}
    </section>
  );
}

type Act = (what: string, call: () => Promise<unknown>) => Promise<void>;

function Timing({ config, act }: { config: ConfigView; act: Act }) {
  const [preset, setPreset] = useState<Preset>('fast');
  const { queueMs, processingMs, jitter } = config.timing;
  return (
    <form
      class="panel"
      aria-labelledby="timing-title"
      onSubmit={(event) => {
        event.preventDefault();
        void act(`Timing set to ${preset} for new tasks.`, () =>
          api('configure', { body: { timing: preset } }),
        );
      }}
    >
      <h2 id="timing-title">Timing</h2>
      <p>
        Now: pending {queueMs} ms, processing {processingMs} ms
        {jitter > 0 && ` (+ up to ${Math.round(jitter * 100)} %)`}. Applies to tasks created from
        now on.
      </p>
      <label for="timing-preset">Preset</label>
      <select
        id="timing-preset"
        value={preset}
        onChange={(event) => setPreset(event.currentTarget.value as Preset)}
      >
        {PRESETS.map((name) => (
          <option value={name}>{name}</option>
        ))}
      </select>
      <button type="submit">Switch timing</button>
    </form>
  );
}

function Balances({ config, act }: { config: ConfigView; act: Act }) {
  const [key, setKey] = useState('');
  const [amount, setAmount] = useState('1.00');
  const set = (micros: number | null) =>
    act(
      micros === null ? 'Balance removed (no limit).' : `Balance set to ${dollars(micros)}.`,
      () => api('configure', { body: { balances: { [key.trim()]: micros } } }),
    );
  const entries = Object.entries(config.balances);
  return (
    <form
      class="panel"
      aria-labelledby="balances-title"
      onSubmit={(event) => {
        event.preventDefault();
        void set(Math.round(Number(amount) * 1_000_000));
      }}
    >
      <h2 id="balances-title">Balances</h2>
      {entries.length === 0 ? (
        <p>No key has a balance: every request is paid.</p>
      ) : (
        <ul>
          {entries.map(([fingerprint, micros]) => (
            <li>
              <span class="mono">{fingerprint}</span>: {dollars(micros)}
            </li>
          ))}
        </ul>
      )}
      <label for="balance-key">API key (the full key; answers show only its fingerprint)</label>
      <input
        id="balance-key"
        required
        autocomplete="off"
        value={key}
        onInput={(event) => setKey(event.currentTarget.value)}
      />
      <label for="balance-amount">Balance in dollars</label>
      <input
        id="balance-amount"
        type="number"
        min="0"
        step="0.0001"
        required
        value={amount}
        onInput={(event) => setAmount(event.currentTarget.value)}
      />
      <div class="row">
        <button type="submit">Set balance</button>
        <button type="button" disabled={!key.trim()} onClick={() => void set(null)}>
          Remove limit
        </button>
      </div>
    </form>
  );
}

function Faults({ faults, act }: { faults: QueuedFault[]; act: Act }) {
  const [kind, setKind] = useState<(typeof FAULT_KINDS)[number]>('503');
  const [route, setRoute] = useState('');
  const [times, setTimes] = useState('1');
  return (
    <form
      class="panel"
      aria-labelledby="faults-title"
      onSubmit={(event) => {
        event.preventDefault();
        const fault = {
          kind,
          times: Number(times),
          ...(route.trim() ? { route: route.trim() } : {}),
        };
        void act(`Fault ${kind} queued.`, () => api('injectFault', { body: fault }));
      }}
    >
      <h2 id="faults-title">Faults</h2>
      {faults.length === 0 ? (
        <p>None queued.</p>
      ) : (
        <ul>
          {faults.map((fault) => (
            <li>
              <span class="mono">{fault.kind}</span> on {fault.route ?? 'every /v1 route'},{' '}
              {fault.times} more {fault.times === 1 ? 'time' : 'times'}
            </li>
          ))}
        </ul>
      )}
      <label for="fault-kind">Kind</label>
      <select
        id="fault-kind"
        value={kind}
        onChange={(event) => setKind(event.currentTarget.value as typeof kind)}
      >
        {FAULT_KINDS.map((k) => (
          <option value={k}>{k === 'reset' ? 'reset (drop the connection)' : k}</option>
        ))}
      </select>
      <label for="fault-route">Route (optional)</label>
      <input
        id="fault-route"
        placeholder="POST /v1/generate"
        value={route}
        onInput={(event) => setRoute(event.currentTarget.value)}
      />
      <label for="fault-times">Times</label>
      <input
        id="fault-times"
        type="number"
        min="1"
        max="1000"
        value={times}
        onInput={(event) => setTimes(event.currentTarget.value)}
      />
      <div class="row">
        <button type="submit">Queue fault</button>
        <button
          type="button"
          disabled={faults.length === 0}
          onClick={() => void act('Faults cleared.', () => api('clearFaults'))}
        >
          Clear faults
        </button>
      </div>
    </form>
  );
}

function Reset({ health, act }: { health: Health; act: Act }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div class="panel" aria-labelledby="reset-title" role="group">
      <h2 id="reset-title">Reset</h2>
      <p>
        Store: {health.store} ({health.status}) · {health.tasks ?? '?'} tasks · webhooks in flight{' '}
        {health.webhooks_in_flight}, waiting {health.webhooks_queued}
      </p>
      <p>
        Forgets every task, usage record, delivery, fault and idempotent answer; restores balances
        and settings{health.store === 'redis' ? ', for every instance on this Redis prefix' : ''}.
      </p>
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Reset…
        </button>
      ) : (
        <div class="row">
          <button
            type="button"
            class="danger"
            onClick={() => {
              setConfirming(false);
              void act('The mock was reset.', () => api('reset'));
            }}
          >
            Reset everything
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}

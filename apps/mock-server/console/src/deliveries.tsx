import { useState } from 'preact/hooks';
import { api, type Delivery } from './api.js';
import { clock, prettyJson } from './format.js';
import { Badge } from './status.js';

type Attempt = Delivery['attempts'][number];

/** A task's webhook deliveries, every attempt as sent and answered, and Redeliver. */
export function Deliveries({
  deliveries,
  webhookUrl,
  onChange,
}: {
  deliveries: Delivery[];
  webhookUrl: string | undefined;
  onChange: () => void;
}) {
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Webhook deliveries</h2>
      {deliveries.length === 0 && (
        <p class="empty">
          {webhookUrl === undefined
            ? 'None: the request had no webhook_url.'
            : 'None yet: the webhook is sent when the task ends.'}
        </p>
      )}
      {deliveries.map((delivery) => (
        <DeliveryCard delivery={delivery} onChange={onChange} />
      ))}
    </section>
  );
}

function DeliveryCard({ delivery, onChange }: { delivery: Delivery; onChange: () => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const redeliver = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api('redeliver', { params: { id: delivery.id } });
      onChange();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  const pending = delivery.state === 'pending';
  return (
    <div class="delivery" data-delivery-id={delivery.id}>
      <div class="delivery-head">
        <Badge status={delivery.state} />
        <span class="mono">{delivery.event}</span>
        <span class="mono url">{delivery.url}</span>
        <button
          type="button"
          onClick={() => void redeliver()}
          disabled={pending || busy}
          title={
            pending ? 'Still being attempted: redeliver once it has succeeded or failed' : undefined
          }
        >
          Redeliver
        </button>
      </div>
      <p class="sub">
        {delivery.id} · created {clock(delivery.created_at)} · {delivery.attempts.length}{' '}
        {delivery.attempts.length === 1 ? 'attempt' : 'attempts'}
        {delivery.next_attempt_at && <> · next attempt {clock(delivery.next_attempt_at)}</>}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <details>
        <summary>Body sent (the same bytes every attempt)</summary>
        <pre class="code" tabIndex={0}>
          {prettyJson(delivery.body)}
        </pre>
      </details>
      <ol class="attempts" aria-label={`Attempts of ${delivery.id}`}>
        {delivery.attempts.map((attempt, n) => (
          <li>
            {n === delivery.round_start && n > 0 && <p class="round">Redelivered</p>}
            <AttemptView attempt={attempt} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function AttemptView({ attempt }: { attempt: Attempt }) {
  const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
  const outcome = attempt.status !== undefined ? String(attempt.status) : (attempt.error ?? '…');
  return (
    <details class="attempt">
      <summary>
        <span class="mono">#{attempt.attempt}</span>{' '}
        <time dateTime={attempt.at}>{clock(attempt.at)}</time>{' '}
        <span class={`outcome ${ok ? 'ok' : 'bad'}`}>{outcome}</span>{' '}
        <span class="sub">{attempt.durationMs} ms</span>
      </summary>
      <div class="attempt-body">
        <h3>Request headers</h3>
        {attempt.request_headers ? (
          <table class="headers">
            <tbody>
              {Object.entries(attempt.request_headers).map(([name, value]) => (
                <tr>
                  <th scope="row">{name}</th>
                  <td class="mono">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="sub">Not recorded (nothing was sent).</p>
        )}
        <h3>Receiver's answer</h3>
        {attempt.status === undefined ? (
          <p>No answer: {attempt.error}</p>
        ) : attempt.response_body === undefined ? (
          <p>HTTP {attempt.status} (body not recorded)</p>
        ) : (
          <>
            <p>
              HTTP {attempt.status}
              {attempt.response_truncated && ' · first 2 KB of the body'}
            </p>
            <pre class="code" tabIndex={0}>
              {attempt.response_body === '' ? '(empty body)' : attempt.response_body}
            </pre>
          </>
        )}
      </div>
    </details>
  );
}

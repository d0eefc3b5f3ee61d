import { api } from './api.js';
import { clock } from './format.js';
import type { LiveEvent, Subscribe } from './live.js';
import { useFresh } from './use-fresh.js';
import { useLive } from './use-live.js';

// A proxied request is journalled once answered, after its violations were kept.
const isRequestEvent = (event: LiveEvent) =>
  event.type === 'request.recorded' || event.type === 'requests.recorded' || event.type === 'reset';

/**
 * The validating proxy's contract violations (`--proxy-to`), newest first, live: which way
 * (request or answer), the request, the status the client got, and each issue.
 */
export function ViolationList({ subscribe }: { subscribe: Subscribe }) {
  const list = useLive('violations', () => api('violations', {}), subscribe, isRequestEvent);
  const items = list.data ?? [];
  const fresh = useFresh(list.data?.map((violation) => violation.id));
  return (
    <section aria-labelledby="violations-title">
      <div class="page-head">
        <h1 id="violations-title">Violations</h1>
      </div>
      {list.error && (
        <p class="error" role="alert">
          Could not read the violations: {list.error}
        </p>
      )}
      {list.data && items.length === 0 && (
        <p class="empty">
          No contract violations. Started with --proxy-to, the mock forwards /v1 to the real service
          and lists here every request or answer that differs from the contract.
        </p>
      )}
      {items.length > 0 && (
        <table class="tasks violations">
          <caption class="visually-hidden">Contract violations, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Direction</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Issues</th>
            </tr>
          </thead>
          <tbody>
            {items.map((violation) => (
              <tr
                key={violation.id}
                class={fresh.has(violation.id) ? 'fresh' : undefined}
                data-request-id={violation.request_id}
              >
                <td data-label="Time">
                  <time dateTime={violation.at}>{clock(violation.at)}</time>
                </td>
                <td data-label="Direction">
                  <span
                    class={`badge badge-${violation.direction === 'request' ? 'processing' : 'failed'}`}
                  >
                    {violation.direction}
                  </span>
                </td>
                <td data-label="Request" class="mono target">
                  {violation.method} {violation.path}
                </td>
                <td data-label="Status" class="num">
                  {violation.status}
                </td>
                <td data-label="Issues">
                  <ul class="issues">
                    {violation.issues.map((issue) => (
                      <li>
                        {issue.path && <span class="mono">{issue.path}</span>}
                        {issue.path && ': '}
                        {issue.message}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

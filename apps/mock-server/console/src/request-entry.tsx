import type { JournalEntry } from './api.js';
import { clock, duration, prettyJson } from './format.js';
import { href } from './route.js';

/** `?a=1&a=2&b=3` from a journal entry's query (empty when it had none). */
export function queryText(query: JournalEntry['query']): string {
  const pairs = Object.entries(query).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((one): [string, string] => [name, one]),
  );
  return pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`;
}

/** The body as text: JSON pretty-printed, text as it came (parsed JSON is kept as a value). */
function bodyText(body: unknown): string {
  return typeof body === 'string' ? prettyJson(body) : JSON.stringify(body, null, 2);
}

/**
 * One journal entry opened: what arrived (method, path, query, headers, body) and how it was
 * answered. All of it is whatever a client sent, so it is only ever rendered as text.
 */
export function RequestEntry({ entry }: { entry: JournalEntry }) {
  const query = Object.entries(entry.query);
  return (
    <div class="entry">
      <section aria-labelledby={`${entry.id}-request`}>
        <h2 id={`${entry.id}-request`}>Request</h2>
        <p class="mono target-full">
          {entry.method} {entry.path}
        </p>
        {query.length > 0 && <Fields label="Query" fields={query} />}
        <Fields label="Headers" fields={Object.entries(entry.headers)} />
        <h3>Body</h3>
        {entry.body === undefined ? (
          <p class="sub">None read (a GET, or refused before the body was read).</p>
        ) : (
          <pre class="code" tabIndex={0}>
            {bodyText(entry.body)}
          </pre>
        )}
      </section>
      <section aria-labelledby={`${entry.id}-answer`}>
        <h2 id={`${entry.id}-answer`}>Answer</h2>
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <Outcome entry={entry} />
          </dd>
          <dt>Task</dt>
          <dd>
            {entry.task_id ? (
              <a href={href('task', entry.task_id)} class="mono">
                {entry.task_id}
              </a>
            ) : (
              '—'
            )}
          </dd>
          <dt>Arrived</dt>
          <dd>
            <time dateTime={entry.at}>{clock(entry.at)}</time>
          </dd>
          <dt>Duration</dt>
          <dd>{duration(entry.duration_ms)}</dd>
          <dt>Id</dt>
          <dd class="mono">{entry.id}</dd>
        </dl>
      </section>
    </div>
  );
}

function Fields({ label, fields }: { label: string; fields: [string, string | string[]][] }) {
  return (
    <>
      <h3>{label}</h3>
      {fields.length === 0 ? (
        <p class="sub">None.</p>
      ) : (
        <table class="headers">
          <tbody>
            {fields.map(([name, value]) => (
              <tr>
                <th scope="row">{name}</th>
                <td class="mono">{Array.isArray(value) ? value.join(', ') : value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** `202`, `401 UNAUTHORIZED`, `dropped CONNECTION_RESET`: the status in words and colour. */
export function Outcome({ entry }: { entry: JournalEntry }) {
  const ok = entry.status >= 200 && entry.status < 400;
  return (
    <span class={`outcome ${ok ? 'ok' : 'bad'}`}>
      {entry.status === 0 ? 'dropped' : entry.status}
      {entry.code && <span class="code-name"> {entry.code}</span>}
    </span>
  );
}

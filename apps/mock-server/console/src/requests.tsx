import { useState } from 'preact/hooks';
import { api, type JournalEntry } from './api.js';
import { clock, duration } from './format.js';
import type { LiveEvent, Subscribe } from './live.js';
import { Pager } from './pager.js';
import { Outcome, RequestEntry, queryText } from './request-entry.js';
import { href } from './route.js';
import { useFresh } from './use-fresh.js';
import { useLive } from './use-live.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
const FILTERS = ['method', 'status', 'path', 'task_id'] as const;
const PER_PAGE = 25;

const isRequestEvent = (event: LiveEvent) =>
  event.type === 'request.recorded' || event.type === 'requests.recorded';

/**
 * The request journal (every `/v1` and image request), newest first, live; filters and page in
 * the URL (`#/requests?status=401`). A row opens to show the request and its answer.
 */
export function RequestList({
  params,
  subscribe,
}: {
  params: URLSearchParams;
  subscribe: Subscribe;
}) {
  const filter = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? '']));
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const query = { ...filter, page, per_page: PER_PAGE };
  const list = useLive(
    JSON.stringify(query),
    () => api('requests', { query }),
    subscribe,
    isRequestEvent,
  );
  const [open, setOpen] = useState<string>();
  const fresh = useFresh(list.data?.items.map((entry) => entry.id));
  const go = (next: Record<string, string>) => {
    location.hash = href('requests', { ...filter, ...next });
  };
  const filtered = FILTERS.some((name) => filter[name]);
  const items = list.data?.items ?? [];

  return (
    <section aria-labelledby="requests-title">
      <div class="page-head">
        <h1 id="requests-title">Requests</h1>
        <Filters filter={filter} apply={(next) => go({ ...next, page: '' })} />
        <Clear onCleared={list.reload} />
      </div>
      {list.error && (
        <p class="error" role="alert">
          Could not read the requests: {list.error}
        </p>
      )}
      {list.data && items.length === 0 && (
        <p class="empty">
          {filtered
            ? 'No request matches these filters.'
            : 'No requests yet: every call to /v1/* and /images/* appears here as it is answered.'}
        </p>
      )}
      {items.length > 0 && (
        <table class="tasks requests">
          <caption class="visually-hidden">Requests, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Task</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <Row
                key={entry.id}
                entry={entry}
                fresh={fresh.has(entry.id)}
                open={open === entry.id}
                toggle={() => setOpen(open === entry.id ? undefined : entry.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.pagination.total > 0 && (
        <Pager
          page={page}
          perPage={PER_PAGE}
          total={list.data.pagination.total}
          pages={list.data.pagination.total_pages}
          go={(next) => go({ page: String(next) })}
        />
      )}
    </section>
  );
}

function Row({
  entry,
  fresh,
  open,
  toggle,
}: {
  entry: JournalEntry;
  fresh: boolean;
  open: boolean;
  toggle: () => void;
}) {
  const target = `${entry.path}${queryText(entry.query)}`;
  const detailId = `request-${entry.id}`;
  return (
    <>
      <tr class={fresh ? 'fresh' : undefined} data-request-id={entry.id}>
        <td data-label="Time">
          <time dateTime={entry.at}>{clock(entry.at)}</time>
        </td>
        <td data-label="Request" class="target">
          <button
            type="button"
            class="link mono"
            aria-expanded={open}
            aria-controls={open ? detailId : undefined}
            onClick={toggle}
          >
            {entry.method} {target}
          </button>
        </td>
        <td data-label="Status">
          <Outcome entry={entry} />
        </td>
        <td data-label="Task">
          {entry.task_id ? (
            <a href={href('task', entry.task_id)} class="mono">
              {entry.task_id}
            </a>
          ) : (
            '—'
          )}
        </td>
        <td data-label="Duration" class="num">
          {duration(entry.duration_ms)}
        </td>
      </tr>
      {open && (
        <tr class="entry-row" id={detailId}>
          <td colSpan={5}>
            <RequestEntry entry={entry} />
          </td>
        </tr>
      )}
    </>
  );
}

/**
 * The filters, applied on change (a select) or on Enter (a text field). Text fields are left
 * uncontrolled, so a live re-render never overwrites what is being typed; `key` resets them when
 * the URL changes.
 */
function Filters({
  filter,
  apply,
}: {
  filter: Record<string, string>;
  apply: (next: Record<string, string>) => void;
}) {
  const read = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const text = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    apply(Object.fromEntries(FILTERS.map((name) => [name, text(name)])));
  };
  return (
    <form
      class="filters"
      onSubmit={(event) => {
        event.preventDefault();
        read(event.currentTarget);
      }}
      onChange={(event) => read(event.currentTarget)}
    >
      <label>
        Method
        <select name="method" value={filter.method?.toUpperCase()}>
          <option value="">any</option>
          {METHODS.map((method) => (
            <option value={method}>{method}</option>
          ))}
        </select>
      </label>
      <label>
        Status
        <input
          name="status"
          key={filter.status}
          defaultValue={filter.status}
          inputMode="numeric"
          size={4}
          placeholder="any"
        />
      </label>
      <label>
        Path
        <input
          name="path"
          key={filter.path}
          defaultValue={filter.path}
          placeholder="/v1/generate"
        />
      </label>
      <label>
        Task
        <input
          name="task_id"
          key={filter.task_id}
          defaultValue={filter.task_id}
          placeholder="gen_…"
        />
      </label>
    </form>
  );
}

/** Clear the journal, after a second click (the console's confirm pattern). */
function Clear({ onCleared }: { onCleared: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const clear = async () => {
    setConfirming(false);
    try {
      setError(undefined);
      await api('clearRequests');
      onCleared();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  return (
    <div class="row">
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Clear…
        </button>
      ) : (
        <>
          <button type="button" class="danger" onClick={() => void clear()}>
            Clear the journal
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { api, type AdminTask } from './api.js';
import type { Subscribe } from './live.js';
import { clock } from './format.js';
import { Pager } from './pager.js';
import { href } from './route.js';
import { Badge } from './status.js';
import { useFresh } from './use-fresh.js';
import { useLive } from './use-live.js';

const STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
const PER_PAGE = 25;

/** The next moment a shown task changes status on the clock (no event says so). */
export function nextTransition(tasks: AdminTask[]): number | undefined {
  const now = Date.now();
  let next: number | undefined;
  for (const task of tasks) {
    if (task.status !== 'pending' && task.status !== 'processing') continue;
    for (const at of [task.timeline.starts_at, task.timeline.ends_at]) {
      const ms = at === null ? NaN : Date.parse(at);
      if (ms > now && (next === undefined || ms < next)) next = ms;
    }
  }
  return next;
}

/** Tasks of every key, newest first, live; filters and page in the URL (`#/tasks?status=…`). */
export function TaskList({ params, subscribe }: { params: URLSearchParams; subscribe: Subscribe }) {
  const status = params.get('status') ?? '';
  const owner = params.get('owner') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const query = { page, per_page: PER_PAGE, status, owner };
  const list = useLive(
    JSON.stringify(query),
    () => api('tasks', { query }),
    subscribe,
    (event) => event.type === 'task.created' || event.type === 'task.ended',
    (data) => nextTransition(data.items),
  );
  const [keys, setKeys] = useState<string[]>([]);
  useEffect(() => void api('keys').then(setKeys, () => {}), []);

  const fresh = useFresh(list.data?.items.map((task) => task.id));

  const go = (next: Record<string, string>) => {
    location.hash = href('tasks', { status, owner, ...next });
  };
  const total = list.data?.pagination.total ?? 0;
  const pages = list.data?.pagination.total_pages ?? 0;

  return (
    <section aria-labelledby="tasks-title">
      <div class="page-head">
        <h1 id="tasks-title">Tasks</h1>
        <form class="filters" onSubmit={(event) => event.preventDefault()}>
          <label>
            Status
            <select
              value={status}
              onChange={(event) => go({ status: event.currentTarget.value, page: '' })}
            >
              <option value="">any</option>
              {STATUSES.map((s) => (
                <option value={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            Key
            <select
              value={owner}
              onChange={(event) => go({ owner: event.currentTarget.value, page: '' })}
            >
              <option value="">any</option>
              {[...new Set([...keys, ...(owner ? [owner] : [])])].map((key) => (
                <option value={key}>{key}</option>
              ))}
            </select>
          </label>
        </form>
      </div>
      {list.error && (
        <p class="error" role="alert">
          Could not read the tasks: {list.error}
        </p>
      )}
      {list.data && list.data.items.length === 0 && (
        <p class="empty">
          {status || owner
            ? 'No task matches these filters.'
            : 'No tasks yet: they appear here as soon as someone calls POST /v1/generate.'}
        </p>
      )}
      {list.data && list.data.items.length > 0 && (
        <table class="tasks">
          <caption class="visually-hidden">Tasks, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Images</th>
              <th scope="col">Task</th>
              <th scope="col">Status</th>
              <th scope="col">Prompt</th>
              <th scope="col">Created</th>
              <th scope="col">Ended</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((task) => (
              <TaskRow key={task.id} task={task} fresh={fresh.has(task.id)} />
            ))}
          </tbody>
        </table>
      )}
      {list.data && total > 0 && (
        <Pager
          page={page}
          perPage={PER_PAGE}
          total={total}
          pages={pages}
          go={(next) => go({ page: String(next) })}
        />
      )}
    </section>
  );
}

function TaskRow({ task, fresh }: { task: AdminTask; fresh: boolean }) {
  const urls = task.output?.urls ?? (task.output?.url ? [task.output.url] : []);
  return (
    <tr class={fresh ? 'fresh' : undefined} data-task-id={task.id}>
      <td data-label="Images" class="thumbs">
        {urls.length === 0 ? (
          <span class="no-image" aria-hidden="true" />
        ) : (
          urls
            .slice(0, 4)
            .map((url, n) => (
              <img
                src={url}
                alt={`Output ${n + 1} of ${task.id}`}
                loading="lazy"
                width={48}
                height={48}
              />
            ))
        )}
      </td>
      <td data-label="Task">
        <a href={href('task', task.id)} class="mono">
          {task.id}
        </a>
        <div class="sub">
          {task.type} · {task.owner}
        </div>
      </td>
      <td data-label="Status">
        <Badge status={task.status} />
      </td>
      <td data-label="Prompt" class="prompt" title={task.request.prompt}>
        {task.request.prompt}
      </td>
      <td data-label="Created">{clock(task.timeline.created_at)}</td>
      <td data-label="Ended">{task.completed_at ? clock(task.timeline.ends_at) : '—'}</td>
      <td data-label="Cost" class="num">
        {task.cost}
      </td>
    </tr>
  );
}

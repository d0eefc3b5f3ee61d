import { useState } from 'preact/hooks';
import { api, type AdminTask, type Delivery } from './api.js';
import type { Subscribe } from './live.js';
import { Deliveries } from './deliveries.js';
import { clock, duration } from './format.js';
import { href } from './route.js';
import { Badge } from './status.js';
import { nextTransition } from './tasks.js';
import { useLive } from './use-live.js';

interface Detail {
  task: AdminTask;
  deliveries: Delivery[];
}

/** One task: request, timeline, images, error, deliveries and the controls that end it. */
export function TaskDetail({ id, subscribe }: { id: string; subscribe: Subscribe }) {
  const detail = useLive<Detail>(
    id,
    async () => {
      const [task, deliveries] = await Promise.all([
        api('task', { params: { id } }),
        api('deliveries', { query: { task_id: id } }),
      ]);
      return { task, deliveries };
    },
    subscribe,
    (event) => event.data.task_id === id,
    (data) => nextTransition([data.task]),
  );

  return (
    <article aria-labelledby="task-title">
      <p>
        <a href={href('tasks')}>← All tasks</a>
      </p>
      {detail.error && !detail.data && (
        <p class="error" role="alert">
          {detail.error}
        </p>
      )}
      {detail.data && (
        <Shown task={detail.data.task} deliveries={detail.data.deliveries} reload={detail.reload} />
      )}
    </article>
  );
}

function Shown({
  task,
  deliveries,
  reload,
}: {
  task: AdminTask;
  deliveries: Delivery[];
  reload: () => void;
}) {
  const ended = task.status === 'completed' || task.status === 'failed';
  return (
    <>
      <div class="page-head">
        <h1 id="task-title" class="mono">
          {task.id}
        </h1>
        <Badge status={task.status} />
      </div>
      {!ended && <EndNow id={task.id} onEnded={reload} />}
      <dl class="facts">
        <dt>Key</dt>
        <dd class="mono">{task.owner}</dd>
        <dt>Type</dt>
        <dd>{task.type}</dd>
        <dt>Model</dt>
        <dd>{task.model}</dd>
        <dt>Cost</dt>
        <dd>{task.cost}</dd>
      </dl>
      {task.error !== undefined && (
        <section class="failure" aria-labelledby="error-title">
          <h2 id="error-title">Error</h2>
          <p>{task.error}</p>
        </section>
      )}
      <Timeline task={task} />
      {outputUrls(task).length > 0 && (
        <section aria-labelledby="images-title">
          <h2 id="images-title">Images</h2>
          <div class="images">
            {outputUrls(task).map((url, n) => (
              <Output url={url} n={n} />
            ))}
          </div>
        </section>
      )}
      <section aria-labelledby="request-title">
        <h2 id="request-title">Request</h2>
        <p class="hint">
          The body of <code>POST /v1/generate</code> as the mock accepted it (defaults applied).
        </p>
        <pre class="code" tabIndex={0}>
          {JSON.stringify(task.request, null, 2)}
        </pre>
      </section>
      <Deliveries deliveries={deliveries} webhookUrl={task.request.webhook_url} onChange={reload} />
    </>
  );
}

function Output({ url, n }: { url: string; n: number }) {
  const [size, setSize] = useState<string>();
  return (
    <figure>
      <a href={url} target="_blank" rel="noreferrer">
        <img
          src={url}
          alt={`Output image ${n + 1}`}
          onLoad={(event) =>
            setSize(`${event.currentTarget.naturalWidth} × ${event.currentTarget.naturalHeight} px`)
          }
        />
      </a>
      <figcaption>
        Output {n + 1}
        {size && <span class="natural-size"> · {size}</span>}
      </figcaption>
    </figure>
  );
}

/** created → processing → ended, with the time spent in each; planned times say so. */
function Timeline({ task }: { task: AdminTask }) {
  const now = Date.now();
  const { created_at, starts_at, ends_at } = task.timeline;
  const created = Date.parse(created_at);
  const starts = starts_at === null ? undefined : Date.parse(starts_at);
  const ends = ends_at === null ? undefined : Date.parse(ends_at);
  const ended = task.status === 'completed' || task.status === 'failed';
  const planned = (at: number | undefined) => at !== undefined && at > now && !ended;
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ol class="timeline">
        <li>
          <strong>created</strong> <time dateTime={created_at}>{clock(created_at)}</time>
        </li>
        <li>
          <span class="gap">
            {starts === undefined
              ? 'pending until polled'
              : `pending ${duration(starts - created)}`}
          </span>
        </li>
        <li>
          <strong>processing</strong>{' '}
          {starts === undefined ? (
            'waits for polls'
          ) : (
            <>
              <time dateTime={starts_at!}>{clock(starts_at)}</time>
              {planned(starts) && <em> (planned)</em>}
            </>
          )}
        </li>
        <li>
          <span class="gap">
            {starts === undefined || ends === undefined
              ? 'processing until polled or ended by an admin'
              : `processing ${duration(ends - starts)}`}
          </span>
        </li>
        <li>
          <strong>{ended ? task.status : 'ends'}</strong>{' '}
          {ends === undefined ? (
            'when polled enough or ended by an admin'
          ) : (
            <>
              <time dateTime={ends_at!}>{clock(ends_at)}</time>
              {planned(ends) && <em> (planned)</em>}
              {ended && <span class="sub"> · {duration(ends - created)} in all</span>}
            </>
          )}
        </li>
      </ol>
    </section>
  );
}

/** End the task now: complete it, or fail it with a message (the admin routes' operations). */
function EndNow({ id, onEnded }: { id: string; onEnded: () => void }) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string>();
  const end = async (how: 'complete' | 'fail') => {
    try {
      setError(undefined);
      const error = message.trim();
      await (how === 'complete'
        ? api('completeTask', { params: { id } })
        : api('failTask', { params: { id }, body: error ? { error } : {} }));
      onEnded();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  return (
    <section class="controls-inline" aria-labelledby="end-title">
      <h2 id="end-title" class="visually-hidden">
        End this task now
      </h2>
      <button type="button" onClick={() => void end('complete')}>
        Complete now
      </button>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void end('fail');
        }}
      >
        <label for="fail-message">Failure message</label>
        <input
          id="fail-message"
          value={message}
          placeholder="generation failed: failed by an admin request"
          onInput={(event) => setMessage(event.currentTarget.value)}
        />
        <button type="submit" class="danger">
          Fail now
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** The output image links of a task (none until it has completed). */
function outputUrls(task: AdminTask): string[] {
  const output = task.output;
  if (!output) return [];
  return output.urls ?? (output.url === undefined ? [] : [output.url]);
}

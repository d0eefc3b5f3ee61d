import { MAX_PER_PAGE } from '@eggapi/contracts';
import type { Task } from '@eggapi/client';
import { apiClient, type GlobalOptions } from '../api-client.js';
import { printTable } from '../output/table.js';
import { outputUrls, printJson, printTask } from '../output/task.js';
import { colorStatus, outputOf, type Io } from '../output/terminal.js';
import { reportTask, waitForTask, type TaskResultOptions } from './wait-for-task.js';

/** Options of the list commands (`tasks list`, `usage`). */
export interface ListOptions extends GlobalOptions {
  page?: number;
  perPage?: number;
  all?: boolean;
  json?: boolean;
}

/** `eggapi tasks get <id>`: the task as it is now. */
export async function getTask(
  id: string,
  options: GlobalOptions & { json?: boolean },
  io: Io,
): Promise<void> {
  const task = await apiClient(options).tasks.get(id);
  const out = outputOf(io.stdout, io.env);
  if (options.json) printJson(out, task);
  else printTask(out, task);
}

/**
 * `eggapi tasks wait <id>`: waits for the end (progress on stderr), then as `get`, `--out` too.
 * An `id` that is not a task id is refused by the client before any request (exit 2).
 */
export async function waitTask(
  id: string,
  options: GlobalOptions & TaskResultOptions,
  io: Io,
): Promise<void> {
  const client = apiClient(options);
  const done = await waitForTask(client, id, io, options);
  await reportTask(id, done, io, options);
}

/**
 * `eggapi tasks list`: one page (newest first), or every page with `--all` (fetched
 * `--per-page` at a time, 100 by default). A table on a terminal, tab-separated lines otherwise;
 * `--json` prints `{ items, pagination }` for a page, `{ items }` for `--all`.
 */
export async function listTasks(options: ListOptions, io: Io): Promise<void> {
  const client = apiClient(options);
  const out = outputOf(io.stdout, io.env);
  let items: Task[];
  let summary: string;
  if (options.all) {
    items = [];
    for await (const task of client.tasks.list({ per_page: options.perPage ?? MAX_PER_PAGE })) {
      items.push(task);
    }
    if (options.json) return printJson(out, { items });
    summary = `${items.length} task(s)`;
  } else {
    const page = await client.tasks.list({
      ...(options.page !== undefined ? { page: options.page } : {}),
      ...(options.perPage !== undefined ? { per_page: options.perPage } : {}),
    });
    if (options.json) return printJson(out, { items: page.items, pagination: page.pagination });
    items = page.items;
    const { page: n, total_pages, total } = page.pagination;
    summary = `page ${n} of ${total_pages}, ${total} task(s)${n < total_pages ? ` — --page ${n + 1} for more, --all for every page` : ''}`;
  }
  printTable(out, {
    head: ['ID', 'STATUS', 'TYPE', 'IMAGES', 'COST', 'CREATED'],
    rows: items.map((task) => [
      task.id,
      colorStatus(out.c, task.status),
      task.type,
      String(outputUrls(task).length),
      task.cost,
      task.created_at,
    ]),
  });
  if (out.tty) out.line(out.c.dim(summary));
}

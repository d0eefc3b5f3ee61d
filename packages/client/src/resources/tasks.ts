import { contract, type PaginationQuery, type Task } from '@eggapi/contracts';
import type { Transport } from '../internal/transport.js';
import type { RequestOptions } from '../options.js';
import type { PagePromise } from '../pagination.js';
import { waitForTask, type WaitOptions } from '../wait.js';
import { listPages, pathWithId } from '../internal/routes.js';
import { rejectOnThrow } from '../internal/reject.js';

/** `client.tasks`: read, list and wait for tasks. */
export class Tasks {
  readonly #transport: Transport;

  /** @internal Made by `EggAPI`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * `GET /v1/tasks/:id`: the task as it is now. Retried on network errors, timeouts, 408, 429
   * and 5xx.
   * @throws NotFoundError for an unknown id, or any other `EggAPIError`; TypeError for an empty id
   */
  get(id: string, options?: RequestOptions): Promise<Task> {
    // Not an async function: one async layer less on the hot path (see Transport#send).
    return rejectOnThrow(() => {
      const route = contract.getTask;
      return this.#transport.request(
        {
          method: route.method,
          path: pathWithId(route.path, id),
          retry: 'idempotent',
          schema: route.responses[200],
        },
        options,
      );
    });
  }

  /**
   * `GET /v1/tasks`: one page of tasks, newest first (`page` default 1, `per_page` default 20,
   * max 100). Await it for the page, or `for await` it for every task of every page.
   */
  list(query: Partial<PaginationQuery> = {}, options?: RequestOptions): PagePromise<Task> {
    return listPages(this.#transport, contract.listTasks, query, options);
  }

  /**
   * Polls the task until it is `completed` and resolves with it. Polls after 0, 0.5, 1.25,
   * 2.4 s…, the pause growing ×1.5 to a 5 s cap (see `WaitOptions.pollInterval`).
   * @throws TaskFailedError when the task fails (`error.task` is the failed task),
   *   TaskTimeoutError after `timeout` (default 5 minutes), APIUserAbortError when `signal`
   *   aborts, or a poll request's own error once its retries are spent
   */
  wait(id: string, options?: WaitOptions): Promise<Task> {
    return waitForTask(id, (request) => this.get(id, request), options);
  }
}

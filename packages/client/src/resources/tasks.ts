import type { PaginationQuery, Task } from '@eggapi/contracts';
import { APIPromise } from '../api-promise.js';
import type { Transport } from '../internal/transport.js';
import type { RequestOptions } from '../options.js';
import type { PagePromise } from '../pagination.js';
import { waitForTask, type WaitOptions } from '../wait.js';
import { listPages, pathWithId, ROUTES } from '../internal/routes.js';
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
   * and 5xx. `.withResponse()` gives the `Response` too.
   * @throws InvalidArgumentError for an id that is not a task id (`''`, `'..'`, one with `/`,
   *   `?`, `#`, `%` or whitespace), before any request; NotFoundError for an unknown id; or any
   *   other `EggAPIError`
   */
  get(id: string, options?: RequestOptions): APIPromise<Task> {
    // Not an async function: one async layer less on the hot path (see Transport#send).
    return new APIPromise(
      rejectOnThrow(() => {
        const route = ROUTES.getTask;
        return this.#transport.request(
          {
            method: route.method,
            path: pathWithId(route.path, id),
            retry: 'idempotent',
            schema: route.responses[200],
          },
          options,
        );
      }),
    );
  }

  /**
   * `GET /v1/tasks`: one page of tasks, newest first (`page` default 1, `per_page` default 20,
   * max 100). Await it for the page, or `for await` it for every task of every page.
   */
  list(query: Partial<PaginationQuery> = {}, options?: RequestOptions): PagePromise<Task> {
    return listPages(this.#transport, ROUTES.listTasks, query, options);
  }

  /**
   * Polls the task until it is `completed` and resolves with it: the first poll at once, then
   * after pauses of 0.5, 0.75, 1.1 s…, growing ×1.5 to a 5 s cap (see
   * `WaitOptions.pollInterval`). `.withResponse()` gives the last poll's `Response` too.
   * @throws TaskFailedError when the task fails (`error.task` is the failed task),
   *   TaskTimeoutError after `waitTimeout` (default 5 minutes), APIUserAbortError when `signal`
   *   aborts, InvalidArgumentError for an invalid id, or a poll request's own error once its
   *   retries are spent
   */
  wait(id: string, options?: WaitOptions): APIPromise<Task> {
    return new APIPromise(
      waitForTask(id, (request) => this.get(id, request).withResponse(), options),
    );
  }
}

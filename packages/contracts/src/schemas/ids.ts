import * as z from 'zod/mini';
import './locale.js';

/**
 * Task ids: URL-unreserved characters only (RFC 3986 `A-Z a-z 0-9 - . _ ~`), one or more, and not
 * `.` or `..` (which a URL would resolve away). Linear: one character class, no backtracking.
 */
const TASK_ID = /^(?!\.\.?$)[A-Za-z0-9._~-]+$/;

/**
 * A task id as the toolkit accepts it before using it in a URL path or a file name: a non-empty
 * string of letters, digits and `-._~`, other than `.` and `..`. Such an id is one URL path
 * segment as written (nothing to encode) and one file name too: it holds no `/`, `\`, `%`, NUL
 * or whitespace, and cannot name a parent directory. EggAPI's own ids are {@link TASK_ID_PREFIX}
 * followed by letters and digits (`gen_abc123def456`); the rule is wider so that any id a
 * compatible server mints safely can be asked for. No length limit.
 *
 * `GET /v1/tasks/:id` itself does not apply it (see `TaskIdParamsSchema`): there an id it refuses
 * names no task and is answered 404 like any other unknown id.
 */
export const TaskIdSchema = z.string().check(
  z.regex(TASK_ID, {
    error: 'a task id is a non-empty string of letters, digits and -._~, not "." or ".."',
  }),
);

/**
 * Whether `id` passes {@link TaskIdSchema}: the same rule as one regular-expression test (no
 * zod parse), for hot paths. Never throws; `false` for anything that is not a string.
 */
export function isTaskId(id: unknown): id is string {
  return typeof id === 'string' && TASK_ID.test(id);
}

/** The prefix of the task ids EggAPI mints: `gen_abc123def456`. */
export const TASK_ID_PREFIX = 'gen_';

/**
 * The prefix of a usage record's id: `usage_` and its task id without {@link TASK_ID_PREFIX}
 * (task `gen_abc123def456` → `usage_abc123def456`).
 */
export const USAGE_RECORD_ID_PREFIX = 'usage_';

/** The prefix of the mock's webhook delivery ids (its admin API's `/__admin/webhooks/whd_…`). */
export const WEBHOOK_DELIVERY_ID_PREFIX = 'whd_';

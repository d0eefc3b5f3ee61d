import { InvalidArgumentError } from './errors.js';

// URL-unreserved characters (RFC 3986): what an id may hold so that it is one path segment as
// written, with nothing to encode. EggAPI's ids are `gen_` + letters and digits.
const TASK_ID = /^[A-Za-z0-9._~-]+$/;

/**
 * Whether `id` can be a task id: a non-empty string of letters, digits and `-._~`, other than
 * `.` and `..` (which a URL would resolve away). Such an id is one URL path segment as written,
 * and one file name too: it holds no `/`, `\`, NUL or whitespace, and cannot name a parent
 * directory. Never throws.
 */
export function isTaskId(id: unknown): id is string {
  return typeof id === 'string' && TASK_ID.test(id) && id !== '.' && id !== '..';
}

/**
 * Throws an {@link InvalidArgumentError} unless `id` can be a task id (see {@link isTaskId}).
 * Anything else (`''`, `'..'`, an id with `/`, `?`, `#`, `%` or whitespace) could only ask for
 * another resource, so it is refused before a request is sent.
 *
 * @throws InvalidArgumentError (`argument: 'id'`) for an id that {@link isTaskId} refuses
 */
export function assertTaskId(id: unknown): asserts id is string {
  if (!isTaskId(id)) {
    throw new InvalidArgumentError(
      'id',
      `Invalid task id ${JSON.stringify(id)}: a task id is a non-empty string of letters, ` +
        'digits and -._~ (for example gen_abc123def456), not "." or "..".',
    );
  }
}

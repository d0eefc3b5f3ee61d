import { InvalidArgumentError } from '../errors.js';

// URL-unreserved characters (RFC 3986): what an id may hold so that it is one path segment as
// written, with nothing to encode. EggAPI's ids are `gen_` + letters and digits.
const TASK_ID = /^[A-Za-z0-9._~-]+$/;

/**
 * Throws an {@link InvalidArgumentError} unless `id` can be a task id: a non-empty string of
 * letters, digits and `-._~`, other than `.` and `..` (which a URL would resolve away). Anything
 * else (`''`, `'..'`, an id with `/`, `?`, `#`, `%` or whitespace) could only ask for another
 * resource, so it is refused before a request is sent.
 */
export function assertTaskId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !TASK_ID.test(id) || id === '.' || id === '..') {
    throw new InvalidArgumentError(
      'id',
      `Invalid task id ${JSON.stringify(id)}: a task id is a non-empty string of letters, ` +
        'digits and -._~ (for example gen_abc123def456), not "." or "..".',
    );
  }
}

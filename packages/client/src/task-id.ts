import { isTaskId as isContractTaskId } from '@eggapi/contracts';
import { InvalidArgumentError } from './errors.js';

/**
 * Whether `id` can be a task id: a non-empty string of letters, digits and `-._~`, other than
 * `.` and `..` (which a URL would resolve away). Such an id is one URL path segment as written,
 * and one file name too: it holds no `/`, `\`, NUL or whitespace, and cannot name a parent
 * directory. The rule is the contracts' `TaskIdSchema`. Never throws.
 */
export function isTaskId(id: unknown): id is string {
  return isContractTaskId(id);
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

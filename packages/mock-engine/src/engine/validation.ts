import type { ErrorDetail } from '@eggapi/contracts';
import * as z from 'zod/mini';
import { validationError } from './errors.js';

/** Issues as zod and Standard Schema report them. */
interface IssueList {
  issues: readonly {
    path?: readonly (PropertyKey | { key: PropertyKey })[];
    message: string;
    /** zod's `unrecognized_keys`: the unknown members, which its `path` does not name. */
    keys?: readonly string[];
  }[];
}

/**
 * Field details of a validation error, paths dotted (`image_urls.3`), prefixed for non-body
 * parts. An unknown member is named by its own path (`extra: unknown field`).
 */
export function detailsOf(error: IssueList, prefix = ''): ErrorDetail[] {
  const pathOf = (parts: readonly (PropertyKey | { key: PropertyKey })[]) =>
    [prefix, ...parts.map((p) => String(typeof p === 'object' ? p.key : p))]
      .filter(Boolean)
      .join('.');
  return error.issues.flatMap((issue) =>
    Array.isArray(issue.keys) && issue.keys.length > 0
      ? issue.keys.map((key) => ({
          path: pathOf([...(issue.path ?? []), key]),
          message: 'unknown field',
        }))
      : [{ path: pathOf(issue.path ?? []), message: issue.message }],
  );
}

/** `input` parsed by `schema`, or a VALIDATION_ERROR naming every invalid member. */
export function parseInput<T extends z.core.$ZodType>(schema: T, input: unknown): z.output<T> {
  const result = z.safeParse(schema, input ?? {});
  if (!result.success) throw validationError(detailsOf(result.error));
  return result.data;
}

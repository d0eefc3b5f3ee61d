import { PaginationQuerySchema, TASK_STATUSES } from '@eggapi/contracts';
import * as z from 'zod/mini';

/** An empty form field (`?status=`) means "any". */
const emptyIsAbsent = (value: unknown) => (value === '' ? undefined : value);

const build = () =>
  z.extend(PaginationQuerySchema, {
    status: z.optional(z.pipe(z.transform(emptyIsAbsent), z.optional(z.enum(TASK_STATUSES)))),
    /** A key's fingerprint as admin answers show it (`sk_t…ggapi`). */
    owner: z.optional(
      z.pipe(z.transform(emptyIsAbsent), z.optional(z.string().check(z.maxLength(64)))),
    ),
  });
let schema: ReturnType<typeof build> | undefined;

/**
 * The schema of the admin task list's query (`GET /__admin/tasks`, the console): a page as the
 * API's lists take it, optionally one status and one key's fingerprint. Unknown members are
 * ignored, as the API's lists do. Built on first use: nothing of the console costs start-up.
 */
export function browseQuerySchema(): ReturnType<typeof build> {
  return (schema ??= build());
}
export type BrowseQuery = z.input<ReturnType<typeof build>>;

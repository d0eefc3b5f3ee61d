import { PaginationQuerySchema, TASK_STATUSES } from '@eggapi/contracts';
import { z } from 'zod';

/** An empty form field (`?status=`) means "any". */
const emptyIsAbsent = (value: unknown) => (value === '' ? undefined : value);

const build = () =>
  // The contract's schemas are `zod/mini`; classic `z.object` takes their shape as is.
  z.object({
    ...PaginationQuerySchema.shape,
    status: z.preprocess(emptyIsAbsent, z.enum(TASK_STATUSES).optional()),
    /** A key's fingerprint as admin answers show it (`sk_t…ggapi`). */
    owner: z.preprocess(emptyIsAbsent, z.string().max(64).optional()),
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

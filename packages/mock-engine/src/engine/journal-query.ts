import { PaginationQuerySchema } from '@eggapi/contracts';
import * as z from 'zod/mini';

/** An empty form field (`?status=`) means "any". */
const emptyIsAbsent = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.core.$ZodType>(schema: T) =>
  z.optional(z.pipe(z.transform(emptyIsAbsent), z.optional(schema)));

/** Which journal entries a list shows (every field optional; all given must hold). */
export interface JournalFilter {
  /** Case-insensitive. */
  method?: string;
  /** The exact path, without the query. */
  path?: string;
  /** The answer's status (`0`: dropped connections). */
  status?: number;
  task_id?: string;
}

const build = () =>
  z.extend(PaginationQuerySchema, {
    method: optional(
      z.string().check(z.regex(/^[A-Za-z]{1,16}$/, { error: 'must be an HTTP method' })),
    ),
    path: optional(z.string().check(z.maxLength(2_048))),
    status: optional(
      z.coerce
        .number<number | string>({ error: 'status must be an integer from 0 to 599' })
        .check(
          z.int({ error: 'status must be an integer from 0 to 599' }),
          z.gte(0, { error: 'status must be an integer from 0 to 599' }),
          z.lte(599, { error: 'status must be an integer from 0 to 599' }),
        ),
    ),
    task_id: optional(z.string().check(z.maxLength(256))),
  });
let schema: ReturnType<typeof build> | undefined;

/**
 * The query of `GET /__admin/requests`: a page as the API's lists take it, and the filter.
 * Built on first use.
 */
export function journalQuerySchema(): ReturnType<typeof build> {
  return (schema ??= build());
}
export type JournalQuery = z.input<ReturnType<typeof build>>;

/** Whether an entry passes a filter. */
export function passes(
  filter: JournalFilter,
  entry: { method: string; path: string; status: number; task_id?: string },
): boolean {
  return (
    (filter.method === undefined || filter.method.toUpperCase() === entry.method) &&
    (filter.path === undefined || filter.path === entry.path) &&
    (filter.status === undefined || filter.status === entry.status) &&
    (filter.task_id === undefined || filter.task_id === entry.task_id)
  );
}

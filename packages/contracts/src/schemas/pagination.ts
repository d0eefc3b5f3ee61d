import * as z from 'zod/mini';
import './locale.js';
import { described } from './describe.js';
import { tolerantObject } from './tolerant.js';

export const DEFAULT_PAGE = 1;
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

const positiveInteger = (field: string, max?: number) => {
  const message =
    max === undefined
      ? `${field} must be a positive integer`
      : `${field} must be an integer between 1 and ${max}`;
  const checks: z.core.$ZodCheck<number>[] = [
    z.int({ error: message }),
    z.gte(1, { error: message }),
  ];
  if (max !== undefined) checks.push(z.lte(max, { error: message }));
  return z.coerce.number<number | string>({ error: message }).check(...checks);
};

/**
 * Query of the paginated lists (`page` from 1, `per_page` 1–100, default 20). Query strings are
 * coerced to numbers; unknown query parameters are ignored, as upstream does.
 */
export const PaginationQuerySchema = z.object({
  page: z._default(positiveInteger('page'), DEFAULT_PAGE),
  per_page: z._default(positiveInteger('per_page', MAX_PER_PAGE), DEFAULT_PER_PAGE),
});

export type PaginationQueryInput = z.input<typeof PaginationQuerySchema>;
export type PaginationQuery = z.infer<typeof PaginationQuerySchema>;

/** `data.pagination` of a list answer. */
export const PaginationSchema = tolerantObject({
  page: z.number().check(z.int(), z.gte(1)),
  per_page: z.number().check(z.int(), z.gte(1)),
  total: described(z.number().check(z.int(), z.nonnegative()), 'Items across all pages.'),
  total_pages: z.number().check(z.int(), z.nonnegative()),
});

export type Pagination = z.infer<typeof PaginationSchema>;

/** `{ items, pagination }`, the `data` of every list answer. */
export function pageSchema<T extends z.core.$ZodType>(item: T) {
  return tolerantObject({
    items: z.array(item),
    pagination: PaginationSchema,
  });
}

/** The `data` of a list answer for items of type `T`. */
export interface Page<T> {
  items: T[];
  pagination: Pagination;
}

/** The pagination block for `total` items seen through `query`. */
export function paginationFor(total: number, query: PaginationQuery): Pagination {
  return {
    page: query.page,
    per_page: query.per_page,
    total,
    total_pages: Math.ceil(total / query.per_page),
  };
}

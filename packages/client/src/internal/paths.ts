import { DEFAULT_PAGE, DEFAULT_PER_PAGE, type PaginationQuery } from '@eggapi/contracts';

/** The contract's path with `:id` filled in, URL-encoded. */
export function pathWithId(path: string, id: string): string {
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(`a task id must be a non-empty string, got ${JSON.stringify(id)}`);
  }
  return path.replace(':id', encodeURIComponent(id));
}

/** A list query with the contract's defaults filled in. */
export function listQuery(query: Partial<PaginationQuery>): PaginationQuery {
  return { page: query.page ?? DEFAULT_PAGE, per_page: query.per_page ?? DEFAULT_PER_PAGE };
}

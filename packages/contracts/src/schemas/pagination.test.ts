import { describe, expect, it } from 'vitest';
import { paginationFor, PaginationQuerySchema } from '../index.js';

describe('PaginationQuerySchema', () => {
  it('defaults to page 1 of 20', () => {
    expect(PaginationQuerySchema.parse({})).toEqual({ page: 1, per_page: 20 });
  });

  it('coerces query-string numbers', () => {
    expect(PaginationQuerySchema.parse({ page: '3', per_page: '50' })).toEqual({
      page: 3,
      per_page: 50,
    });
  });

  it.each([
    ['0', false],
    ['1', true],
    ['100', true],
    ['101', false],
    ['2.5', false],
    ['abc', false],
    ['', false],
  ])('per_page %j is accepted: %s', (per_page, ok) => {
    const result = PaginationQuerySchema.safeParse({ per_page });
    expect(result.success).toBe(ok);
    if (!ok) {
      expect(result.error?.issues[0]).toMatchObject({
        path: ['per_page'],
        message: 'per_page must be an integer between 1 and 100',
      });
    }
  });

  it.each(['0', '-1', 'x'])('rejects page %j with its path', (page) => {
    expect(PaginationQuerySchema.safeParse({ page }).error?.issues[0]).toMatchObject({
      path: ['page'],
      message: 'page must be a positive integer',
    });
  });

  it('ignores unknown query parameters', () => {
    expect(PaginationQuerySchema.parse({ page: '2', status: 'completed' })).toEqual({
      page: 2,
      per_page: 20,
    });
  });
});

describe('paginationFor', () => {
  it.each([
    [0, 20, 0],
    [1, 20, 1],
    [20, 20, 1],
    [21, 20, 2],
    [250, 100, 3],
  ])('%i items at %i a page make %i pages', (total, per_page, total_pages) => {
    expect(paginationFor(total, { page: 1, per_page })).toEqual({
      page: 1,
      per_page,
      total,
      total_pages,
    });
  });
});

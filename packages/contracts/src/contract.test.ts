import { describe, expect, it } from 'vitest';
import { contract, type Contract } from './index.js';

describe('the ts-rest contract', () => {
  it('declares the four documented routes', () => {
    expect(Object.values(contract).map((route) => `${route.method} ${route.path}`)).toEqual([
      'POST /v1/generate',
      'GET /v1/tasks/:id',
      'GET /v1/tasks',
      'GET /v1/usage',
    ]);
  });

  it('answers 202 on create and lists every documented error status per route', () => {
    const statuses = (route: keyof Contract) =>
      Object.keys(contract[route].responses)
        .map(Number)
        .sort((a, b) => a - b);
    expect(statuses('generate')).toEqual([202, 400, 401, 403, 409, 429, 500, 502, 503]);
    expect(statuses('getTask')).toEqual([200, 401, 404, 429, 500, 502, 503]);
    expect(statuses('listTasks')).toEqual([200, 400, 401, 429, 500, 502, 503]);
    expect(statuses('listUsage')).toEqual([200, 400, 401, 429, 500, 502, 503]);
  });

  it('requires a Bearer authorization header on every route', () => {
    for (const route of Object.values(contract)) {
      const headers = route.headers as {
        authorization: { safeParse(v: unknown): { success: boolean } };
      };
      expect(headers.authorization.safeParse('Bearer sk_test_1').success).toBe(true);
      expect(headers.authorization.safeParse('sk_test_1').success).toBe(false);
      expect(headers.authorization.safeParse(undefined).success).toBe(false);
    }
  });
});

import { contract } from '@eggapi/contracts';
import { taskFixture } from '@eggapi/contracts/testing';
import { initServer } from '@ts-rest/express';
import { describe, expect, it } from 'vitest';

/* eslint-disable @typescript-eslint/require-await -- ts-rest handlers return promises */
describe('the /v1 router is bound to the contract', () => {
  it('does not compile when a handler answers what the contract does not allow', () => {
    const s = initServer();
    const task = taskFixture();
    const ok = {
      status: 200 as const,
      body: {
        data: { items: [], pagination: { page: 1, per_page: 20, total: 0, total_pages: 0 } },
        error: null,
      },
    };
    const router = s.router(contract, {
      // @ts-expect-error generate answers 202, not 200
      generate: async () => ({ status: 200 as const, body: { data: task, error: null } }),
      // @ts-expect-error a task's cost is a string
      getTask: async () => ({
        status: 200 as const,
        body: { data: { ...task, cost: 1 }, error: null },
      }),
      listTasks: async () => ok,
      // @ts-expect-error usage items are usage records, not strings
      listUsage: async () => ({
        status: 200 as const,
        body: { data: { items: ['x'], pagination: ok.body.data.pagination }, error: null },
      }),
    });
    expect(Object.keys(router)).toEqual(['generate', 'getTask', 'listTasks', 'listUsage']);
  });

  it('does not compile when a route of the contract is missing', () => {
    const s = initServer();
    // @ts-expect-error listUsage is not implemented
    const router = s.router(contract, {
      generate: async () => ({ status: 202 as const, body: { data: taskFixture(), error: null } }),
      getTask: async () => ({
        status: 404 as const,
        body: { data: null, error: { code: 'NOT_FOUND', message: 'x' } },
      }),
      listTasks: async ({ query }) => ({
        status: 200 as const,
        body: {
          data: { items: [], pagination: { ...query, total: 0, total_pages: 0 } },
          error: null,
        },
      }),
    });
    // The type error above is the assertion (typecheck fails without it); at run time the
    // router holds exactly the routes given.
    expect(Object.keys(router)).toEqual(['generate', 'getTask', 'listTasks']);
  });
});

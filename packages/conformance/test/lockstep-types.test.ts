import type { EggAPI, ListPage } from '@eggapi/client';
import type { Contract, GenerateRequest, Task, UsageRecord } from '@eggapi/contracts';
import type { createMockApp } from '@eggapi/mock-server';
import type {
  ClientInferRequest,
  ServerInferRequest,
  ServerInferResponseBody,
} from '@ts-rest/core';
import { describe, expect, expectTypeOf, it } from 'vitest';

/**
 * Lockstep by construction: the client's and the server's view of every route is the contract's.
 * These are compile-time assertions (checked by `tsc` in the typecheck target); if a package
 * drifts from the contract, this file stops compiling.
 */
type Created = ServerInferResponseBody<Contract['generate'], 202>;
type Fetched = ServerInferResponseBody<Contract['getTask'], 200>;
type TaskList = ServerInferResponseBody<Contract['listTasks'], 200>;
type UsageList = ServerInferResponseBody<Contract['listUsage'], 200>;

describe('client and server agree with the contract on every route', () => {
  it('generate: the client sends the contract body and gets the server’s 202 data', () => {
    expectTypeOf<Parameters<EggAPI['generate']>[0]>().toEqualTypeOf<
      ClientInferRequest<Contract['generate']>['body']
    >();
    expectTypeOf<
      ServerInferRequest<Contract['generate']>['body']
    >().toEqualTypeOf<GenerateRequest>();
    expectTypeOf<Awaited<ReturnType<EggAPI['generate']>>>().toEqualTypeOf<Created['data']>();
  });

  it('getTask: the client returns what the server answers with 200', () => {
    expectTypeOf<Awaited<ReturnType<EggAPI['tasks']['get']>>>().toEqualTypeOf<Fetched['data']>();
    expectTypeOf<Fetched['data']>().toEqualTypeOf<Task>();
  });

  it('listTasks and listUsage: the client pages hold the server’s items', () => {
    type TaskPage = Awaited<ReturnType<EggAPI['tasks']['list']>>;
    expectTypeOf<TaskPage>().toEqualTypeOf<ListPage<Task>>();
    expectTypeOf<TaskPage['items'][number]>().toEqualTypeOf<TaskList['data']['items'][number]>();
    expectTypeOf<TaskPage['pagination']>().toEqualTypeOf<TaskList['data']['pagination']>();
    type UsagePage = Awaited<ReturnType<EggAPI['usage']['list']>>;
    expectTypeOf<UsagePage['items'][number]>().toEqualTypeOf<UsageRecord>();
    expectTypeOf<UsageRecord>().toEqualTypeOf<UsageList['data']['items'][number]>();
    expectTypeOf<Parameters<EggAPI['tasks']['list']>[0]>().toExtend<
      Partial<ServerInferRequest<Contract['listTasks']>['query']> | undefined
    >();
  });

  it('the mock server is built from the same contract (createMockApp exists and is typed)', () => {
    expectTypeOf<ReturnType<typeof createMockApp>['engine']['getTask']>().not.toBeAny();
    expect(true).toBe(true);
  });
});

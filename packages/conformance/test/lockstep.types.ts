import type { EggAPI, ListPage } from '@eggapi/client';
import type { Contract, GenerateRequest, Task, UsageRecord } from '@eggapi/contracts';
import type {
  ClientInferRequest,
  ServerInferRequest,
  ServerInferResponseBody,
} from '@ts-rest/core';
import { expectTypeOf } from 'vitest';

/*
 * Lockstep by construction: the client's view of every route is the contract's, and so is the
 * server's (ts-rest's `ServerInfer*`, which the mock server implements; lockstep-drift.test.ts
 * shows the mock server itself stops compiling when the contract changes). Compile-time
 * assertions only, never run: lockstep-types.test.ts type-checks this file and fails on any
 * error in it (and shows that a wrong assertion here is one), and the typecheck target checks it.
 */
type Created = ServerInferResponseBody<Contract['generate'], 202>;
type Fetched = ServerInferResponseBody<Contract['getTask'], 200>;
type TaskList = ServerInferResponseBody<Contract['listTasks'], 200>;
type UsageList = ServerInferResponseBody<Contract['listUsage'], 200>;

/** generate: the client sends the contract body and gets the server's 202 data. */
export function generateAgrees(): void {
  expectTypeOf<Parameters<EggAPI['generate']>[0]>().toEqualTypeOf<
    ClientInferRequest<Contract['generate']>['body']
  >();
  expectTypeOf<ServerInferRequest<Contract['generate']>['body']>().toEqualTypeOf<GenerateRequest>();
  expectTypeOf<Awaited<ReturnType<EggAPI['generate']>>>().toEqualTypeOf<Created['data']>();
}

/** getTask: the client returns what the server answers with 200. */
export function getTaskAgrees(): void {
  expectTypeOf<Awaited<ReturnType<EggAPI['tasks']['get']>>>().toEqualTypeOf<Fetched['data']>();
  expectTypeOf<Fetched['data']>().toEqualTypeOf<Task>();
}

/** listTasks and listUsage: the client pages hold the server's items. */
export function listsAgree(): void {
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
}

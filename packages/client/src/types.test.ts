import type {
  ErrorDetail,
  GenerateRequestInput,
  Page,
  Pagination,
  Task,
  TaskStatus,
  UsageRecord,
} from '@eggapi/contracts';
import { taskFixture } from '@eggapi/contracts/testing';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { ok, startScriptServer, type ScriptServer } from '../test/support/script-server.js';
import type { APIPromise, WithResponse } from './api-promise.js';
import { EggAPI } from './client.js';
import type {
  APIError,
  EggAPIError,
  InternalServerError,
  RateLimitError,
  TaskFailedError,
  UpstreamError,
  ValidationError,
} from './errors.js';
import type { ListPage, PagePromise } from './pagination.js';

type Returned<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

describe('the client’s types are the contract’s', () => {
  it('returns contract types from every method', () => {
    expectTypeOf<Returned<EggAPI['generate']>>().toEqualTypeOf<Task>();
    expectTypeOf<Returned<EggAPI['run']>>().toEqualTypeOf<Task>();
    expectTypeOf<Returned<EggAPI['tasks']['get']>>().toEqualTypeOf<Task>();
    expectTypeOf<Returned<EggAPI['tasks']['wait']>>().toEqualTypeOf<Task>();
    expectTypeOf<ReturnType<EggAPI['tasks']['list']>>().toEqualTypeOf<PagePromise<Task>>();
    expectTypeOf<Returned<EggAPI['tasks']['list']>>().toEqualTypeOf<ListPage<Task>>();
    expectTypeOf<Returned<EggAPI['usage']['list']>>().toEqualTypeOf<ListPage<UsageRecord>>();
    expectTypeOf<ListPage<Task>>().toExtend<Page<Task>>();
    expectTypeOf<ListPage<Task>['pagination']>().toEqualTypeOf<Pagination>();
    expectTypeOf<Parameters<EggAPI['generate']>[0]>().toEqualTypeOf<GenerateRequestInput>();
    expectTypeOf<Task['status']>().toEqualTypeOf<TaskStatus>();
  });

  it('iterates lists as the contract’s item type', () => {
    expectTypeOf<PagePromise<Task>>().toExtend<AsyncIterable<Task>>();
    expectTypeOf<ListPage<UsageRecord>>().toExtend<AsyncIterable<UsageRecord>>();
  });

  it('types the errors’ payloads', () => {
    expectTypeOf<TaskFailedError['task']>().toEqualTypeOf<Task>();
    expectTypeOf<RateLimitError['retryAfter']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ValidationError['status']>().toEqualTypeOf<400>();
    expectTypeOf<ValidationError['details']>().toEqualTypeOf<ErrorDetail[]>();
    expectTypeOf<ErrorDetail>().toEqualTypeOf<{ path: string; message: string }>();
    expectTypeOf<APIError['status']>().toEqualTypeOf<number>();
    expectTypeOf<APIError['headers']>().toEqualTypeOf<Headers>();
    expectTypeOf<APIError['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<UpstreamError['status']>().toEqualTypeOf<502>();
    expectTypeOf<InternalServerError['status']>().toEqualTypeOf<number>();
    expectTypeOf<APIError>().toExtend<EggAPIError>();
    // @ts-expect-error the base error has no HTTP status: narrow to APIError first
    expectTypeOf<EggAPIError['status']>().toBeNever();
  });

  it('gives every call’s raw answer with full types, and stays a Promise', () => {
    expectTypeOf<ReturnType<EggAPI['generate']>>().toEqualTypeOf<APIPromise<Task>>();
    expectTypeOf<ReturnType<EggAPI['run']>>().toEqualTypeOf<APIPromise<Task>>();
    expectTypeOf<ReturnType<EggAPI['tasks']['get']>>().toEqualTypeOf<APIPromise<Task>>();
    expectTypeOf<ReturnType<EggAPI['tasks']['wait']>>().toEqualTypeOf<APIPromise<Task>>();
    expectTypeOf<APIPromise<Task>>().toExtend<Promise<Task>>();
    expectTypeOf<PagePromise<Task>>().toExtend<Promise<ListPage<Task>>>();
    type Raw<F extends (...args: never[]) => { withResponse(): unknown }> = Awaited<
      ReturnType<ReturnType<F>['withResponse']>
    >;
    expectTypeOf<Raw<EggAPI['tasks']['get']>>().toEqualTypeOf<WithResponse<Task>>();
    expectTypeOf<Raw<EggAPI['generate']>>().toEqualTypeOf<{ data: Task; response: Response }>();
    expectTypeOf<Raw<EggAPI['tasks']['list']>>().toEqualTypeOf<WithResponse<ListPage<Task>>>();
    expectTypeOf<Raw<EggAPI['usage']['list']>>().toEqualTypeOf<
      WithResponse<ListPage<UsageRecord>>
    >();
  });

  it('refuses misuse at compile time', () => {
    const client = new EggAPI({ apiKey: 'sk', baseURL: 'http://127.0.0.1:1', maxRetries: 0 });
    const misuse = () => {
      // @ts-expect-error model is required
      void client.generate({ prompt: 'a fox' });
      // @ts-expect-error aspect_ratio is 16:9 or 9:16
      void client.generate({ model: 'nanobanana', prompt: 'a fox', aspect_ratio: '1:1' });
      // @ts-expect-error num_outputs is a number
      void client.generate({ model: 'nanobanana', prompt: 'a fox', num_outputs: '2' });
      // @ts-expect-error a task id is a string
      void client.tasks.get(42);
      // @ts-expect-error per_page is a number
      void client.tasks.list({ per_page: '100' });
      // @ts-expect-error no such option
      void client.tasks.wait('gen_1', { pollEvery: 5 });
      // @ts-expect-error onProgress receives a Task, not a string
      void client.tasks.wait('gen_1', { onProgress: (status: number) => status });
      // @ts-expect-error no such client option
      new EggAPI({ apiKey: 'sk', retries: 3 });
    };
    expect(misuse).toBeTypeOf('function');
  });
});

describe('the default export', () => {
  let server: ScriptServer;
  beforeEach(async () => {
    server = await startScriptServer();
  });
  afterEach(() => server.close());

  it('makes a working client, as `import EggAPI from "@eggapi/client"` expects', async () => {
    const { default: Default } = await import('./index.js');
    server.on('GET /v1/tasks/gen_1', [ok(taskFixture({ id: 'gen_1' }))]);
    const client = new Default({ apiKey: 'sk_default', baseURL: server.url });
    await expect(client.tasks.get('gen_1')).resolves.toMatchObject({ id: 'gen_1' });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk_default');
  });
});

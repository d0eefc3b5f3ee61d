import type {
  ErrorDetail,
  GenerateRequestInput,
  Page,
  Pagination,
  Task,
  TaskStatus,
  UsageRecord,
} from '@eggapi/contracts';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { EggAPI } from './client.js';
import type { EggAPIError, RateLimitError, TaskFailedError, ValidationError } from './errors.js';
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
    expectTypeOf<EggAPIError['status']>().toEqualTypeOf<number | undefined>();
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
  it('is the EggAPI class, as `import EggAPI from "@eggapi/client"` expects', async () => {
    const module = await import('./index.js');
    expect(module.default).toBe(EggAPI);
  });
});

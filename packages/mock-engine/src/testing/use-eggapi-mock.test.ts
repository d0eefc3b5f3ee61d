import { describe, expect, it } from 'vitest';
import { fakeRunner } from '../../../../test-support/fake-runner.mjs';
import { useEggapiMock } from './use-eggapi-mock.js';

const generate = (mock: { url: string; apiKey: string; fetch: typeof fetch }) =>
  mock.fetch(`${mock.url}/v1/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'nanobanana', prompt: 'A red fox in the snow' }),
  });

describe('useEggapiMock (@eggapi/mock-engine/testing)', () => {
  it('answers through its fetch inside tests, resets after each, closes after all', async () => {
    const runner = fakeRunner();
    const mock = useEggapiMock({
      timing: 'realistic',
      apiKeys: ['sk_test_a'],
      test: runner.module,
    });
    expect(runner.order()).toEqual(['beforeAll', 'afterEach', 'afterAll']);
    await runner.beforeAll();
    expect([mock.url, mock.apiKey]).toEqual(['https://api.eggapi.ai', 'sk_test_a']);
    const created = await generate(mock);
    expect(created.status).toBe(202);
    const { data } = (await created.json()) as { data: { id: string } };
    await mock.completeTask(data.id);
    const read = await mock.fetch(`${mock.url}/v1/tasks/${data.id}`, {
      headers: { authorization: 'Bearer sk_test_a' },
    });
    expect(((await read.json()) as { data: { status: string } }).data.status).toBe('completed');

    await runner.afterEach();
    const listed = await mock.fetch(
      new Request(`${mock.url}/v1/tasks`, {
        headers: { authorization: 'Bearer sk_test_a' },
      }),
    );
    expect(((await listed.json()) as { data: { items: unknown[] } }).data.items).toEqual([]);

    const { fetch: answer } = mock;
    await runner.afterAll();
    expect(() => mock.url).toThrow(/used after afterAll/);
    // The handler itself is closed: a fetch kept from before answers 503.
    expect(
      (await generate({ url: 'https://api.eggapi.ai', apiKey: 'sk_test_a', fetch: answer })).status,
    ).toBe(503);
  });

  it('takes node:test’s hooks (before, after) as test', async () => {
    const runner = fakeRunner();
    const mock = useEggapiMock({ test: runner.nodeTest, baseUrl: 'http://mock.test/api' });
    await runner.beforeAll();
    expect(mock.url).toBe('http://mock.test/api');
    expect((await generate(mock)).status).toBe(202);
    await runner.afterAll();
  });

  it.each([
    ['timing', { timing: 'sloow' }, /timing/],
    ['baseUrl', { baseUrl: 'ftp://mock.test' }, /baseUrl: must be an absolute http\(s\) URL/],
    ['an unknown option', { prot: 4010 }, /prot/],
  ])('throws at the call for a bad %s, registering nothing', (_what, options, message) => {
    const runner = fakeRunner();
    expect(() => useEggapiMock({ ...(options as object), test: runner.module })).toThrow(message);
    expect(runner.order()).toEqual([]);
  });

  it('throws at the call when test is not a runner', () => {
    expect(() => useEggapiMock({ test: { describe: () => {} } as never })).toThrow(
      /invalid useEggapiMock options: test: .*got an object with describe/,
    );
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeRunner } from '../../../test-support/fake-runner.mjs';
import { useEggapiMock } from '../src/testing/index.js';

const headers = { authorization: 'Bearer sk_test_eggapi', 'content-type': 'application/json' };

describe('useEggapiMock (@eggapi/mock-server/testing)', () => {
  it('starts a server on a free port in beforeAll, resets it after each test, closes it after all', async () => {
    const runner = fakeRunner();
    const mock = useEggapiMock({ timing: 'realistic', test: runner.module });
    expect(runner.order()).toEqual(['beforeAll', 'afterEach', 'afterAll']);
    expect(() => mock.url).toThrow(
      "useEggapiMock's handle used outside a test: mock.url is ready inside tests, after beforeAll",
    );
    expect(() => mock.reset).toThrow(/mock\.reset is ready inside tests/);

    await runner.beforeAll();
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(mock.port).toBeGreaterThan(0);
    const created = await fetch(`${mock.url}/v1/generate`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'nanobanana', prompt: 'A red fox in the snow' }),
    });
    expect(created.status).toBe(202);
    const { data } = (await created.json()) as { data: { id: string } };
    await mock.completeTask(data.id);
    const read = await fetch(`${mock.url}/v1/tasks/${data.id}`, { headers });
    expect(((await read.json()) as { data: { status: string } }).data.status).toBe('completed');

    await runner.afterEach();
    const listed = await fetch(`${mock.url}/v1/tasks`, { headers });
    expect(((await listed.json()) as { data: { items: unknown[] } }).data.items).toEqual([]);

    const { url } = mock;
    await runner.afterAll();
    await expect(fetch(`${url}/v1/tasks`, { headers })).rejects.toThrow(/fetch failed/);
    expect(() => mock.url).toThrow(/used after afterAll/);
  });

  it.each([
    ['port', { port: -1 }, /port/],
    ['timing', { timing: 'sloow' }, /timing/],
    ['an unknown option', { prot: 4010 }, /prot/],
  ])(
    'throws at the call for a bad %s, naming it, and registers nothing',
    (_what, options, message) => {
      const runner = fakeRunner();
      expect(() => useEggapiMock({ ...(options as object), test: runner.module })).toThrow(message);
      expect(runner.order()).toEqual([]);
    },
  );

  it('throws at the call when test is not a runner', () => {
    expect(() => useEggapiMock({ test: { it: () => {} } as never })).toThrow(
      /invalid useEggapiMock options: test: must be a test runner module/,
    );
  });

  describe('when the server cannot start', () => {
    let taken: Server;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

    it('fails beforeAll with the listen error, and the handle says the mock did not start', async () => {
      const runner = fakeRunner();
      const { port } = taken.address() as AddressInfo;
      const mock = useEggapiMock({ port, test: runner.module });
      await expect(runner.beforeAll()).rejects.toThrow(/EADDRINUSE/);
      expect(() => mock.url).toThrow(
        /did not start in beforeAll, so mock\.url is not there: .*EADDRINUSE/,
      );
      await runner.afterEach();
      await runner.afterAll();
    });
  });
});

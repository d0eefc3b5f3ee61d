import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer, type MockServerOptions } from '../../src/index.js';
import { call } from '../support/harness.js';
import { REQUEST, useRedisServer } from './support.js';

const SUITE = 'the shared request journal on Redis';

const redis = useRedisServer(SUITE);

describe.skipIf(!redis.available)(SUITE, () => {
  const servers: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close({ abandon: true })));
  });

  const instance = async (prefix: string, options: MockServerOptions = {}) => {
    const server = await startMockServer({
      validateResponses: true,
      redis: { url: redis.url, prefix, lockMs: 1_000 },
      ...options,
    });
    servers.push(server);
    return server;
  };

  it('is shared by every instance on the prefix, and by no other', async () => {
    const prefix = redis.prefix('journal');
    const [a, b, other] = await Promise.all([
      instance(prefix),
      instance(prefix),
      instance(redis.prefix('journal-other')),
    ]);
    const created = await call(a, 'POST', '/v1/generate', { body: { ...REQUEST, prompt: 'on A' } });
    await call(b, 'GET', `/v1/tasks/${created.body.data.id}`);
    await call(other, 'GET', '/v1/usage');
    // B sees A's request (A's write is stored before its answer is read back here).
    const [onA] = await b.expectRequest({ method: 'POST', body: { prompt: 'on A' } });
    expect(onA!.task_id).toBe(created.body.data.id);
    const listed = await call(a, 'GET', '/__admin/requests');
    expect(listed.body.data.items.map((e: any) => `${e.method} ${e.path}`)).toEqual([
      `GET /v1/tasks/${created.body.data.id}`,
      'POST /v1/generate',
    ]);
    expect((await other.requests()).map((e) => e.path)).toEqual(['/v1/usage']);
    // A clear on A forgets B's entries too; a reset on B forgets what came since.
    await a.clearRequests();
    expect(await b.requests()).toEqual([]);
    await call(a, 'GET', '/v1/usage');
    await b.reset();
    expect(await a.requests()).toEqual([]);
  });

  it('keeps the newest journalSize entries (a capped list) and waits for another instance', async () => {
    const prefix = redis.prefix('journal-cap');
    const [a, b] = await Promise.all([
      instance(prefix, { journalSize: 3 }),
      instance(prefix, { journalSize: 3 }),
    ]);
    for (let i = 0; i < 5; i++) await call(i % 2 ? a : b, 'GET', `/v1/tasks?page=${i + 1}`);
    expect((await a.requests()).map((e) => e.query.page)).toEqual(['5', '4', '3']);
    // `within` polls the shared journal: B's request arrives after A starts waiting.
    const waiting = a.expectRequest({ query: { page: '99' } }, { within: 5_000 });
    let sent: Promise<unknown> | undefined;
    setTimeout(() => {
      sent = call(b, 'GET', '/v1/tasks?page=99');
    }, 50);
    expect(await waiting).toHaveLength(1);
    await sent;
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createExpressApp } from '../src/http/app.js';
import { ImageCache } from '@eggapi/mock-engine/host';
import { createPngWorkers } from '../src/images/node-png.js';
import { createEngine } from '@eggapi/mock-engine';
import { resolveOptions, type PngRenderer } from '../src/index.js';
import { call, createTask, mockServer } from './support/harness.js';

const workers = createPngWorkers();
afterAll(() => workers.close());
const running: Server[] = [];
afterEach(async () => {
  await Promise.all(
    running.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/**
 * The HTTP server over an engine whose image cache and renderer the test holds: real requests,
 * real routes, the renders counted.
 */
async function serve(renderer: PngRenderer, cache = new ImageCache()) {
  const options = resolveOptions({ seed: 'image-load', timing: 'instant' });
  const engine = createEngine(options, {
    sign: () => {
      throw new Error('no webhooks in this test');
    },
    sender: () => Promise.reject(new Error('no webhooks in this test')),
    renderPng: renderer,
    imageCache: cache,
  });
  const app = createExpressApp(engine, options, pino({ level: 'silent' }), () => false);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { engine, cache, url, apiKey: options.apiKeys[0]! };
}

/** Fetches every URL, `lanes` at a time; resolves with the statuses. */
async function fetchAll(urls: string[], lanes = 16): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < urls.length) {
        const response = await fetch(urls[next++]!);
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    }),
  );
  return statuses;
}

describe('images under load', () => {
  it('serves more than 1,000 distinct URLs of a few sizes, cycled, with one render per image', async () => {
    let renders = 0;
    // The size of a real 1k PNG (about 12 KB), without its 6 ms of CPU each.
    const mock = await serve((_key, index, width) => {
      renders++;
      return Promise.resolve(new Uint8Array(12 * width + index));
    });
    const urls: string[] = [];
    for (let i = 0; i < 275; i++) {
      const created = await mock.engine.createTask({
        apiKey: mock.apiKey,
        request: {
          model: 'nanobanana',
          prompt: `image ${i}`,
          num_outputs: 4,
          aspect_ratio: i % 2 === 0 ? '16:9' : '9:16',
        } as never,
        baseUrl: mock.url,
      });
      for (let n = 0; n < 4; n++) urls.push(`${mock.url}/images/${created.task.id}/${n}.png`);
    }
    expect(urls).toHaveLength(1_100);
    expect(new Set(await fetchAll(urls))).toEqual(new Set([200]));
    expect(renders).toBe(1_100);
    // Cycled again, and through URLs that differ but draw the same (a query, leading zeros,
    // the path's case): nothing renders again.
    const variants = urls.flatMap((url, i) => [
      `${url}?cycle=${i}`,
      url.replace(/\/(\d)\.png$/, '/000$1.png'),
      url.replace('/images/', '/IMAGES/'),
    ]);
    expect(new Set(await fetchAll([...urls, ...variants]))).toEqual(new Set([200]));
    expect(renders).toBe(1_100);
    expect(mock.cache.renders).toBe(1_100);
    expect(mock.cache.bytes).toBeLessThanOrEqual(64 * 1024 * 1024);
  }, 60_000);

  it('renders two images at a time; a flood of distinct URLs waits its turn and is answered', async () => {
    let inFlight = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const mock = await serve(async (key, index, width, height) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight--;
      return workers.renderPng(key, index, 16, Math.max(1, Math.round((16 * height) / width)));
    });
    const ids = [];
    for (let i = 0; i < 4; i++) {
      const created = await mock.engine.createTask({
        apiKey: mock.apiKey,
        request: { model: 'nanobanana', prompt: `flood ${i}`, num_outputs: 2 } as never,
        baseUrl: mock.url,
      });
      ids.push(created.task.id);
    }
    const urls = ids.flatMap((id) => [0, 1].map((n) => `${mock.url}/images/${id}/${n}.png`));
    const answers = Promise.all(urls.map((url) => fetch(url).then((r) => r.status)));
    // Two render, six wait for a slot: none of them started.
    // A ceiling, not a wait: eight requests reach the cache whenever the machine lets them.
    await expect
      .poll(() => [mock.cache.renders, mock.cache.queued], { timeout: 10_000 })
      .toEqual([2, 6]);
    expect(inFlight).toBe(2);
    // Let each render finish as it comes; the queue drains two at a time.
    while (gates.length > 0 || mock.cache.renders < urls.length) {
      await expect.poll(() => gates.length, { timeout: 10_000 }).toBeGreaterThan(0);
      gates.shift()!();
    }
    expect(await answers).toEqual(urls.map(() => 200));
    expect(most).toBe(2);
    expect(mock.cache.renders).toBe(8);
  });
});

describe('rate-limit buckets of the images and /__admin', () => {
  const fixed = Date.parse('2026-01-01T00:00:00.100Z'); // one window for the whole test

  it('counts /images/* apart from /v1, every path under it included, and answers 429 with Retry-After', async () => {
    const server = await mockServer({ rateLimit: 2, now: () => fixed });
    const id = await createTask(server); // /v1: 1 of 2
    const answers = [];
    for (const path of [`/images/${id}/0.png`, '/images/nope/0.png', `/images/${id}/0.png`]) {
      answers.push(await call(server, 'GET', path, { auth: null }));
    }
    expect(answers.map((a) => a.status)).toEqual([200, 404, 429]);
    expect(answers[2]!.headers.get('retry-after')).toBe('1');
    expect(answers[2]!.body.error).toEqual({
      code: 'RATE_LIMITED',
      message: 'rate limit of 2 requests per second exceeded',
    });
    // The images spent none of /v1's budget.
    expect((await call(server, 'GET', '/v1/tasks')).status).toBe(200);
    expect((await call(server, 'GET', '/v1/tasks')).status).toBe(429);
  });

  it('leaves images unlimited while the rate limit is off', async () => {
    const server = await mockServer({ now: () => fixed });
    const id = await createTask(server);
    const statuses = [];
    for (let i = 0; i < 150; i++) {
      statuses.push((await call(server, 'GET', `/images/${id}/0.png`, { auth: null })).status);
    }
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it.each([
    [2, 100],
    [100, 100],
    [150, 150],
  ])(
    'counts /__admin apart too, at --rate-limit %i allowing %i per second (never below upstream’s 100)',
    async (limit, allowed) => {
      const server = await mockServer({ rateLimit: limit, now: () => fixed });
      expect((await call(server, 'GET', '/v1/tasks')).status).toBe(200);
      const statuses = [];
      for (let i = 0; i <= allowed; i++) {
        statuses.push((await call(server, 'GET', '/__admin/config', { auth: null })).status);
      }
      // Health is for probes: it does not count, and is never refused.
      expect((await call(server, 'GET', '/__admin/health', { auth: null })).status).toBe(200);
      expect(statuses.slice(0, allowed)).toEqual(Array.from({ length: allowed }, () => 200));
      const limited = await call(server, 'POST', '/__admin/reset', { auth: null });
      expect(statuses[allowed]).toBe(429);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      // /v1's bucket is untouched by the admin calls.
      expect((await call(server, 'GET', '/v1/tasks')).status).toBe(200);
    },
  );
});

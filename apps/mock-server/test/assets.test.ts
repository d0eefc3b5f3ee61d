import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { call, createTask, mockServer, validRequest } from './support/harness.js';

async function png(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/png');
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bytes, image: PNG.sync.read(bytes) };
}

describe('output images', () => {
  it.each([
    [{}, 1024, 576],
    [{ aspect_ratio: '9:16' }, 576, 1024],
    [{ aspect_ratio: '16:9', resolution: '2k' }, 2048, 1152],
  ])('serve a PNG of the requested shape for %j', async (extra, width, height) => {
    const server = await mockServer();
    const id = await createTask(server, { ...validRequest, ...extra });
    const task = (await call(server, 'GET', `/v1/tasks/${id}`)).body.data;
    const { image } = await png(task.output.url);
    expect([image.width, image.height]).toEqual([width, height]);
  });

  it('are the same bytes for the same request and seed, and differ per output', async () => {
    const first = await mockServer({ seed: 'img' });
    const second = await mockServer({ seed: 'img' });
    const body = { ...validRequest, num_outputs: 2 };
    const a = await createTask(first, body);
    const b = await createTask(second, body);
    await call(first, 'GET', `/v1/tasks/${a}`);
    await call(second, 'GET', `/v1/tasks/${b}`);
    const a0 = await png(`${first.url}/images/${a}/0.png`);
    const b0 = await png(`${second.url}/images/${b}/0.png`);
    const a1 = await png(`${first.url}/images/${a}/1.png`);
    expect(a0.bytes.equals(b0.bytes)).toBe(true);
    expect(a0.bytes.equals(a1.bytes)).toBe(false);
  });

  it('answer 404 envelopes for unknown tasks, unfinished tasks and indexes past the outputs', async () => {
    const server = await mockServer({ timing: 'realistic' });
    const pending = await createTask(server);
    for (const path of ['/images/gen_nope/0.png', `/images/${pending}/0.png`]) {
      const answer = await call(server, 'GET', path, { auth: null });
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('NOT_FOUND');
    }
    await server.completeTask(pending);
    expect((await call(server, 'GET', `/images/${pending}/1.png`, { auth: null })).status).toBe(
      404,
    );
  });

  it('use the configured public base URL in output links', async () => {
    const server = await mockServer({ publicBaseUrl: 'https://mock.example.com/eggapi/' });
    const id = await createTask(server);
    const task = (await call(server, 'GET', `/v1/tasks/${id}`)).body.data;
    expect(task.output.urls).toEqual([`https://mock.example.com/eggapi/images/${id}/0.png`]);
  });
});

describe('documentation', () => {
  it('serves the contract’s OpenAPI document with this server as its server', async () => {
    const server = await mockServer();
    const answer = await call(server, 'GET', '/openapi.json', { auth: null });
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    expect(answer.body.servers[0].url).toBe(server.url);
    expect(Object.keys(answer.body.paths)).toContain('/v1/generate');
  });

  it('serves a docs page whose assets are bundled, not from a CDN', async () => {
    const server = await mockServer();
    const page = await call(server, 'GET', '/docs', { auth: null });
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of page.text.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const response = await fetch(server.url + asset[1]);
      expect(response.status, asset[1]).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10);
    }
  });
});

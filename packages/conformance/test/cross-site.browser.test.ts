/**
 * Another site's page against an open mock, in a real browser (Debian's Chromium, through
 * playwright-core): the mock listens on 127.0.0.1, hostile pages come from `localhost` (another
 * site) and from another port of 127.0.0.1 (the same site, another origin), and a browser app
 * under test from an origin granted with `corsOrigins`. The hostile pages try what a page can:
 * reads with fetch, "simple" POSTs (text/plain, a form) that need no preflight, a JSON PATCH,
 * and /v1 with the default key. Nothing may be read and nothing may change; the mock's request
 * log proves that the attempts that could reach it did, and were refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockServer, type MockServer } from '@eggapi/mock-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serviceAvailable } from '../../../test-support/services.mjs';

const SUITE = 'the cross-site browser suite';
const HAVE_CHROMIUM = serviceAvailable('chromium', 'chromium', SUITE);

let browser: Browser;
let pages: Server;
let pagesPort: number;
let appPages: Server;
let appPort: number;

/** A server of one blank page, on every loopback address (`localhost` and 127.0.0.1 alike). */
async function blankPages(): Promise<[Server, number]> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>a page</title></head><body></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return [server, (server.address() as AddressInfo).port];
}

/** What a page's attempt gave: the body it could read, or how it failed. */
type Outcome = { read: string } | { blocked: string };

/** Runs `fetch(url, init)` in the page; the body when the page may read it. */
function pageFetch(page: Page, url: string, init: Record<string, unknown> = {}): Promise<Outcome> {
  return page.evaluate(
    async ([target, options]) => {
      try {
        const response = await fetch(target, options);
        if (response.type === 'opaque') return { blocked: 'opaque (no-cors)' };
        return { read: `${response.status} ${await response.text()}` };
      } catch (error) {
        return { blocked: String(error) };
      }
    },
    [url, init] as const,
  );
}

/** Submits a real HTML form (a navigation, no fetch, no preflight) into a frame of the page. */
function submitForm(page: Page, action: string, enctype: string, fields: Record<string, string>) {
  return page.evaluate(
    ([target, type, values]) =>
      new Promise<void>((resolve) => {
        const frame = document.createElement('iframe');
        frame.name = `sink${Math.random().toString(36).slice(2)}`;
        document.body.append(frame);
        frame.addEventListener('load', () => resolve(), { once: true });
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = target;
        form.enctype = type;
        form.target = frame.name;
        for (const [name, value] of Object.entries(values)) {
          const input = document.createElement('input');
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      }),
    [action, enctype, fields] as const,
  );
}

describe.skipIf(!HAVE_CHROMIUM)('an open mock and other sites’ pages in Chromium', () => {
  beforeAll(async () => {
    browser = (await launchChromium(SUITE))!;
    [pages, pagesPort] = await blankPages();
    [appPages, appPort] = await blankPages();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => pages?.close(resolve));
    await new Promise((resolve) => appPages?.close(resolve));
  });

  async function openMock(): Promise<{ server: MockServer; log: Record<string, unknown>[] }> {
    const log: Record<string, unknown>[] = [];
    const server = await startMockServer({
      host: '127.0.0.1',
      timing: 'instant',
      corsOrigins: [`http://localhost:${appPort}`],
      logLevel: 'info',
      logDestination: { write: (line) => log.push(JSON.parse(line) as Record<string, unknown>) },
    });
    return { server, log };
  }

  it.each([
    ['another site (localhost)', () => `http://localhost:${pagesPort}/`],
    ['another port of the same host (same-site)', () => `http://127.0.0.1:${pagesPort}/`],
  ])(
    'a page of %s reads nothing and changes nothing, through /__admin or /v1',
    async (_, pageUrl) => {
      const { server, log } = await openMock();
      const context = await browser.newContext();
      try {
        const task = await server.engine.createTask({
          apiKey: server.apiKey,
          request: { model: 'nanobanana', prompt: 'A secret prompt', num_outputs: 1 } as never,
          baseUrl: server.url,
        });
        const config = await server.engine.config();
        const page = await context.newPage();
        page.setDefaultTimeout(8_000);
        await page.goto(pageUrl());
        const admin = `${server.url}/__admin`;
        const key = { authorization: `Bearer ${server.apiKey}` };

        const reads = {
          tasks: await pageFetch(page, `${admin}/tasks`),
          config: await pageFetch(page, `${admin}/config`),
          v1: await pageFetch(page, `${server.url}/v1/tasks`, { headers: key }),
          task: await pageFetch(page, `${server.url}/v1/tasks/${task.task.id}`, { headers: key }),
        };
        for (const [what, outcome] of Object.entries(reads)) {
          expect(outcome, what).toHaveProperty('blocked');
        }
        const writes = [
          await pageFetch(page, `${admin}/reset`, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: '{}',
          }),
          await pageFetch(page, `${admin}/faults`, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: JSON.stringify({ kind: '503', times: 100 }),
          }),
          await pageFetch(page, `${admin}/config`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ timing: 'realistic', rateLimit: 1 }),
          }),
          await pageFetch(page, `${server.url}/v1/generate`, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: JSON.stringify({ model: 'nanobanana', prompt: 'injected' }),
          }),
          await pageFetch(page, `${server.url}/v1/generate`, {
            method: 'POST',
            headers: { ...key, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'nanobanana', prompt: 'injected' }),
          }),
        ];
        for (const outcome of writes) expect(outcome).toHaveProperty('blocked');
        await submitForm(page, `${admin}/reset`, 'text/plain', { '{"a":"': '"}' });
        await submitForm(page, `${admin}/faults`, 'application/x-www-form-urlencoded', {
          kind: '503',
        });

        // Nothing changed: the task is there, alone; no fault queued; the config as it was.
        const tasks = await server.engine.browseTasks({}, server.url);
        expect(tasks.items.map((t) => t.id)).toEqual([task.task.id]);
        expect(await server.engine.faults()).toEqual([]);
        expect(await server.engine.config()).toEqual(config);
        // The attempts that could reach the mock did, and were refused.
        const refused = (method: string, url: string) =>
          log.filter((l) => l.method === method && l.url === url && l.status === 403).length;
        expect(refused('GET', '/__admin/tasks')).toBe(1);
        expect(refused('POST', '/__admin/reset')).toBe(2); // the fetch and the form
        expect(refused('POST', '/__admin/faults')).toBe(2);
        // The JSON PATCH never left the browser: its preflight got no grant.
        expect(log.filter((l) => l.method === 'PATCH')).toEqual([]);
        expect(
          log.filter((l) => l.method === 'OPTIONS' && l.url === '/__admin/config'),
        ).toContainEqual(expect.objectContaining({ status: 403 }));
        // The no-cors POST to /v1 could carry no key.
        expect(log).toContainEqual(
          expect.objectContaining({ method: 'POST', url: '/v1/generate', status: 401 }),
        );
      } finally {
        await context.close();
        await server.close({ abandon: true });
      }
    },
  );

  it('the browser app the mock grants reads /v1 with its key, and still not /__admin', async () => {
    const { server } = await openMock();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(8_000);
      await page.goto(`http://localhost:${appPort}/`);
      const key = { authorization: `Bearer ${server.apiKey}` };
      const created = await pageFetch(page, `${server.url}/v1/generate`, {
        method: 'POST',
        headers: { ...key, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'nanobanana', prompt: 'A red fox in the snow' }),
      });
      expect(created).toMatchObject({ read: expect.stringMatching(/^202 /) });
      const id = (
        JSON.parse((created as { read: string }).read.slice(4)) as { data: { id: string } }
      ).data.id;
      const listed = await pageFetch(page, `${server.url}/v1/tasks`, { headers: key });
      expect(listed).toMatchObject({ read: expect.stringContaining(`"id":"${id}"`) });
      expect(await pageFetch(page, `${server.url}/__admin/tasks`)).toHaveProperty('blocked');
    } finally {
      await context.close();
      await server.close({ abandon: true });
    }
  });
});

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/services.mjs';
import type { PageResult } from './support/msw-page.js';

const PAGE_ENTRY = fileURLToPath(new URL('./support/msw-page.ts', import.meta.url));
const WORKER = createRequire(import.meta.url).resolve('msw/mockServiceWorker.js');
const HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>EggAPI MSW</title></head>' +
  '<body><script type="module" src="/page.js"></script></body></html>';

let browser: Browser | undefined;
let site: Server;
let siteUrl: string;

/** The page bundled as a browser app would be: the entry's source, msw's browser build. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    conditions: ['@eggapi/source'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

beforeAll(async () => {
  browser = await launchChromium('the MSW browser test (@eggapi/mock-server/msw in Chromium)');
  if (!browser) return;
  const files: Record<string, [type: string, body: string]> = {
    '/': ['text/html; charset=utf-8', HTML],
    '/page.js': ['text/javascript; charset=utf-8', await bundlePage()],
    '/mockServiceWorker.js': ['text/javascript; charset=utf-8', readFileSync(WORKER, 'utf8')],
  };
  site = createServer((req, res) => {
    // The browser asks for a favicon on its own.
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    const file = files[req.url ?? ''];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (site) await new Promise((resolve) => site.close(resolve));
});

describe('@eggapi/mock-server/msw in a browser page', () => {
  it('answers the client from a service worker and serves the image it shows', async (ctx) => {
    if (!browser) return ctx.skip();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(siteUrl);
    const result = await page.evaluate(
      () => (window as unknown as { eggapiResult: Promise<PageResult> }).eggapiResult,
    );
    expect(problems).toEqual([]);
    expect(result).toMatchObject({
      status: 'completed',
      src: `https://api.eggapi.ai/images/${result.id}/0.png`,
      naturalWidth: 1024,
      naturalHeight: 576,
    });
    // The picture on the page, as the user sees it.
    const shown = await page
      .locator('img[alt="the generated image"]')
      .evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, img.naturalHeight]);
    expect(shown).toEqual([true, 1024, 576]);
    await page.close();
  });
});

/**
 * The console's Violations tab in a real browser: a validating proxy (`proxyTo`) in front of a
 * drifting upstream; what it sees appears live, with direction, request, status and each issue.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startMockServer, type MockServer } from '@eggapi/mock-server';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serviceAvailable } from '../../../test-support/services.mjs';

const OUTPUT = fileURLToPath(new URL('../test-output/console/', import.meta.url));
const SUITE = 'the console browser suite';
const HAVE_CHROMIUM = serviceAvailable('chromium', 'chromium', SUITE);

let browser: Browser;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** An upstream that has drifted: its tasks have a status the contract does not know. */
async function driftingUpstream(): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_drift' });
    res.end(JSON.stringify({ data: { id: 'gen_drift1', status: 'done' }, error: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.skipIf(!HAVE_CHROMIUM)('the console Violations tab in Chromium', () => {
  beforeAll(async () => {
    browser = (await launchChromium(SUITE))!;
  }, 60_000);
  afterAll(() => browser?.close());

  it("lists the proxy's contract violations live: direction, request, status and issues", async () => {
    const proxy: MockServer = await startMockServer({ proxyTo: await driftingUpstream() });
    cleanup.push(() => proxy.close({ abandon: true }));
    const context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
    cleanup.push(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${proxy.url}/console/#/violations`);
    await page.getByText('No contract violations').waitFor();
    await fetch(`${proxy.url}/v1/tasks/gen_drift1`, {
      headers: { authorization: 'Bearer sk_live_mine' },
    });
    await fetch(`${proxy.url}/v1/tasks`);
    const rows = page.locator('tr[data-request-id]');
    await expect.poll(() => rows.count()).toBe(3);
    const texts = await rows.allInnerTexts();
    // Newest first: the keyless request's answer (a task where a page belongs) and the request
    // itself, then the first answer.
    expect(texts[0]).toMatch(/response[\s\S]*GET \/v1\/tasks[\s\S]*200/);
    expect(texts[1]).toMatch(/request[\s\S]*GET \/v1\/tasks[\s\S]*headers\.authorization: missing/);
    expect(texts[2]).toMatch(
      /response[\s\S]*GET \/v1\/tasks\/gen_drift1[\s\S]*200[\s\S]*undocumented status "done"/,
    );
    expect(await page.getByRole('link', { name: 'Violations' }).getAttribute('aria-current')).toBe(
      'page',
    );
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}violations.png` });
    expect(errors).toEqual([]);
  });
});

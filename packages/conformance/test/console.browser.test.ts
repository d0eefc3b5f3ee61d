/**
 * The mock's console (`/console`) in a real browser: Debian's Chromium driven by playwright-core.
 * Tasks are created through @eggapi/client — which is why this suite lives here: the dependency
 * rules (tools/dependency-rules.mjs) keep the mock server's own tests from importing the client.
 * Every page is photographed into test-output/console/ (git-ignored); with
 * EGGAPI_DOCS_SCREENSHOTS=1 the photos are also copied to docs/console/ for the README.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AuthenticationError, EggAPI, ServiceUnavailableError } from '@eggapi/client';
import { startMockServer, type MockServer, type MockServerOptions } from '@eggapi/mock-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serviceAvailable } from '../../../test-support/services.mjs';

const OUTPUT = fileURLToPath(new URL('../test-output/console/', import.meta.url));
const DOCS = fileURLToPath(new URL('../../../docs/console/', import.meta.url));
const SUITE = 'the console browser suite';
// Decided when the suite is collected: skipped loudly without chromium locally, failing under CI.
const HAVE_CHROMIUM = serviceAvailable('chromium', 'chromium', SUITE);

let browser: Browser;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function mock(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await startMockServer({ timing: 'fast', ...options });
  cleanup.push(() => server.close({ abandon: true }));
  return server;
}

/** A page with its console errors and uncaught exceptions collected. */
async function openPage(viewport = { width: 1200, height: 860 }) {
  const context = await browser.newContext({ viewport });
  cleanup.push(() => context.close());
  const page = await context.newPage();
  // A step that cannot happen fails in seconds, naming itself, not at the test's timeout.
  page.setDefaultTimeout(8_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors };
}

async function photograph(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: `${OUTPUT}${name}.png`, fullPage });
  if (process.env.EGGAPI_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(`${OUTPUT}${name}.png`, `${DOCS}${name}.png`);
  }
}

/** A webhook receiver that answers each request from `answers` in turn (then 200 "ok"). */
async function receiver(answers: { status: number; body: string }[] = []) {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[received.length - 1] ?? { status: 200, body: 'ok' };
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/eggapi`, received };
}

/**
 * Evaluates `expression` in the page. Written as text: this package's TypeScript has Node's
 * types, not the DOM's, and the few reads below do not justify mixing them.
 */
const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate<T>(expression);

const rowIds = (page: Page) =>
  inPage<string[]>(
    page,
    `[...document.querySelectorAll('tr[data-task-id]')].map((row) => row.dataset.taskId)`,
  );

/** The Requests tab's rows, newest first: the request (method, path, query) and its outcome. */
const requestRows = (page: Page) =>
  inPage<string[]>(
    page,
    `[...document.querySelectorAll('tr[data-request-id]')].map((row) => row.querySelector('.target').innerText + ' → ' + row.querySelector('.outcome').innerText)`,
  );

/** A GET with its path sent byte for byte (fetch would percent-encode `<` and `>`). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    request({ hostname, port, path, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe.skipIf(!HAVE_CHROMIUM)('the mock console in Chromium', () => {
  beforeAll(async () => {
    browser = (await launchChromium(SUITE))!;
  }, 60_000);
  afterAll(() => browser?.close());

  it('shows tasks created through @eggapi/client live, newest first, filtered by status and key', async () => {
    const server = await mock({
      apiKeys: ['sk_test_eggapi', 'sk_test_second_key'],
      timing: { queueMs: 400, processingMs: 800, jitter: 0 },
    });
    const client = new EggAPI({ apiKey: server.apiKey, baseURL: server.url });
    const other = new EggAPI({ apiKey: 'sk_test_second_key', baseURL: server.url });
    const { page, errors } = await openPage();
    await page.goto(`${server.url}/console`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('live');
    await page.getByText('No tasks yet').waitFor();
    // A mark that a reload would wipe: the rows must arrive without one.
    await inPage(page, 'window.unreloaded = true');

    const fox = await client.generate({ model: 'nanobanana', prompt: 'A red fox in the snow' });
    const row = page.locator(`tr[data-task-id="${fox.id}"]`);
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toMatch(/pending|processing/);
    const lighthouse = await client.generate({
      model: 'nanobanana',
      prompt: 'A lighthouse at dusk [[mock: fail="moderation: refused"]]',
    });
    const cats = await other.generate({
      model: 'nanobanana',
      prompt: 'Two cats on a sofa',
      num_outputs: 2,
      aspect_ratio: '9:16',
    });
    await expect.poll(() => rowIds(page)).toEqual([cats.id, lighthouse.id, fox.id]);
    // Status changes arrive as they happen: processing on the clock, the end by an event.
    await expect
      .poll(() => row.locator('.badge').textContent(), { timeout: 5_000 })
      .toBe('completed');
    await expect
      .poll(() => page.locator(`tr[data-task-id="${cats.id}"] .thumbs img`).count())
      .toBe(2);
    const foxRow = await row.innerText();
    expect(foxRow).toContain('A red fox in the snow');
    expect(foxRow).toContain('image_generate');
    expect(foxRow).toContain('$0.0100');
    await expect
      .poll(() => page.locator(`tr[data-task-id="${lighthouse.id}"] .badge`).textContent())
      .toBe('failed');
    expect(await inPage<boolean>(page, 'window.unreloaded')).toBe(true);
    await photograph(page, 'tasks');

    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => rowIds(page)).toEqual([lighthouse.id]);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Key').selectOption('sk_t…d_key');
    await expect.poll(() => rowIds(page)).toEqual([cats.id]);
    expect(page.url()).toContain('owner=');
    expect(errors).toEqual([]);
  });

  it("shows a task's request, timeline, full-size image and every webhook attempt; Redeliver adds one", async () => {
    const secret = 'whsec_console_browser';
    const hook = await receiver([{ status: 500, body: 'not ready yet, try again' }]);
    const server = await mock({ webhookSecret: secret, webhooks: { backoffBaseMs: 100 } });
    const client = new EggAPI({ apiKey: server.apiKey, baseURL: server.url });
    const task = await client.run({
      model: 'nanobanana',
      prompt: 'A red fox in the snow',
      webhook_url: hook.url,
    });
    await server.waitForDeliveries(task.id, (d) => d[0]?.state === 'succeeded');

    const { page, errors } = await openPage();
    await page.goto(`${server.url}/console/#/tasks/${task.id}`);
    await page.getByRole('heading', { name: task.id }).waitFor();
    // The image at full size: the PNG's own pixels, 16:9 at 1k.
    await page.locator('.natural-size').waitFor();
    expect(
      await inPage<number[]>(
        page,
        `[document.querySelector('.images img').naturalWidth, document.querySelector('.images img').naturalHeight]`,
      ),
    ).toEqual([1024, 576]);
    expect(await page.locator('.natural-size').textContent()).toContain('1024 × 576 px');
    const timeline = await page.locator('.timeline').innerText();
    expect(timeline).toMatch(/created[\s\S]*pending \d+ ms[\s\S]*processing[\s\S]*completed/);
    expect(await page.locator('pre.code').first().textContent()).toContain(
      `"webhook_url": "${hook.url}"`,
    );

    // Two attempts: the receiver failed once. Each shows what was sent and what came back.
    const attempts = page.locator('.attempts > li');
    await expect.poll(() => attempts.count()).toBe(2);
    expect(await attempts.nth(0).locator('summary').innerText()).toContain('500');
    expect(await attempts.nth(1).locator('summary').innerText()).toContain('200');
    await attempts.nth(0).locator('summary').click();
    const first = await attempts.nth(0).innerText();
    expect(first).toContain(String(hook.received[0]!.headers['x-eggapi-signature']));
    expect(first).toContain('not ready yet, try again');
    await page.getByText('Body sent').click();
    expect(await page.locator('.delivery pre.code').first().textContent()).toContain(
      `"task_id": "${task.id}"`,
    );
    await photograph(page, 'task-detail', true);

    await page.getByRole('button', { name: 'Redeliver' }).click();
    await expect.poll(() => attempts.count()).toBe(3);
    await expect.poll(() => attempts.nth(2).locator('summary').innerText()).toContain('200');
    expect(await page.locator('.round').textContent()).toBe('Redelivered');
    expect(hook.received).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('ends a task now, shows the error of a failed one, and drives timing, balances, faults and reset', async () => {
    const server = await mock({ timing: 'realistic' });
    const client = new EggAPI({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
    const doomed = await client.generate({ model: 'nanobanana', prompt: 'Fail me' });
    const rushed = await client.generate({ model: 'nanobanana', prompt: 'Finish me' });
    const { page, errors } = await openPage();

    await page.goto(`${server.url}/console/#/tasks/${doomed.id}`);
    await page.getByLabel('Failure message').fill('the GPU caught fire');
    await page.getByRole('button', { name: 'Fail now' }).click();
    await page.getByRole('heading', { name: 'Error' }).waitFor();
    expect(await page.locator('.failure').innerText()).toContain('the GPU caught fire');
    expect((await client.tasks.get(doomed.id)).status).toBe('failed');
    await photograph(page, 'task-failed', true);

    await page.goto(`${server.url}/console/#/tasks/${rushed.id}`);
    await page.getByRole('button', { name: 'Complete now' }).click();
    await page.locator('.natural-size').waitFor();
    expect((await client.tasks.get(rushed.id)).status).toBe('completed');

    await page.getByRole('link', { name: 'Controls' }).click();
    await page.getByLabel('Preset').selectOption('instant');
    await page.getByRole('button', { name: 'Switch timing' }).click();
    await expect.poll(async () => (await server.engine.config()).timing.queueMs).toBe(0);
    await page.getByLabel(/^API key/).fill(server.apiKey);
    await page.getByLabel('Balance in dollars').fill('0.05');
    await page.getByRole('button', { name: 'Set balance' }).click();
    await expect
      .poll(async () => (await server.engine.config()).balances['sk_t…ggapi'])
      .toBe(50_000);
    await page.getByLabel('Kind').selectOption('503');
    await page.getByLabel('Route (optional)').fill('POST /v1/generate');
    await page.getByRole('button', { name: 'Queue fault' }).click();
    await page.locator('#faults-title ~ ul li', { hasText: '503 on POST /v1/generate' }).waitFor();
    await photograph(page, 'controls', true);
    await expect(
      client.generate({ model: 'nanobanana', prompt: 'refused once' }),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
    await page.getByText('None queued.').waitFor();

    await page.getByRole('button', { name: 'Reset…' }).click();
    await page.getByRole('button', { name: 'Reset everything' }).click();
    await page.getByText('The mock was reset.').waitFor();
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByText('No tasks yet').waitFor();
    expect(errors).toEqual([]);
  });

  it('asks for the admin token, keeps it for the tab only, and refuses a wrong one', async () => {
    const token = 'console-admin-token';
    const server = await mock({ adminToken: token });
    const { page, errors } = await openPage();
    const adminCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/__admin/')) adminCalls.push(request.url());
    });
    await page.goto(`${server.url}/console/`);
    const field = page.getByLabel('Admin token');
    await field.waitFor();
    // Asked before any admin call: nothing was refused yet.
    expect(adminCalls).toEqual([]);
    expect(await inPage<string>(page, 'document.activeElement?.id')).toBe('admin-token');
    await photograph(page, 'login');

    await field.fill('not-the-token');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('That admin token was refused.').waitFor();
    await field.fill(token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('live');
    // The token stays in this tab (a reload keeps it), never in a URL.
    await page.reload();
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    expect(adminCalls.filter((url) => url.includes(token))).toEqual([]);
    const otherTab = await page.context().newPage();
    await otherTab.goto(`${server.url}/console/`);
    await otherTab.getByLabel('Admin token').waitFor();
    await otherTab.close();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(await inPage<number>(page, 'sessionStorage.length')).toBe(0);
    // The one error: the browser reports the refused token's 401.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
  });

  it('shows each request live in the Requests tab, opens it as text with the key as fingerprint only, filters and clears', async () => {
    const server = await mock();
    const wrongKey = 'sk_test_not_the_right_key';
    const client = new EggAPI({ apiKey: server.apiKey, baseURL: server.url });
    const stranger = new EggAPI({ apiKey: wrongKey, baseURL: server.url, maxRetries: 0 });
    const { page, errors } = await openPage();
    await page.goto(`${server.url}/console/#/requests`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('live');
    await page.getByText('No requests yet').waitFor();
    await inPage(page, 'window.unreloaded = true');

    const task = await client.generate({ model: 'nanobanana', prompt: 'A red fox in the snow' });
    await page.locator('tr[data-request-id]').first().waitFor();
    await client.tasks.get(task.id);
    await expect(stranger.tasks.get(task.id)).rejects.toBeInstanceOf(AuthenticationError);
    await expect
      .poll(() => requestRows(page))
      .toEqual([
        `GET /v1/tasks/${task.id} → 401 UNAUTHORIZED`,
        `GET /v1/tasks/${task.id} → 200`,
        'POST /v1/generate → 202',
      ]);
    expect(await inPage<boolean>(page, 'window.unreloaded')).toBe(true);
    const created = page.locator('tr[data-request-id]').nth(2);
    expect(await created.getByRole('link', { name: task.id }).getAttribute('href')).toBe(
      `#/tasks/${task.id}`,
    );

    // Opened: the body as sent, the key only as its fingerprint.
    await page.getByRole('button', { name: 'POST /v1/generate' }).click();
    const entry = page.locator('.entry');
    await entry.waitFor();
    expect(await entry.locator('pre.code').textContent()).toContain(
      '"prompt": "A red fox in the snow"',
    );
    expect(await entry.innerText()).toContain('Bearer sk_t…ggapi');
    await photograph(page, 'requests');
    await page
      .getByRole('button', { name: `GET /v1/tasks/${task.id}` })
      .first()
      .click();
    expect(await entry.innerText()).toMatch(/Bearer sk_t…\w+[\s\S]*401 UNAUTHORIZED/);
    const everything = await inPage<string>(page, 'document.documentElement.outerHTML');
    expect(everything).not.toContain(server.apiKey);
    expect(everything).not.toContain(wrongKey);

    // Whatever a client sent is shown as text: nothing in it runs, nothing breaks the layout.
    const hostile = '<img src=x onerror="window.pwned=1">';
    await fetch(`${server.url}/v1/generate`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${server.apiKey}`,
        'content-type': 'application/json',
        'x-note': '<script>window.pwned=2</script>',
      },
      body: JSON.stringify({ model: 'nanobanana', prompt: hostile, note: 'x'.repeat(12_000) }),
    });
    await rawGet(server.url, '/v1/tasks/<img/src=x/onerror=window.pwned=3>', {
      authorization: `Bearer ${server.apiKey}`,
    });
    await expect
      .poll(() => requestRows(page))
      .toContain('GET /v1/tasks/<img/src=x/onerror=window.pwned=3> → 404 NOT_FOUND');
    await page
      .getByRole('button', { name: /^POST \/v1\/generate/ })
      .first()
      .click();
    const body = entry.locator('pre.code');
    expect(await body.textContent()).toContain(`"prompt": ${JSON.stringify(hostile)}`);
    expect(await entry.innerText()).toContain('<script>window.pwned=2</script>');
    expect(
      await inPage<boolean>(
        page,
        `(() => { const pre = document.querySelector('.entry pre.code'); return pre.scrollHeight > pre.clientHeight; })()`,
      ),
    ).toBe(true);
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      1200,
    );
    expect(
      await inPage<number>(page, `document.querySelectorAll('main img, main script').length`),
    ).toBe(0);
    expect(await inPage<unknown>(page, 'window.pwned')).toBeUndefined();
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      375,
    );
    await page.setViewportSize({ width: 1200, height: 860 });

    await page.getByLabel('Status').fill('401');
    await page.getByLabel('Status').press('Enter');
    await expect
      .poll(() => requestRows(page))
      .toEqual([`GET /v1/tasks/${task.id} → 401 UNAUTHORIZED`]);
    expect(page.url()).toContain('#/requests?status=401');

    await page.getByRole('button', { name: 'Clear…' }).click();
    await page.getByRole('button', { name: 'Clear the journal' }).click();
    await page.getByText('No request matches these filters.').waitFor();
    expect(await server.engine.requests()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('fits a narrow window and is usable from the keyboard', async () => {
    const server = await mock();
    const client = new EggAPI({ apiKey: server.apiKey, baseURL: server.url });
    const task = await client.run({ model: 'nanobanana', prompt: 'A fox on a phone screen' });
    const { page, errors } = await openPage({ width: 375, height: 740 });
    await page.goto(`${server.url}/console/`);
    await page.locator(`tr[data-task-id="${task.id}"] img`).waitFor();
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      375,
    );
    await photograph(page, 'narrow');
    // Tab through the header and the filters to the task's link; Enter opens it.
    let focused = '';
    for (let i = 0; i < 12 && focused !== task.id; i++) {
      await page.keyboard.press('Tab');
      focused = await inPage<string>(page, "document.activeElement?.textContent ?? ''");
    }
    expect(focused).toBe(task.id);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: task.id }).waitFor();
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      375,
    );
    expect(errors).toEqual([]);
  });
});

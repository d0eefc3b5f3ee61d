import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useRedisServer } from '../../../test-support/redis.mjs';
import { signWebhook } from '../src/index.js';
import { SPEC_COMPLETED_BODY } from './support/deliveries.js';

// The README's examples run as written: each ```ts block after `<!-- example: NAME -->` is
// copied to a temporary module (package specifiers pointed at this package's source) and run.
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
const SPECIFIERS: Record<string, string> = {
  '@eggapi/webhook/express': join(PACKAGE, 'src/express.ts'),
  '@eggapi/webhook/web': join(PACKAGE, 'src/web.ts'),
  '@eggapi/webhook/redis-replay-store': join(PACKAGE, 'src/redis-replay-store.ts'),
  '@eggapi/webhook': join(PACKAGE, 'src/index.ts'),
  express: createRequire(import.meta.url).resolve('express'),
  ioredis: createRequire(import.meta.url).resolve('ioredis'),
};
const SECRET = 'whsec_readme_secret';
let dir: string;

function example(
  name: string,
  edit: (code: string) => string = (code) => code,
  fileName = name,
): string {
  const match = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(
    README,
  );
  if (!match) throw new Error(`README has no example "${name}"`);
  const code = edit(match[1]!).replace(/from '([^']+)'/g, (whole, specifier: string) =>
    SPECIFIERS[specifier] ? `from '${SPECIFIERS[specifier]}'` : whole,
  );
  const file = join(dir, `${fileName}.ts`);
  writeFileSync(file, code);
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eggapi-readme-'));
  vi.stubEnv('EGGAPI_WEBHOOK_SECRET', SECRET);
  vi.spyOn(console, 'log').mockImplementation(() => {});
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('README examples', () => {
  it('the quick start returns 204 for a signed delivery and 400 for a parsed-then-resent one', async () => {
    const { handleDelivery } = (await import(/* @vite-ignore */ example('quick-start'))) as {
      handleDelivery: (body: Buffer, headers: Record<string, string>) => number;
    };
    const headers = signWebhook(SPEC_COMPLETED_BODY, SECRET);
    expect(handleDelivery(Buffer.from(SPEC_COMPLETED_BODY), headers)).toBe(204);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(SPEC_COMPLETED_BODY)));
    expect(handleDelivery(reserialised, headers)).toBe(400);
  });

  it('the express example verifies a signed delivery and refuses a forged one', async () => {
    // The only change: listen on a free port instead of 3000, and hand the server back.
    const file = example('express', (code) =>
      code.replace('app.listen(3000);', 'export const server = app.listen(0);'),
    );
    const { server } = (await import(/* @vite-ignore */ file)) as { server: Server };
    await new Promise((resolve) =>
      server.listening ? resolve(null) : server.once('listening', resolve),
    );
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/eggapi`;
      const post = (headers: Record<string, string>) =>
        fetch(url, { method: 'POST', headers, body: SPEC_COMPLETED_BODY });
      expect((await post(signWebhook(SPEC_COMPLETED_BODY, SECRET))).status).toBe(204);
      const forged = await post(signWebhook(SPEC_COMPLETED_BODY, 'not_the_secret'));
      expect(forged.status).toBe(400);
      expect(await forged.json()).toMatchObject({ error: { code: 'signature_mismatch' } });
    } finally {
      server.close();
    }
  });

  it('the Next.js route handler answers 204 to a signed delivery and 400 to a forged one', async () => {
    const { POST } = (await import(/* @vite-ignore */ example('fetch'))) as {
      POST: (request: Request) => Promise<Response>;
    };
    const request = (headers: Record<string, string>) =>
      new Request('https://example.com/webhooks/eggapi', {
        method: 'POST',
        headers,
        body: SPEC_COMPLETED_BODY,
      });
    expect((await POST(request(signWebhook(SPEC_COMPLETED_BODY, SECRET)))).status).toBe(204);
    const forged = await POST(request({ 'X-EggAPI-Timestamp': '1' }));
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ error: { code: 'missing_signature' } });
  });
});

const redisServer = useRedisServer('@eggapi/webhook README Redis example');

describe.skipIf(!redisServer.available)('README example with a real Redis', () => {
  beforeAll(() => void vi.stubEnv('REDIS_URL', redisServer.url));

  it('two instances of the Redis example: the second refuses a delivery the first accepted', async () => {
    // Two copies of the module, as two processes would run it; each listens on a free port.
    const instances: { server: Server; redis: Redis }[] = [];
    for (const copy of ['redis-replay-1', 'redis-replay-2']) {
      const file = example(
        'redis-replay',
        // Changed: a free port, and the server and client handed back to be closed.
        (code) =>
          code
            .replace('app.listen(3000);', 'export const server = app.listen(0);')
            .replace('const redis =', 'export const redis ='),
        copy,
      );
      instances.push((await import(/* @vite-ignore */ file)) as (typeof instances)[number]);
    }
    try {
      const urls = await Promise.all(
        instances.map(async ({ server }) => {
          if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
          return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/eggapi`;
        }),
      );
      const headers = signWebhook(SPEC_COMPLETED_BODY, SECRET);
      const post = (url: string) =>
        fetch(url, { method: 'POST', headers, body: SPEC_COMPLETED_BODY });
      expect((await post(urls[0]!)).status).toBe(204);
      const replay = await post(urls[1]!);
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({ error: { code: 'replayed' } });
    } finally {
      for (const { server, redis } of instances) {
        server.close();
        redis.disconnect();
      }
    }
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRoutes,
  completedTask,
  endless,
  filesUnder,
  stall,
  startHostileServer,
  TINY_PNG,
  type HostileServer,
  type Route,
} from './support/hostile-server.js';
import { eggapi } from './support/run-cli.js';

// Issue #19, item 2: an image streams to a temporary file beside its target, within
// --max-image-bytes (64 MiB by default) and --download-timeout; the target appears only when
// complete, and a failed download leaves no file at all. The image host here is hostile.

const MiB = 1024 * 1024;
const PNG_START = TINY_PNG.subarray(0, 16);

let root: string;
let server: HostileServer | undefined;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'eggapi-cli-download-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(join(root, 'out'), { recursive: true, force: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const out = () => join(root, 'out');

/**
 * A hostile API whose task `gen_ok` completes with one image per route of `images` (served at
 * `/img/<n>.png` by that route), then `eggapi tasks wait gen_ok --out <out> --json <flags>`
 * (`--json`: no progress lines, so that stderr holds only the error).
 */
async function download(images: Route[], flags: string[] = [], command = 'tasks wait') {
  const routes: Record<string, Route> = {};
  images.forEach((route, n) => (routes[`GET /img/${n}.png`] = route));
  server = await startHostileServer({
    ...apiRoutes((url) =>
      completedTask(
        'gen_ok',
        images.map((_, n) => `${url}/img/${n}.png`),
      ),
    ),
    ...routes,
  });
  const args =
    command === 'generate'
      ? ['generate', 'x', '--out', out(), '--json', ...flags]
      : ['tasks', 'wait', 'gen_ok', '--out', out(), '--json', ...flags];
  const started = performance.now();
  const result = await eggapi(args, {
    env: { EGGAPI_BASE_URL: server.url, EGGAPI_API_KEY: 'sk_test' },
  });
  return { ...result, ms: performance.now() - started };
}

const png: Route = (_req, res) =>
  void res.writeHead(200, { 'Content-Type': 'image/png' }).end(TINY_PNG);

/** The image host of `url`: the one line on stderr for a refused download. */
const refused = (n: number, reason: string) =>
  `eggapi: could not download ${server!.url}/img/${n}.png: ${reason}\n`;

describe('images within the limits', () => {
  it('a PNG is saved whole under <out>/<id>-1.png, no temporary file left', async () => {
    const result = await download([png]);
    expect(result.code).toBe(0);
    expect(filesUnder(out())).toEqual(['gen_ok-1.png']);
    expect(readFileSync(join(out(), 'gen_ok-1.png')).equals(TINY_PNG)).toBe(true);
  });

  it('a redirect to a PNG is followed', async () => {
    const result = await download([
      (_req, res, url) => void res.writeHead(302, { Location: `${url}/img/1.png` }).end(),
      png,
    ]);
    expect(result.code).toBe(0);
    expect(filesUnder(out())).toEqual(['gen_ok-1.png', 'gen_ok-2.png']);
    expect(readFileSync(join(out(), 'gen_ok-1.png')).equals(TINY_PNG)).toBe(true);
  });

  it('an image that trickles in but ends within --download-timeout is saved', async () => {
    const trickle: Route = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      let at = 0;
      const timer = setInterval(() => {
        res.write(TINY_PNG.subarray(at, at + 20));
        at += 20;
        if (at >= TINY_PNG.length) {
          clearInterval(timer);
          res.end();
        }
      }, 50);
      res.on('close', () => clearInterval(timer));
    };
    const result = await download([trickle], ['--download-timeout', '10']);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out(), 'gen_ok-1.png')).equals(TINY_PNG)).toBe(true);
  });
});

describe('--max-image-bytes', () => {
  const exact = TINY_PNG.length;
  const withLength: Route = (_req, res) =>
    void res
      .writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': String(exact) })
      .end(TINY_PNG);
  const chunked: Route = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/png' });
    res.write(TINY_PNG.subarray(0, 10));
    res.end(TINY_PNG.subarray(10));
  };

  it.each([
    ['Content-Length', exact, true, withLength],
    ['Content-Length', exact - 1, false, withLength],
    ['chunked', exact, true, chunked],
    ['chunked', exact - 1, false, chunked],
  ])(
    `a %s body of ${exact} bytes, --max-image-bytes %i: saved %s`,
    async (_kind, cap, saved, route) => {
      const result = await download([route], ['--max-image-bytes', String(cap)]);
      expect(result.code).toBe(saved ? 0 : 1);
      expect(filesUnder(out())).toEqual(saved ? ['gen_ok-1.png'] : []);
      if (!saved) expect(result.stderr).toContain(`limit of ${cap} bytes (--max-image-bytes)`);
    },
  );

  it('an endless image/png body stops at the default 64 MiB: exit 1 naming the cap, no file left', async () => {
    const result = await download([endless(Buffer.concat([PNG_START, Buffer.alloc(MiB - 16)]))]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      refused(0, `the image is larger than the limit of ${64 * MiB} bytes (--max-image-bytes)`),
    );
    expect(filesUnder(out())).toEqual([]);
  });

  it('a body that passes a lower cap mid-stream: the temporary file is removed, no target', async () => {
    const result = await download(
      [endless(Buffer.concat([PNG_START, Buffer.alloc(64 * 1024)]))],
      ['--max-image-bytes', String(MiB)],
      'generate',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      refused(0, `the image is larger than the limit of ${MiB} bytes (--max-image-bytes)`),
    );
    expect(filesUnder(out())).toEqual([]);
  });

  it('a Content-Length over the cap is refused before the body is read', async () => {
    // The body never comes: reading it would only end at the 60 s download timeout.
    const result = await download(
      [stall(PNG_START, { 'Content-Length': String(MiB + 1) })],
      ['--max-image-bytes', String(MiB), '--download-timeout', '60'],
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      refused(
        0,
        `it declares ${MiB + 1} bytes (Content-Length), over the limit of ${MiB} bytes ` +
          '(--max-image-bytes)',
      ),
    );
    expect(result.ms).toBeLessThan(30_000);
    expect(filesUnder(out())).toEqual([]);
  });

  it('when one image of two fails, neither is kept', async () => {
    const result = await download(
      [png, endless(Buffer.concat([PNG_START, Buffer.alloc(64 * 1024)]))],
      ['--max-image-bytes', String(MiB)],
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      refused(1, `the image is larger than the limit of ${MiB} bytes (--max-image-bytes)`),
    );
    expect(filesUnder(out())).toEqual([]);
  });
});

describe('--download-timeout', () => {
  it('a body that stalls midway: exit 1 naming the timeout, no file left', async () => {
    const result = await download([stall(PNG_START)], ['--download-timeout', '0.5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(refused(0, 'no complete answer within 0.5 s (--download-timeout)'));
    expect(result.ms).toBeGreaterThanOrEqual(500);
    expect(filesUnder(out())).toEqual([]);
  });

  it('a host that never answers: the same', async () => {
    const result = await download([() => undefined], ['--download-timeout', '0.5'], 'generate');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(refused(0, 'no complete answer within 0.5 s (--download-timeout)'));
    expect(filesUnder(out())).toEqual([]);
  });
});

describe('answers that are not an image', () => {
  it('a redirect to a missing page: exit 1 with its status, nothing written', async () => {
    const result = await download([
      (_req, res, url) => void res.writeHead(302, { Location: `${url}/login` }).end(),
    ]);
    // The redirect target is not a route: the server answers 404 there.
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(refused(0, 'HTTP 404'));
    expect(filesUnder(out())).toEqual([]);
  });

  it('a redirect to a 200 text/html page: exit 1, not a PNG', async () => {
    const html: Route = (_req, res) =>
      void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><p>hi</p>');
    const result = await download([
      (_req, res, url) => void res.writeHead(302, { Location: `${url}/img/1.png` }).end(),
      html,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not download ${server!.url}/img/`);
    expect(result.stderr).toContain('the answer is not a PNG (text/html)');
    expect(filesUnder(out())).toEqual([]);
  });

  it('an endless text/html body is refused at its first bytes', async () => {
    const result = await download([
      endless(Buffer.from('<html>'.repeat(10_000)), { 'Content-Type': 'text/html' }),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(refused(0, 'the answer is not a PNG (text/html)'));
    expect(filesUnder(out())).toEqual([]);
  });

  it('an error status with an endless body is refused without reading it', async () => {
    const result = await download([endless(PNG_START, {}, 500)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(refused(0, 'HTTP 500'));
  });

  it('an empty 200: exit 1, not a PNG', async () => {
    const result = await download([(_req, res) => void res.writeHead(200).end()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(refused(0, 'the answer is not a PNG (no content type, 0 bytes)'));
    expect(filesUnder(out())).toEqual([]);
  });
});

describe('bad limit values: usage error (exit 2), nothing sent', () => {
  it.each([
    ['--max-image-bytes', '0', 'must be a whole number of at least 1'],
    ['--max-image-bytes', '-1', 'must be a whole number of at least 1'],
    ['--max-image-bytes', '1.5', 'must be a whole number of at least 1'],
    ['--max-image-bytes', '64MiB', 'must be a whole number of at least 1'],
    ['--max-image-bytes', '', 'must be a whole number of at least 1'],
    ['--download-timeout', '0', 'must be a number of seconds above 0, at most 2147483'],
    ['--download-timeout', '-1', 'must be a number of seconds above 0'],
    ['--download-timeout', 'soon', 'must be a number of seconds above 0'],
    ['--download-timeout', '', 'must be a number of seconds above 0'],
    ['--download-timeout', 'Infinity', 'must be a number of seconds above 0'],
    ['--download-timeout', '2147484', 'must be a number of seconds above 0'],
  ])('%s %j', async (flag, value, message) => {
    server = await startHostileServer();
    const env = { EGGAPI_BASE_URL: server.url, EGGAPI_API_KEY: 'sk_test' };
    for (const args of [
      ['generate', 'x', '--out', out(), flag, value],
      ['tasks', 'wait', 'gen_ok', '--out', out(), flag, value],
    ]) {
      const result = await eggapi(args, { env });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`option '${flag} <`);
      expect(result.stderr).toContain(message);
    }
    expect(server.requests).toEqual([]);
  });
});

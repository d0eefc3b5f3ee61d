import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SetupServerApi } from 'msw/node';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EggapiHandlers } from '../src/msw/index.js';

// The README's examples run as written: each ```ts block after `<!-- example: NAME -->` is
// copied to a module under this package's node_modules/.cache (so its bare specifiers resolve as
// in a user's project) and imported; the test then uses what it set up.
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
let dir: string;

function example(name: string, append = ''): string {
  const match = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(
    README,
  );
  if (!match) throw new Error(`README has no example "${name}"`);
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, match[1]! + append);
  return file;
}

beforeAll(() => {
  const cache = join(PACKAGE, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, 'readme-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README examples', () => {
  it('the MSW snippet answers plain fetch at https://api.eggapi.ai, images included', async () => {
    // The only change: hand the mock and the server back to the test.
    const file = example('msw', '\nexport { mock, server };\n');
    const { mock, server } = (await import(/* @vite-ignore */ file)) as {
      mock: EggapiHandlers;
      server: SetupServerApi;
    };
    try {
      const headers = {
        authorization: 'Bearer sk_test_eggapi',
        'content-type': 'application/json',
      };
      const created = await fetch('https://api.eggapi.ai/v1/generate', {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'nanobanana', prompt: 'A red fox in the snow' }),
      });
      expect(created.status).toBe(202);
      const { data } = (await created.json()) as { data: { id: string } };
      const polled = await fetch(`https://api.eggapi.ai/v1/tasks/${data.id}`, { headers });
      const task = (await polled.json()) as { data: { status: string; output: { url: string } } };
      expect(task.data.status).toBe('completed');
      const image = await fetch(task.data.output.url);
      const png = PNG.sync.read(Buffer.from(await image.arrayBuffer()));
      expect([png.width, png.height]).toEqual([1024, 576]);
    } finally {
      server.close();
      await mock.close();
    }
  });
});

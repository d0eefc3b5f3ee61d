import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockProcess } from './support/mock-process.js';
import { eggapi } from './support/run-cli.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

let mock: MockProcess;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.close());

/** The download flags `generate` and `tasks wait` share, as --help shows them. */
const DOWNLOAD_FLAGS = [
  '--max-image-bytes <n>',
  '(default: 67108864, 64 MiB)',
  '--download-timeout <s>',
  '(default: 120)',
];

describe('eggapi --version and --help', () => {
  it('--version prints the package version', async () => {
    expect(await eggapi(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  /** Every command with the flags the issue fixes for it. */
  const COMMANDS: [string, string[]][] = [
    ['', ['--api-key', '--base-url', '--version', 'EGGAPI_API_KEY', 'EGGAPI_BASE_URL']],
    [
      'generate',
      [
        '<prompt>',
        '--aspect-ratio',
        '--resolution',
        '--num-outputs',
        '--negative-prompt',
        '--image-url',
        '--webhook-url',
        '--wait',
        '--out',
        '--json',
        ...DOWNLOAD_FLAGS,
      ],
    ],
    ['tasks', ['get', 'wait', 'list']],
    ['tasks get', ['<id>', '--json']],
    ['tasks wait', ['<id>', '--out', '--json', ...DOWNLOAD_FLAGS]],
    ['tasks list', ['--page', '--per-page', '--all', '--json']],
    ['usage', ['--all', '--json']],
    ['webhooks', ['listen', 'verify', 'sign']],
    [
      'webhooks listen',
      [
        '--secret',
        '--port',
        '4242',
        '--forward-to',
        '--forward-timeout <s>',
        '(default: 30)',
        '--record <dir>',
      ],
    ],
    ['webhooks verify', ['--secret', '--timestamp', '--signature', '--tolerance']],
    ['webhooks sign', ['--secret', '--timestamp']],
  ];

  it.each(COMMANDS)(
    'eggapi %s --help: exit 0, usage and every flag on stdout',
    async (command, flags) => {
      const args = command ? command.split(' ') : [];
      const result = await eggapi([...args, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`^Usage: eggapi${command ? ` ${command}` : ''} `));
      for (const flag of flags) expect(result.stdout).toContain(flag);
    },
  );
});

describe('bad usage: exit 2, the problem and a hint on stderr, nothing on stdout', () => {
  it.each([
    [[], 'Usage: eggapi'],
    [['bogus'], "unknown command 'bogus'"],
    [['generate'], "missing required argument 'prompt'"],
    [['generate', 'x', '--aspect-ratio', '4:3'], 'Allowed choices are 16:9, 9:16'],
    [['generate', 'x', '--resolution', '8k'], 'Allowed choices are 1k, 2k, 4k'],
    [['generate', 'x', '--num-outputs', 'two'], 'must be a whole number of at least 1'],
    [['generate', 'x', '--num-outputs', '0'], 'must be a whole number of at least 1'],
    [['generate', 'x', '--colour'], "unknown option '--colour'"],
    [['tasks'], 'Usage: eggapi tasks'],
    [['tasks', 'get'], "missing required argument 'id'"],
    [['tasks', 'wait', 'gen/../x'], 'Invalid task id "gen/../x"'],
    [
      ['tasks', 'list', '--all', '--page', '2'],
      "option '--all' cannot be used with option '--page <n>'",
    ],
    [['tasks', 'list', '--per-page', '1.5'], 'must be a whole number of at least 1'],
    [['usage', '--page', '2'], "unknown option '--page'"],
    [['webhooks', 'listen'], "required option '--secret <secret>' not specified"],
    [['webhooks', 'listen', '--secret', 's', '--port', '70000'], 'from 0 to 65535'],
    [
      ['webhooks', 'listen', '--secret', 's', '--forward-to', 'localhost:3000'],
      '--forward-to must be an absolute http(s) URL',
    ],
    [['webhooks', 'listen', '--secret', ''], '--secret:'],
    [
      ['webhooks', 'verify', '--secret', 's', '--timestamp', '1'],
      "required option '--signature <sig>'",
    ],
    [['webhooks', 'sign'], "required option '--secret <secret>'"],
    [['webhooks', 'sign', '--secret', 's', '--timestamp', 'yesterday'], 'must be a whole number'],
  ])('eggapi %j', async (args, message) => {
    const result = await eggapi(args, { mock, input: '{}' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  it('an API command without a key says how to give one', async () => {
    const result = await eggapi(['tasks', 'list'], { env: { EGGAPI_BASE_URL: mock.url } });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'eggapi: no API key: set EGGAPI_API_KEY or pass --api-key <key>\n(add --help for usage)\n',
    });
  });

  it('a base URL that is not http(s) is refused before anything is sent', async () => {
    const result = await eggapi(['--base-url', 'ftp://example.com', 'tasks', 'list'], { mock });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--base-url must be an absolute http(s) URL');
  });
});

describe('keys and base URLs', () => {
  it('a wrong key: exit 1 with the 401 code, the server’s message and the request id', async () => {
    const result = await eggapi(['tasks', 'list'], { mock, env: { EGGAPI_API_KEY: 'sk_wrong' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^eggapi: UNAUTHORIZED \(HTTP 401\): invalid API key \[request id: req_\w+\]\n$/,
    );
  });

  it('flags win over the environment, before or after the command', async () => {
    const env = { EGGAPI_API_KEY: 'sk_wrong', EGGAPI_BASE_URL: 'http://127.0.0.1:9' };
    const after = await eggapi(
      ['tasks', 'list', '--api-key', mock.apiKey, '--base-url', mock.url, '--json'],
      {
        env,
      },
    );
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toHaveProperty('pagination');
    const before = await eggapi(
      ['--api-key', mock.apiKey, '--base-url', mock.url, 'usage', '--json'],
      { env },
    );
    expect(before.code).toBe(0);
  });

  it('a server that cannot be reached: exit 1 saying so', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const result = await eggapi(['tasks', 'get', 'gen_x'], {
      env: { EGGAPI_API_KEY: 'k', EGGAPI_BASE_URL: `http://127.0.0.1:${port}` },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^eggapi: Connection error: fetch failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\n$/,
    );
  });
});
